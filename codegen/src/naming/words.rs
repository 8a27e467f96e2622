//! Rust names from wire names: case conversion, escaping, and deterministic collision breaking.
//!
//! Every identifier the generator emits is made here, so no spec text reaches the output
//! except as a string literal (wire names) or a doc comment.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet};

/// Words that cannot be identifiers in edition 2024 (strict, reserved and `gen`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "union",
];

/// The enum of a webhook event's typed objects (`emit::events`).
pub(crate) const EVENT_OBJECT: &str = "EventObject";

/// Type names the generated code relies on, which no generated type may shadow (with the
/// runtime's, [`crate::runtime::TYPES`]).
pub(crate) const RESERVED_TYPE_NAMES: &[&str] = &[
    // std prelude and what generated code names unqualified
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Eq",
    "Err",
    "Hash",
    "None",
    "Ok",
    "Option",
    "PartialEq",
    "Result",
    "Self",
    "Some",
    "String",
    "Vec",
    "Send",
    "Sync",
    "Sized",
    "From",
    "Into",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    // what the generator adds beside the spec's types
    EVENT_OBJECT,
];

/// `snake_case` field or module identifier for a wire name, escaped to be a valid identifier.
pub(crate) fn snake_ident(wire: &str) -> String {
    let mut s = if is_plain_snake(wire) { wire.to_owned() } else { ascii_only(wire).to_snake_case() };
    if s.is_empty() {
        s = "empty".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if KEYWORDS.contains(&s.as_str()) || s == "_" {
        s.push('_');
    }
    s
}

/// `UpperCamelCase` type or variant identifier for a wire name, escaped to be a valid identifier.
pub(crate) fn camel_ident(wire: &str) -> String {
    let mut s = if is_plain_snake(wire) { plain_snake_to_camel(wire) } else { ascii_only(wire).to_upper_camel_case() };
    if s.is_empty() {
        s = "Empty".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'N');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// Already `snake_case` as heck would write it: `[a-z0-9]` words joined by single `_`.
/// Most of Stripe's wire names are; they skip heck's general (and slower) word splitting.
fn is_plain_snake(wire: &str) -> bool {
    !wire.is_empty()
        && !wire.starts_with('_')
        && !wire.ends_with('_')
        && !wire.contains("__")
        && wire.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// `UpperCamelCase` of a plain snake name: each word capitalised, the underscores dropped.
fn plain_snake_to_camel(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len());
    for word in wire.split('_') {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// Replaces every character that is not ASCII alphanumeric or a word separator heck knows
/// by a separator, and spells non-ASCII letters as `u<hex>` so that names stay distinct.
fn ascii_only(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len());
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!("_u{:x}_", c as u32));
        } else {
            out.push('_');
        }
    }
    out
}

/// The methods every generated struct that users build has, which a setter must not take.
const STRUCT_METHODS: &[&str] = &["new", "default"];
/// The methods every request type has, which a setter must not take.
const REQUEST_METHODS: &[&str] = &["new", "send", "send_with", "paginate", "paginate_with", "default"];

/// The field of a received struct that keeps what Stripe sent and the type does not name:
/// `extra`, or a longer name where the struct has a field `extra`.
pub(crate) fn unknown_fields_name<'a>(fields: impl Iterator<Item = &'a str> + Clone) -> String {
    let free = |name: &str| !fields.clone().any(|f| f == name);
    ["extra", "extra_fields"]
        .into_iter()
        .find(|n| free(n))
        .map(str::to_owned)
        .unwrap_or_else(|| (2..).map(|n| format!("extra_fields{n}")).find(|n| free(n)).unwrap_or_default())
}

