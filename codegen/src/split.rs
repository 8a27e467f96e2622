//! Splits a block-style YAML document into pieces that parse on their own, so that a large
//! spec parses on every core (Stripe's 4 MB spec is one block mapping whose `paths` and
//! `components/schemas` entries are the bulk of it).
//!
//! Only a speed-up, never a second meaning: the split is made from lines whose role is certain
//! (a plain `key:` at exactly the indentation of its mapping, nothing less indented inside an
//! entry), and [`parse`] gives up, returning `None`, on anything else: a line it does not
//! understand, a piece that fails to parse (an alias of an anchor in another piece, a quoted
//! scalar cut in two), a piece with a key count other than its lines say, or a key found in
//! two pieces. The caller then parses the whole text as one, which also words every error.

use crate::walk::{At, Walk};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// How deep entries are split (Stripe's spec needs 3: `components`, `schemas`, a schema); a
/// bound on the recursion whatever the text's nesting.
const MAX_DEPTH: usize = 8;

/// Consecutive entries of one mapping, at their indentation in the document.
#[derive(Debug, PartialEq)]
pub(crate) struct Piece<'t> {
    /// Keys from the document root to the mapping the entries belong to (empty: the root).
    pub(crate) parents: Vec<String>,
    pub(crate) text: &'t str,
    /// How many keys the piece holds.
    pub(crate) entries: usize,
}

/// One line of the text.
struct Line<'t> {
    start: usize,
    /// Its text without the line break.
    text: &'t str,
    /// Leading spaces; `None` for a blank line or a comment, which belong to no entry.
    indent: Option<usize>,
}

/// One `key:` line and the lines of its value, as line indices `[first, end)`.
struct Entry<'t> {
    key: std::borrow::Cow<'t, str>,
    /// Where the `:` after the key is on its line, from the start of the key.
    colon: usize,
    first: usize,
    end: usize,
}

/// Parses `text` on `threads` threads; `None` when it cannot be split with certainty or a
/// piece does not parse as its lines promised.
pub(crate) fn parse(text: &str, threads: usize) -> Option<Value> {
    parse_in_pieces(text, threads, target_for(text, threads))
}

/// The pieces of `text` to parse on `threads` threads, a few per thread so that they share
/// the work evenly, no entry of the mappings at `whole` (keys from the root) cut further;
/// `None` when it cannot be split with certainty.
pub(crate) fn pieces<'t>(text: &'t str, threads: usize, whole: &[&[&str]]) -> Option<Vec<Piece<'t>>> {
    split_keeping(text, target_for(text, threads), whole)
}

fn target_for(text: &str, threads: usize) -> usize {
    text.len() / (threads * 8).max(1)
}

/// [`parse`] with pieces of about `target` bytes.
fn parse_in_pieces(text: &str, threads: usize, target: usize) -> Option<Value> {
    let pieces = split(text, target)?;
    let parsed = crate::parallel::map(&pieces, threads, parse_piece)?;
    let mut root = Map::new();
    for (piece, map) in pieces.iter().zip(parsed) {
        merge(&mut root, &piece.parents, map?)?;
    }
    Some(Value::Object(root))
}

/// Puts a piece's entries in their place under `root`; `None` when a key is already there
/// (a key in two pieces: the whole parse names the duplicate) or a parent is no mapping.
pub(crate) fn merge(root: &mut Map<String, Value>, parents: &[String], entries: Map<String, Value>) -> Option<()> {
    let mut target = root;
    for key in parents {
        target = target.entry(key.clone()).or_insert_with(|| Value::Object(Map::new())).as_object_mut()?;
    }
    for (key, value) in entries {
        if target.insert(key, value).is_some() {
            return None;
        }
    }
    Some(())
}

