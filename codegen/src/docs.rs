//! Spec descriptions into rustdoc-safe markdown, and the docs of what the spec leaves
//! undescribed ([`fill`]): the one place that decides a generated item's doc.
//!
//! Stripe's descriptions mix HTML (`<p>`, `<code>`, `<a href>`) and markdown. Rustdoc would run
//! code blocks as doctests, warn on bare URLs, unknown HTML tags and `[x]` that look like
//! intra-doc links, so this module rewrites all of those. The output is only ever placed in
//! `#[doc = "..."]` string literals, so no description can inject code.

/// Spec text that goes into a doc comment as it is (a wire name, a path, a version): control
/// characters become spaces, since a `///` comment may not hold a bare carriage return.
pub(crate) fn clean(text: &str) -> String {
    // a control character is an ASCII byte below a space or DEL, or U+0080..=U+009F, whose
    // UTF-8 starts with 0xC2: text with none of those bytes is copied as it is (nearly all)
    let may_hold_one = text.bytes().any(|b| (b < b' ' && b != b'\n') || b == 0x7F || b == 0xC2);
    if !may_hold_one {
        return text.to_owned();
    }
    text.chars().map(|c| if c.is_control() && c != '\n' { ' ' } else { c }).collect()
}

/// [`sanitize`], each distinct text once: Stripe's spec holds 8,525 descriptions of which
/// 3,540 differ ("Specifies which fields in the response should be expanded." 444 times), and
/// sanitizing was a third of lowering.
#[derive(Default)]
pub(crate) struct Sanitized {
    done: std::collections::HashMap<String, Option<String>>,
}

impl Sanitized {
    /// `sanitize(text)`, made once per distinct text.
    pub(crate) fn of(&mut self, text: Option<&str>) -> Option<String> {
        let text = text?;
        if let Some(done) = self.done.get(text) {
            return done.clone();
        }
        let done = sanitize(text);
        self.done.insert(text.to_owned(), done.clone());
        done
    }
}

/// Turns a spec description into doc markdown; `None` when nothing is left.
pub(crate) fn sanitize(text: &str) -> Option<String> {
    let text = html_to_markdown(&clean(text));
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // every fence becomes a `text` block: never compiled, never run
            out.push(if in_fence { "```".to_owned() } else { "```text".to_owned() });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.replace('\t', "    "));
            continue;
        }
        // at most two spaces of indent: four would open an (untested but compiled) code block
        let indent = (line.len() - trimmed.len()).min(2);
        out.push(format!("{}{}", " ".repeat(indent), escape_inline(trimmed.trim_end())));
    }
    if in_fence {
        out.push("```".to_owned());
    }
    // collapse runs of blank lines and trim the ends
    let mut joined = String::new();
    let mut blank = 0;
    for line in out {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !joined.is_empty() {
            joined.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        joined.push_str(&line);
    }
    (!joined.is_empty()).then_some(joined)
}

/// The few HTML tags Stripe uses, as markdown; entities decoded.
fn html_to_markdown(text: &str) -> String {
    let mut s = text.replace("\r\n", "\n");
    if !s.contains('<') && !s.contains('&') {
        return s; // most descriptions: nothing to convert
    }
    for (from, to) in [
        ("<p>", "\n\n"),
        ("</p>", "\n\n"),
        ("<br>", "\n"),
        ("<br/>", "\n"),
        ("<br />", "\n"),
        ("<code>", "`"),
        ("</code>", "`"),
        ("<strong>", "**"),
        ("</strong>", "**"),
        ("<b>", "**"),
        ("</b>", "**"),
        ("<em>", "*"),
        ("</em>", "*"),
        ("<i>", "*"),
        ("</i>", "*"),
        ("<ul>", "\n"),
        ("</ul>", "\n"),
        ("<li>", "\n- "),
        ("</li>", ""),
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    // <a href="url">text</a> → [text](url)
    while let Some(start) = s.find("<a href=\"") {
        let rest = &s[start + 9..];
        let Some(url_end) = rest.find('"') else { break };
        let url = rest[..url_end].to_owned();
        let after_url = &rest[url_end..];
        let (Some(gt), Some(close)) = (after_url.find('>'), after_url.find("</a>")) else { break };
        if close < gt {
            break;
        }
        let label = after_url[gt + 1..close].to_owned();
        let end = start + 9 + url_end + close + 4;
        s.replace_range(start..end, &format!("[{label}]({url})"));
    }
    if s.contains('&') {
        s = s.replace("&quot;", "\"").replace("&#39;", "'").replace("&nbsp;", " ");
    }
    s
}

/// Escapes what rustdoc would misread in running text, leaving code spans alone.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part); // inside a code span
        } else {
            out.push_str(&escape_text(part));
        }
    }
    // an unbalanced backtick would swallow the rest of the doc: escape it
    if line.matches('`').count() % 2 == 1 {
        if let Some(pos) = out.rfind('`') {
            out.replace_range(pos..pos + 1, "\\`");
        }
    }
    out
}