/// The plural of an English noun, as Stripe's paths spell them (`account` → `accounts`,
/// `entry` → `entries`, `box` → `boxes`).
pub(crate) fn plural_of(noun: &str) -> String {
    if noun.ends_with('y') && !noun.ends_with("ey") {
        format!("{}ies", &noun[..noun.len() - 1])
    } else if noun.ends_with('s') || noun.ends_with('x') || noun.ends_with("ch") || noun.ends_with("sh") {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

/// The suffixes lower records for inline types (a type's name is its owner's, then these):
/// spelled here, with every other piece of a name; lower only chooses which applies.
pub(crate) mod suffix {
    use super::camel_ident;

    /// A request's successful response body, inline (`CreateWidgetResponse`).
    pub(crate) const RESPONSE: &str = "Response";
    /// A request's error body, inline (`CreateWidgetErrorResponse`).
    pub(crate) const ERROR_RESPONSE: &str = "ErrorResponse";

    /// The values of a map property (`metadata` → `MetadataValue`).
    pub(crate) fn map_value(of: &str) -> String {
        format!("{of}Value")
    }

    /// The items of an array whose singular is its name already (`Data` → `DataItem`).
    pub(crate) fn item(of: &str) -> String {
        format!("{of}Item")
    }

    /// An inline member of a union: its title, else its position from 1 (`Variant2`).
    pub(crate) fn member(title: Option<&str>, index: usize) -> String {
        match title {
            Some(title) => camel_ident(title),
            None => format!("Variant{}", index + 1),
        }
    }
}

#[cfg(test)]
#[test]
fn the_unknown_fields_field_keeps_clear_of_the_structs_fields() {
    assert_eq!(unknown_fields_name(["id", "object"].into_iter()), "extra");
    assert_eq!(unknown_fields_name(["extra"].into_iter()), "extra_fields");
    assert_eq!(unknown_fields_name(["extra", "extra_fields", "extra_fields2"].into_iter()), "extra_fields3");
}

/// The setter of a struct's field: the field's own name, or `with_` before it where that is a
/// method the struct already has (`with_new`).
pub(crate) fn struct_setter(field: &str) -> String {
    setter_name(field, STRUCT_METHODS)
}

/// The setter of a request's parameter, like [`struct_setter`] (`with_send`).
pub(crate) fn request_setter(field: &str) -> String {
    setter_name(field, REQUEST_METHODS)
}

fn setter_name(field: &str, methods: &[&str]) -> String {
    if methods.contains(&field) { format!("with_{}", field.trim_end_matches('_')) } else { field.to_owned() }
}

/// A simple English singular for naming the items of an array property (`permissions` → `permission`).
pub(crate) fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for suffix in ["sses", "ches", "shes", "xes"] {
        if word.ends_with(suffix) {
            return word[..word.len() - 2].to_owned();
        }
    }
    if word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && !word.ends_with("is") {
        return word[..word.len() - 1].to_owned();
    }
    word.to_owned()
}

/// Makes the names in `names` unique by appending `_2`, `_3`, ... to later duplicates; a name that
/// equals its wire spelling keeps it first. `wires[i]` is the wire name `names[i]` came from.
pub(crate) fn dedupe_members(names: &mut [String], wires: &[String], separator: &str) {
    let mut order: Vec<usize> = (0..names.len()).collect();
    // exact spellings claim their name before converted ones
    order.sort_by_key(|&i| (names[i] != wires[i], i));
    let mut taken = BTreeSet::new();
    for i in order {
        if !taken.insert(names[i].clone()) {
            // `self_` and `self` become `self_2`, not `self__2`
            let base = match names[i].trim_end_matches('_') {
                "" => names[i].clone(),
                trimmed => trimmed.to_owned(),
            };
            let mut n = 2;
            while !taken.insert(format!("{base}{separator}{n}")) {
                n += 1;
            }
            names[i] = format!("{base}{separator}{n}");
        }
    }
}

/// Picks one name per entry from its candidates (preferred first), so that all names are
/// distinct and none is in `taken`.
///
/// Entries that want the same name all move on to their next candidate together, so no entry
/// wins a contested name by coming first; an entry with no candidate left keeps its last one.
/// Entries that still collide on their last candidate are numbered from their first, in entry
/// order (schemas `Thing` and `thing`, both wanting `Thing` then `ThingObject`, become `Thing`
/// and `Thing2`). The result depends only on the input.
pub(crate) fn resolve(candidates: &[Vec<String>], taken: &mut BTreeSet<String>) -> Vec<String> {
    let mut choice = vec![0usize; candidates.len()];
    loop {
        let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, c) in candidates.iter().enumerate() {
            by_name.entry(c[choice[i]].as_str()).or_default().push(i);
        }
        let mut advanced = false;
        for (name, entries) in &by_name {
            if entries.len() > 1 || taken.contains(*name) {
                for &i in entries {
                    if choice[i] + 1 < candidates[i].len() {
                        choice[i] += 1;
                        advanced = true;
                    }
                }
            }
        }
        if !advanced {
            break;
        }
    }
    let mut wanted: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        *wanted.entry(c[choice[i]].as_str()).or_default() += 1;
    }
    let still_contested: Vec<bool> =
        candidates.iter().enumerate().map(|(i, c)| wanted[c[choice[i]].as_str()] > 1).collect();
    let mut out = Vec::with_capacity(candidates.len());
    for (i, c) in candidates.iter().enumerate() {
        let base = if still_contested[i] { &c[0] } else { &c[choice[i]] };
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        taken.insert(name.clone());
        out.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_types_suffixes_and_plurals_are_spelled_here() {
        assert_eq!(suffix::map_value("Metadata"), "MetadataValue");
        assert_eq!(suffix::item("Data"), "DataItem");
        assert_eq!(suffix::member(Some("range_query_specs"), 0), "RangeQuerySpecs");
        assert_eq!(suffix::member(None, 1), "Variant2");
        assert_eq!(plural_of("account"), "accounts");
        assert_eq!(plural_of("entry"), "entries");
        assert_eq!(plural_of("key"), "keys");
        assert_eq!(plural_of("box"), "boxes");
        assert_eq!(plural_of("branch"), "branches");
    }

    #[test]
    fn identifiers_are_escaped() {
        assert_eq!(snake_ident("type"), "type_");
        assert_eq!(snake_ident("self"), "self_");
        assert_eq!(snake_ident("3d_secure"), "_3d_secure");
        assert_eq!(snake_ident("a-b.c[d] e"), "a_b_c_d_e");
        assert_eq!(snake_ident(""), "empty");
        assert_eq!(snake_ident("größe"), "gr_uf6_udf_e");
        assert_eq!(camel_ident("Self"), "Self_");
        assert_eq!(camel_ident("payment_method"), "PaymentMethod");
        assert_eq!(camel_ident("financial_connections.session"), "FinancialConnectionsSession");
        assert_eq!(camel_ident("3ds"), "N3ds");
        assert_eq!(camel_ident(""), "Empty");
    }

    #[test]
    fn fast_paths_agree_with_heck() {
        for wire in
            ["payment_method", "id", "line_of_credit2", "3d_secure", "a1b2", "x", "financial_connections", "v2x_y"]
        {
            assert!(is_plain_snake(wire), "{wire}");
            assert_eq!(wire.to_snake_case(), wire, "{wire}");
            assert_eq!(plain_snake_to_camel(wire), wire.to_upper_camel_case(), "{wire}");
        }
        for wire in ["_a", "a_", "a__b", "aB", "a-b", "A", ""] {
            assert!(!is_plain_snake(wire), "{wire}");
        }
    }

    #[test]
    fn singular_of_common_plurals() {
        assert_eq!(singular("permissions"), "permission");
        assert_eq!(singular("account_subcategories"), "account_subcategory");
        assert_eq!(singular("prefetch"), "prefetch");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("status"), "status");
    }

    #[test]
    fn members_are_deduplicated_with_exact_spelling_first() {
        let wires = vec!["aB".to_owned(), "a_b".to_owned()];
        let mut names = vec!["a_b".to_owned(), "a_b".to_owned()];
        dedupe_members(&mut names, &wires, "_");
        assert_eq!(names, ["a_b_2", "a_b"]);
    }

    #[test]
    fn contested_names_move_on_together() {
        let c = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut taken: BTreeSet<String> = ["Error".to_owned()].into();
        let names = resolve(
            &[
                c(&["Session", "CheckoutSession"]),
                c(&["Session", "FinancialConnectionsSession"]),
                c(&["Account"]),
                c(&["Account", "FinancialConnectionsAccount"]),
                c(&["Error", "ErrorObject"]),
                c(&["Dup"]),
                c(&["Dup"]),
                c(&["Thing", "ThingObject"]),
                c(&["Thing", "ThingObject"]),
            ],
            &mut taken,
        );
        assert_eq!(
            names,
            [
                "CheckoutSession",
                "FinancialConnectionsSession",
                "Account",
                "FinancialConnectionsAccount",
                "ErrorObject",
                "Dup",
                "Dup2",
                "Thing",
                "Thing2"
            ]
        );
    }
}