/// A piece's entries as JSON values, by the walk; `None` when it fails, holds a duplicate key
/// or holds other than its lines promised.
pub(crate) fn parse_piece(piece: &Piece) -> Option<Map<String, Value>> {
    let mut duplicate = None;
    let seed = Walk { duplicate: &mut duplicate, at: At::Keys(&piece.parents) };
    let value = serde::de::DeserializeSeed::deserialize(seed, serde_yaml::Deserializer::from_str(piece.text)).ok()?;
    match value {
        Value::Object(map) if duplicate.is_none() && map.len() == piece.entries => Some(map),
        _ => None,
    }
}

/// The pieces of `text`, in document order, each about `target` bytes or one entry that cannot
/// be split further; `None` when the top level is not a block mapping of plain keys.
fn split(text: &str, target: usize) -> Option<Vec<Piece<'_>>> {
    split_keeping(text, target, &[])
}

/// [`split`], no entry of the mappings at `whole` cut further.
fn split_keeping<'t>(text: &'t str, target: usize, whole: &[&[&str]]) -> Option<Vec<Piece<'t>>> {
    // about one line per 32 bytes in a spec: reserved, so the list is not copied as it grows
    let mut lines = Vec::with_capacity(text.len() / 32);
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        // `split_inclusive` leaves one `\n` at most at the end, after any `\r`s
        let body = line.strip_suffix('\n').unwrap_or(line).trim_end_matches('\r');
        // the indentation by bytes: a space is one byte, and a byte loop is quicker than chars
        let content = &body[body.bytes().take_while(|&b| b == b' ').count()..];
        if content.starts_with('\t') {
            return None; // tabs cannot indent YAML; leave such text to the parser
        }
        let indent = (!content.is_empty() && !content.starts_with('#')).then(|| body.len() - content.len());
        lines.push(Line { start, text: body, indent });
        start += line.len();
    }
    let splitter = Splitter { text, lines, target, whole };
    let top = splitter.entries(0, splitter.lines.len(), 0).filter(|top| !top.is_empty())?;
    let mut pieces = Vec::new();
    splitter.pieces(&top, &mut Vec::new(), &mut pieces)?;
    Some(pieces)
}

struct Splitter<'t, 'w> {
    text: &'t str,
    lines: Vec<Line<'t>>,
    target: usize,
    /// Mappings whose entries are pieces or parts of one, never cut.
    whole: &'w [&'w [&'w str]],
}

impl<'t> Splitter<'t, '_> {
    /// The entries of the block mapping at `indent` on lines `[first, end)`; `None` unless
    /// every line with content belongs to an entry starting with a plain `key:` at `indent`.
    fn entries(&self, first: usize, end: usize, indent: usize) -> Option<Vec<Entry<'t>>> {
        let mut entries: Vec<Entry<'t>> = Vec::new();
        for (i, line) in self.lines.iter().enumerate().take(end).skip(first) {
            match line.indent {
                None => {}
                Some(n) if n > indent && !entries.is_empty() => {}
                Some(n) if n == indent => {
                    if let Some(last) = entries.last_mut() {
                        last.end = i;
                    }
                    let (key, colon) = simple_key(&line.text[n..])?;
                    entries.push(Entry { key, colon, first: i, end });
                }
                Some(_) => return None,
            }
        }
        Some(entries)
    }

    /// The bytes of lines `[first, end)`.
    fn bytes(&self, first: usize, end: usize) -> &'t str {
        let start = self.lines[first].start;
        let stop = self.lines.get(end).map_or(self.text.len(), |l| l.start);
        &self.text[start..stop]
    }

    /// The entries of the mapping that is `entry`'s value, if its key line holds nothing else
    /// and a block mapping follows.
    fn children(&self, entry: &Entry<'t>) -> Option<Vec<Entry<'t>>> {
        let line = &self.lines[entry.first];
        let rest = line.text[line.indent? + entry.colon + 1..].trim_start_matches(' ');
        if !(rest.is_empty() || rest.starts_with('#')) {
            return None; // a value on the key line: an anchor, a tag, a scalar, a flow mapping
        }
        let (index, first) = self.lines[..entry.end]
            .iter()
            .enumerate()
            .skip(entry.first + 1)
            .find_map(|(i, l)| l.indent.map(|n| (i, n)))?;
        self.entries(index, entry.end, first)
    }

    /// Appends the pieces of sibling `entries` under `parents`, splitting any entry larger than
    /// the target into its children, and grouping small neighbours. `None` when two of the
    /// entries have the same key: the whole parse names the duplicate.
    fn pieces(&self, entries: &[Entry<'t>], parents: &mut Vec<String>, out: &mut Vec<Piece<'t>>) -> Option<()> {
        let mut keys: Vec<&str> = entries.iter().map(|e| &*e.key).collect();
        keys.sort_unstable();
        if keys.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
        let mut group: Option<(usize, usize, usize)> = None; // first line, end line, entries
        let flush = |group: &mut Option<(usize, usize, usize)>, out: &mut Vec<Piece<'t>>, parents: &[String]| {
            if let Some((first, end, entries)) = group.take() {
                out.push(Piece { parents: parents.to_vec(), text: self.bytes(first, end), entries });
            }
        };
        for entry in entries {
            let size = self.bytes(entry.first, entry.end).len();
            let kept = self.whole.iter().any(|keys| keys.iter().copied().eq(parents.iter().map(String::as_str)));
            let deeper = size > self.target && parents.len() < MAX_DEPTH && !kept;
            let children = deeper.then(|| self.children(entry)).flatten();
            if let Some(children) = children.filter(|c| !c.is_empty()) {
                flush(&mut group, out, parents);
                parents.push(entry.key.clone().into_owned());
                self.pieces(&children, parents, out)?;
                parents.pop();
                continue;
            }
            let (first, _, count) = group.unwrap_or((entry.first, entry.end, 0));
            group = Some((first, entry.end, count + 1));
            if self.bytes(first, entry.end).len() >= self.target {
                flush(&mut group, out, parents);
            }
        }
        flush(&mut group, out, parents);
        Some(())
    }
}

