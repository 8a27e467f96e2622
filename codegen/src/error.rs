//! The one error type of the generator: where in which spec, and what is wrong.
//!
//! Every failure names the spec file, a JSON pointer into the document (RFC 6901, as `#/paths/~1v1~1...`),
//! the line and column when the parser knows them, and what to do about it.

use std::fmt;

/// A spec the generator cannot turn into Rust, with the place and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The spec file, as the caller named it (`spec/financial_connections_session.yaml`).
    pub file: String,
    /// JSON pointer to the offending node, starting with `#`; `#` alone for the whole document.
    pub pointer: String,
    /// 1-based line and column, when the parser reported them.
    pub location: Option<(usize, usize)>,
    /// What is wrong, as one sentence.
    pub message: String,
    /// What the maintainer can do about it, when there is something useful to say.
    pub hint: Option<String>,
}

impl Error {
    pub(crate) fn at(pointer: &Pointer, message: impl Into<String>) -> Self {
        Error { file: String::new(), pointer: pointer.to_string(), location: None, message: message.into(), hint: None }
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn in_file(mut self, file: &str) -> Self {
        self.file = file.to_owned();
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, column)) = self.location {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": at {}: {}", self.pointer, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// A JSON pointer under construction, as the lowering walks the document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Pointer(String);

impl Pointer {
    pub(crate) fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// Parses a local `$ref` (`#/components/schemas/x`) into a pointer; `None` for other documents.
    pub(crate) fn from_ref(reference: &str) -> Option<Self> {
        (reference == "#" || reference.starts_with("#/")).then(|| Pointer(reference.to_owned()))
    }

    /// The pointer one level down, escaping `~` and `/` as RFC 6901 asks.
    pub(crate) fn push(&self, segment: &str) -> Self {
        let mut s = String::with_capacity(self.0.len() + segment.len() + 1);
        s.push_str(&self.0);
        s.push('/');
        for c in segment.chars() {
            match c {
                '~' => s.push_str("~0"),
                '/' => s.push_str("~1"),
                c => s.push(c),
            }
        }
        Pointer(s)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