fn escape_text(text: &str) -> String {
    if !text.contains(['[', ']', '<', '>', '\\']) && !text.contains("http") {
        return text.to_owned(); // most text: nothing to escape
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '[' => {
                // keep a markdown link `[label](url)`; escape any other bracket
                if let Some(close) = link_end(&chars, i) {
                    let label: String = chars[i + 1..close].iter().collect();
                    let url_end = chars[close..].iter().position(|&c| c == ')').map(|p| close + p);
                    if let Some(url_end) = url_end {
                        let url: String = chars[close + 2..url_end].iter().collect();
                        out.push('[');
                        out.push_str(&escape_text(&label));
                        out.push_str("](");
                        out.push_str(&url);
                        out.push(')');
                        i = url_end + 1;
                        continue;
                    }
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' => out.push_str("\\\\"),
            'h' if starts_with_url(&chars[i..]) => {
                let end = chars[i..]
                    .iter()
                    .position(|c| c.is_whitespace() || matches!(c, ')' | '<' | '>' | '"'))
                    .map_or(chars.len(), |p| i + p);
                let mut url: String = chars[i..end].iter().collect();
                let mut trailing = String::new();
                while url.ends_with(['.', ',', ';', ':', '!', '?']) {
                    trailing.insert(0, url.pop().unwrap_or_default());
                }
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&trailing);
                i = end;
                continue;
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Index of the `]` of `[label](` starting at `open`, when it is a link.
fn link_end(chars: &[char], open: usize) -> Option<usize> {
    let close = chars[open + 1..].iter().position(|&c| c == ']' || c == '[')? + open + 1;
    (chars[close] == ']' && chars.get(close + 1) == Some(&'(') && close > open + 1).then_some(close)
}

fn starts_with_url(chars: &[char]) -> bool {
    let starts_with =
        |prefix: &str| prefix.chars().count() <= chars.len() && prefix.chars().zip(chars).all(|(p, &c)| p == c);
    starts_with("https://") || starts_with("http://")
}

/// Gives what the spec leaves undescribed the doc the spec does imply, once every type is
/// named, and nothing where it implies none (a sentence like "The `x` field." says nothing):
/// - a field or parameter: the description of the type it holds (`Session::filters` → the
///   filters type's), its first paragraph; a path parameter says it is one;
/// - a type: where it is first used: "Values of `Session::prefetch`." for an enum, "The type of
///   `Session::filters`." for a struct or union, or of "the `filters` parameter of
///   \[`CreateSession`\]", "an alternative of \[`Source`\]", "the response of \[`RetrieveSession`\]"
///   (links in the generated crate).
///
/// Runs before the docs it writes can be read, so a doc is never made from a made-up one.
pub(crate) fn fill(api: &mut crate::ir::Api) {
    use crate::ir::{TypeKind, TypeRef};
    let own: Vec<Option<String>> = api.types.iter().map(|t| t.doc.clone()).collect();
    let held = |ty: &TypeRef| {
        let mut first = None;
        ty.visit_named(false, &mut |id, _| {
            first.get_or_insert(id.0);
        });
        first.and_then(|i| own[i].as_deref()).map(first_paragraph)
    };
    let mut uses: Vec<Option<String>> = vec![None; api.types.len()];
    // each type's first use, as a place in a sentence
    let mut note = |ty: &TypeRef, place: String| {
        ty.visit_named(false, &mut |id, _| {
            uses[id.0].get_or_insert_with(|| place.clone());
        });
    };
    for t in 0..api.types.len() {
        let owner = api.types[t].name.clone();
        if let TypeKind::Struct { fields } = &mut api.types[t].kind {
            for f in fields.iter_mut() {
                if f.doc.is_none() {
                    f.doc = held(&f.ty);
                }
                note(&f.ty, format!("`{owner}::{}`", f.name));
            }
        }
        if let TypeKind::Union { variants, .. } = &api.types[t].kind {
            for v in variants {
                note(&v.ty, format!("an alternative of [`{owner}`]"));
            }
        }
    }
    for op in &mut api.operations {
        let owner = op.name.clone();
        for p in &mut op.params {
            if p.field.doc.is_none() {
                p.field.doc = held(&p.field.ty);
            }
            if p.field.doc.is_none() && p.location == crate::ir::ParamLocation::Path {
                p.field.doc = Some(format!("The `{}` in the request's path.", p.field.wire));
            }
            note(&p.field.ty, format!("the `{}` parameter of [`{owner}`]", p.field.name));
        }
        note(&op.response, format!("the response of [`{owner}`]"));
    }
    for (ty, place) in api.types.iter_mut().zip(uses) {
        if ty.doc.is_some() {
            continue;
        }
        ty.doc = place.map(|place| match ty.kind {
            TypeKind::Enum { .. } => format!("Values of {place}."),
            _ => format!("The type of {place}."),
        });
    }
}

/// The first paragraph of a doc.
/// The first paragraph of a doc: what a union variant repeats of its type's doc.
pub(crate) fn first_paragraph(doc: &str) -> String {
    doc.split("\n\n").next().unwrap_or(doc).trim().to_owned()
}

/// The sentences the generator writes about what it generates (the spec's own text goes
/// through [`sanitize`] and [`fill`]). Each is one doc line, with its leading space, and
/// [`clean`]ed where it quotes outside text (a wire name, a path, the spec's file name).
pub(crate) mod written {
    use super::clean;

    /// A generated file's inner doc: the root names the spec, a module its path.
    pub(crate) fn module_file(spec_name: &str, module: &[String]) -> String {
        if module.is_empty() {
            clean(&format!(" Types and requests generated from `{spec_name}`."))
        } else {
            format!(" Types and requests of `{}`.", module.join("."))
        }
    }

    /// A parent module's declaration: its children.
    pub(crate) fn parent_module(child: &str, children: &[String]) -> String {
        format!(" `{child}`: {}.", children.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "))
    }

    /// The `shared` module's declaration.
    pub(crate) fn shared_module(child: &str) -> String {
        format!(" `{child}`: types that several resources use, compiled with any of them.")
    }

    /// A resource module's declaration.
    pub(crate) fn resource_module(feature: &str) -> String {
        format!(" The `{feature}` resource: its types and requests (feature `{feature}`).")
    }

    /// The module of stand-ins that takes a resource module's place while its feature is off.
    pub(crate) fn stand_ins_module(child: &str, feature: &str) -> String {
        format!(" `{child}` while the feature `{feature}` is off: stand-ins for its types that other modules name.")
    }

    /// A stand-in: a resource's type while its feature is off.
    pub(crate) fn stand_in(name: &str, feature: &str) -> String {
        clean(&format!(
            " `{name}` while the feature `{feature}` is off: the object as Stripe sent it, untyped. Turn the \
             feature on for its fields; until then `serde_json::to_value` reads it."
        ))
    }

    /// `API_VERSION`.
    pub(crate) fn api_version(version: &str) -> String {
        clean(&format!(" The Stripe API version this crate was generated for (`{version}`), sent as `Stripe-Version`."))
    }

    /// A request type's endpoint line.
    pub(crate) fn endpoint(endpoint: &str, operation_id: &str) -> String {
        clean(&format!(" `{endpoint}` (operation `{operation_id}`)"))
    }

    /// A request whose operationId other paths share.
    pub(crate) fn shared_operation_id(others: &[String]) -> String {
        let others: Vec<String> = others.iter().map(|o| format!("`{o}`")).collect();
        clean(&format!(
            " The spec gives the same operationId to {}; each path is a request type of its own.",
            others.join(", ")
        ))
    }

    /// A request's `new`.
    pub(crate) const REQUEST_NEW: &str =
        " A request with its required parameters; set optional ones with the methods below.";

    /// The `new` of a struct users build whose fields are all optional.
    pub(crate) const NEW_ALL_OPTIONAL: &str =
        " A value with every field `None`, the same as `default()`; set what you need.";

    /// The `new` of a struct users build with required fields.
    pub(crate) const NEW_WITH_REQUIRED: &str = " A value with the required fields set and every optional field `None`.";

    /// A setter's first line.
    pub(crate) fn setter(wire: &str) -> String {
        clean(&format!(" Sets `{wire}`."))
    }

    /// The field that keeps what Stripe sent and the struct does not name.
    pub(crate) const UNKNOWN_FIELDS: &str = " What Stripe sent that this version of the crate has no field for (a field added \
                                              later), as JSON by its name; written back when the object is encoded.";

    /// A string enum's value.
    pub(crate) fn enum_value(wire: &str) -> String {
        match wire {
            "" => " The empty string.".to_owned(),
            w => format!(" `{}`", clean(&w.replace('`', "'"))),
        }
    }

    /// A string enum's catch-all variant.
    pub(crate) const UNKNOWN_ENUM_VALUE: &str = " A value this version of the crate does not know; kept as sent.";

    /// A received union's catch-all variant.
    pub(crate) const UNKNOWN_UNION_VALUE: &str = " A value this crate cannot place: an unknown tag, or a value that fits more than one alternative. Kept as JSON.";
}

#[cfg(test)]
mod tests {
    use super::sanitize;
    use proptest::prelude::*;

    #[test]
    fn sanitized_is_sanitize_once_per_text() {
        let mut sanitized = super::Sanitized::default();
        for text in ["<p>A <code>b</code>.</p>", "", "  ", "<p>A <code>b</code>.</p>", "[x](https://y) <z>"] {
            assert_eq!(sanitized.of(Some(text)), sanitize(text), "{text:?}");
        }
        assert_eq!(sanitized.done.len(), 4);
        assert_eq!(sanitized.of(None), None);
    }

    proptest! {
        /// `clean`'s byte test finds every control character the char test would.
        #[test]
        fn clean_makes_every_control_character_a_space(text in "(\\PC|[\\x00-\\x1f\\x7f-\\u{9f}]){0,40}") {
            let expected: String = text.chars().map(|c| if c.is_control() && c != '\n' { ' ' } else { c }).collect();
            prop_assert_eq!(super::clean(&text), expected);
        }
    }

    #[test]
    fn html_becomes_markdown() {
        assert_eq!(
            sanitize("<p>Create a <code>Session</code>. See <a href=\"https://x.y/z\">docs</a>.</p>").as_deref(),
            Some("Create a `Session`. See [docs](https://x.y/z).")
        );
    }

    #[test]
    fn hazards_are_neutralised() {
        let doc = sanitize("a[b] <div> https://stripe.com/docs. `x[0] <y>`\n```\nfn main() {}\n").unwrap_or_default();
        assert_eq!(doc, "a\\[b\\] &lt;div&gt; <https://stripe.com/docs>. `x[0] <y>`\n```text\nfn main() {}\n```");
        assert_eq!(sanitize("      indented"), Some("  indented".to_owned()));
        assert_eq!(sanitize("   "), None);
        assert_eq!(sanitize("odd ` tick").as_deref(), Some("odd \\` tick"));
        assert_eq!(sanitize("a\rb\u{0}c\td").as_deref(), Some("a b c d"));
    }
}