/// The key of a line that is `key:` or `key: value`, and where its `:` is, for a key YAML
/// reads as the string written: a plain scalar that starts like a word, with no `#` or `: `
/// in it and not a null or boolean, or a quoted one with no escapes (`''` in single quotes is
/// one `'`). Keys are compared (duplicates) and used as parents as text, so a key that reads
/// otherwise (`~`, `1.0`, `true`) makes its mapping unsplittable.
fn simple_key(line: &str) -> Option<(Cow<'_, str>, usize)> {
    let (key, colon) = match line.chars().next()? {
        quote @ ('\'' | '"') => {
            let close = line[1..].find(quote)? + 1;
            let mut key = Cow::Borrowed(&line[1..close]);
            let mut close = close;
            if quote == '\'' {
                // `''` inside single quotes is one quote
                while line[close + 1..].starts_with('\'') {
                    let more = line[close + 2..].find('\'')? + close + 2;
                    key = Cow::Owned(format!("{key}'{}", &line[close + 2..more]));
                    close = more;
                }
            } else if key.contains('\\') {
                return None;
            }
            (key, close + 1)
        }
        // a plain key is a string as written only if it starts like a word and is no word
        // YAML reads as null or a boolean (a number, `~` or `.inf` would not start so)
        first if !(first.is_alphabetic() || first == '/' || first == '_' || first == '$') => return None,
        _ => {
            let colon = line.find(':')?;
            let key = &line[..colon];
            let typed = ["null", "true", "false", "y", "n", "yes", "no", "on", "off"];
            if key.contains('#') || key.ends_with(' ') || typed.iter().any(|t| key.eq_ignore_ascii_case(t)) {
                return None;
            }
            (Cow::Borrowed(key), colon)
        }
    };
    let after = line[colon..].strip_prefix(':')?;
    let plain = !key.chars().any(char::is_control);
    (plain && (after.is_empty() || after.starts_with([' ', '\r']))).then_some((key, colon))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::{parse, split};
    use crate::walk::{At, Walk};
    use proptest::prelude::*;

    /// The whole parse, for comparison.
    fn whole(text: &str) -> serde_json::Value {
        try_whole(text).unwrap()
    }

    /// The whole parse; `None` when the text fails or has a duplicate key.
    fn try_whole(text: &str) -> Option<serde_json::Value> {
        let mut duplicate = None;
        let seed = Walk { duplicate: &mut duplicate, at: At::Keys(&[]) };
        let value = serde::de::DeserializeSeed::deserialize(seed, serde_yaml::Deserializer::from_str(text)).ok()?;
        duplicate.is_none().then_some(value)
    }

    pub(crate) fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "a",
                "b",
                "/v1/x/{y}",
                "it's",
                "q\"",
                "with space",
                "-dash",
                "#hash",
                "a#b",
                "x: y",
                "x:",
                "200",
                "true",
                "null",
                "",
                "ключ",
                "? q",
                "&a",
                "*a",
                "!t",
                "|",
                ">",
                "%",
                "@",
                "`",
                "~",
                "1.0",
                "0x10",
                "True",
                "NULL",
                "+1",
                "yes",
            ])
            .prop_map(str::to_owned),
            "[a-z]{1,4}",
        ]
    }

    fn scalar() -> impl Strategy<Value = serde_json::Value> {
        prop_oneof![
            prop::sample::select(vec![
                "one\ntwo",
                "  lead",
                "trail ",
                "#",
                "- item",
                "key: value",
                "'",
                "\"",
                "",
                "null",
                "123",
                "|",
                ">",
                "a\n\nb\n",
                "x\r\ny",
                "tab\there",
            ])
            .prop_map(serde_json::Value::from),
            any::<i32>().prop_map(serde_json::Value::from),
            any::<bool>().prop_map(serde_json::Value::from),
            Just(serde_json::Value::Null),
        ]
    }

    fn document() -> impl Strategy<Value = serde_json::Value> {
        scalar().prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(serde_json::Value::from),
                prop::collection::btree_map(key(), inner, 0..5)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// A line-level edit of YAML text: none, a line removed, repeated, shifted by a space, or
    /// stripped of its quotes.
    pub(crate) fn edit(text: &str, kind: u8, at: usize) -> String {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        if lines.is_empty() {
            return text.to_owned();
        }
        let i = at % lines.len();
        match kind % 6 {
            1 => drop(lines.remove(i)),
            2 => lines.insert(i, lines[i].clone()),
            3 => lines[i].insert(0, ' '),
            4 => lines[i] = lines[i].trim_start_matches(' ').to_owned(),
            // `'200':` becomes `200:`, a key YAML reads as a number
            5 => lines[i] = lines[i].replace(['\'', '"'], ""),
            _ => {}
        }
        lines.join("\n") + "\n"
    }

    proptest! {
        /// The split never changes what a document means: whenever it answers, the whole
        /// parse succeeds and agrees, whatever the text (serde_yaml's output, then edited).
        #[test]
        fn a_split_parse_is_the_whole_parse_or_nothing(
            doc in prop::collection::btree_map(key(), document(), 1..6),
            kind in any::<u8>(),
            at in any::<usize>(),
            target in prop::sample::select(vec![1usize, 8, 40]),
        ) {
            let value = serde_json::Value::Object(doc.into_iter().collect());
            let text = edit(&serde_yaml::to_string(&value).unwrap(), kind, at);
            if let Some(split) = super::parse_in_pieces(&text, 2, target) {
                prop_assert_eq!(Some(split), try_whole(&text), "{}", text);
            }
        }
    }

    const DOC: &str = "openapi: 3.0.0\npaths:\n  /v1/a:\n    get:\n      description: >-\n        long\n\n        text\n  # a comment\n  /v1/b:\n    post: {}\ncomponents:\n  schemas:\n    a:\n      type: string\n    b:\n      type: object\n      properties:\n        x:\n          type: integer\n";

    #[test]
    fn pieces_parse_to_the_whole() {
        for target in [1, 10, 40, 1000] {
            for threads in [1, 2, 3] {
                let pieces = split(DOC, target).unwrap();
                assert!(target > 100 || pieces.len() > 3, "{target}: {pieces:?}");
                assert_eq!(parse(DOC, threads).unwrap(), whole(DOC), "{target} {threads}");
            }
        }
        let pieces = split(DOC, 40).unwrap();
        let texts: Vec<(&[String], &str)> = pieces.iter().map(|p| (p.parents.as_slice(), p.text)).collect();
        assert_eq!(
            texts[..3],
            [
                (&[][..], "openapi: 3.0.0\n"),
                (
                    &["paths".to_owned(), "/v1/a".to_owned(), "get".to_owned()][..],
                    "      description: >-\n        long\n\n        text\n  # a comment\n"
                ),
                (&["paths".to_owned()][..], "  /v1/b:\n    post: {}\n"),
            ]
        );
    }

    #[test]
    fn stripes_spec_splits_and_parses_to_the_whole() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/upstream/spec3.yaml");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let target = text.len() / 16;
        let pieces = split(&text, target).unwrap();
        assert!(pieces.len() > 16 && pieces.iter().all(|p| p.text.len() < 2 * target), "{} pieces", pieces.len());
        assert!(parse(&text, 2).unwrap() == whole(&text));
    }

    #[test]
    fn deep_nesting_is_split_to_a_bounded_depth() {
        let text: String = (0..200).map(|depth| format!("{}k{depth}:\n", " ".repeat(depth))).collect::<String>()
            + &" ".repeat(200)
            + "leaf: 1\n";
        let pieces = split(&text, 1).unwrap();
        assert!(pieces.iter().all(|p| p.parents.len() <= super::MAX_DEPTH));
        assert_eq!(parse(&text, 2), try_whole(&text));
    }

    #[test]
    fn quoted_keys_are_read_as_yaml_reads_them() {
        let text = "'/v1/a/{b}':\n  x: 1\n'it''s':\n  why: 2\n\"q\": 3\n";
        let pieces = split(text, 1).unwrap();
        assert_eq!(pieces[1].parents, ["it's"]);
        assert_eq!(parse(text, 2).unwrap(), whole(text));
        assert_eq!(super::simple_key("'a''b''c': x"), Some(("a'b'c".into(), 9)));
        assert_eq!(super::simple_key("'a'b: x"), None);
        assert_eq!(super::simple_key("a #b: x"), None);
        for typed in ["~: x", "1.0: x", "0x1: x", "True: x", "null:", ".inf: x", "+1: x"] {
            assert_eq!(super::simple_key(typed), None, "{typed}");
        }
        // `1.0:` and `'1':` are one key to YAML: not split, so the whole parse names it
        assert_eq!(parse("'1':\n  a: 1\n1.0:\n  b: 2\n", 2), None);
    }

    #[test]
    fn gives_up_where_it_cannot_be_sure() {
        for text in ["---\na: 1\n", "%YAML 1.2\n---\na: 1\n", "\"a\\tb\": 1\n", "[1, 2]\n", "a:\n\t b: 1\n"] {
            assert!(split(text, 1).is_none(), "{text}");
        }
        // text with no entry is null to YAML, not an empty mapping
        assert_eq!(parse("# only a comment\n\n", 2), None);
        // an entry holding a less indented line stays whole, and so fails as a whole
        assert_eq!(parse("a:\n  b: 1\n c: 2\nd: 3\n", 2), None);
        // an anchor and its alias in one piece
        assert_eq!(parse("a: &x\n  b: 1\nc: 2\n", 2), Some(whole("a: &x\n  b: 1\nc: 2\n")));
        // an alias of an anchor in another piece fails that piece: the whole parse decides
        assert_eq!(parse("a:\n  x: &k 1\nb:\n  y: *k\n", 2), None);
        // a key in two pieces is a duplicate for the whole parse to name
        assert_eq!(parse("a:\n  x: 1\na:\n  y: 2\n", 2), None);
        // a quoted scalar cut by a line that looks like a key
        assert_eq!(parse("a: \"one\nb: two\"\nc: 3\n", 2), None);
    }
}
