//! Generates a typed Rust client for Stripe's API from a Stripe-flavoured OpenAPI 3.0 document.
//!
//! The generator is a pure function: spec text in, a sorted map of `relative path → file text`
//! out. It never touches the file system (that is `xtask`'s job), never panics on a spec, and
//! gives the same bytes for the same spec. The stages, each in its own module:
//!
//! 1. [`load`](Spec::parse): YAML or JSON into `openapiv3::OpenAPI`;
//! 2. `lower` + `finish`: the document into the [`ir`], where every name and type is decided;
//! 3. `emit`: the IR into `quote!` tokens; 4. `render`: tokens into text with prettyplease.
//!
//! ```
//! let spec = "openapi: 3.0.0\ninfo: {title: t, version: '2023-08-16'}\npaths: {}\n";
//! let out = stripe_codegen::generate("spec.yaml", spec).unwrap();
//! assert!(out.files["mod.rs"].starts_with("// @generated"));
//! ```

mod docs;
mod emit;
mod error;
mod finish;
pub mod ir;
mod load;
mod lower;
mod names;
mod render;

pub use error::Error;
use std::collections::BTreeMap;

/// A parsed spec, ready to lower.
#[derive(Debug, Clone)]
pub struct Spec {
    file: String,
    document: openapiv3::OpenAPI,
}

impl Spec {
    /// Parses spec text (YAML, or JSON when it starts with `{`); `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Spec, Error> {
        Ok(Spec { file: file.to_owned(), document: load::load(file, text)? })
    }

    /// Decides every type and name: the IR that `render` turns into code.
    pub fn lower(&self) -> Result<ir::Api, Error> {
        let drafts = lower::lower(&self.document).map_err(|e| e.in_file(&self.file))?;
        finish::finish(drafts).map_err(|e| e.in_file(&self.file))
    }
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Files relative to the generated module directory (`mod.rs`, `financial_connections/session.rs`).
    pub files: BTreeMap<String, String>,
    /// Counts for the summary line.
    pub stats: Stats,
}

/// Counts of what was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// Named types.
    pub types: usize,
    /// Request types (one per operation).
    pub operations: usize,
    /// Files.
    pub files: usize,
    /// Lines of Rust, all files together.
    pub lines: usize,
}

/// The token trees of every module, before printing; see [`emit`] and [`render_tokens`].
pub struct Tokens(emit::ModuleTokens);

/// Maps the IR to token trees, one per module (the `emit` stage alone, for benchmarks).
pub fn emit(api: &ir::Api) -> Tokens {
    Tokens(emit::emit(api))
}

/// Prints token trees to files (the `render` stage alone, for benchmarks).
pub fn render_tokens(spec_name: &str, api: &ir::Api, tokens: Tokens) -> Result<Output, Error> {
    let files = render::render(spec_name, tokens.0).map_err(|e| e.in_file(spec_name))?;
    let stats = Stats {
        types: api.types.len(),
        operations: api.operations.len(),
        files: files.len(),
        lines: files.values().map(|f| f.lines().count()).sum(),
    };
    Ok(Output { files, stats })
}

/// The whole pipeline: spec text to generated files.
pub fn generate(spec_name: &str, text: &str) -> Result<Output, Error> {
    let spec = Spec::parse(spec_name, text)?;
    render(spec_name, &spec.lower()?)
}

/// Renders an IR to files: [`emit`] then [`render_tokens`]. `spec_name` goes into every
/// file's `@generated` header.
pub fn render(spec_name: &str, api: &ir::Api) -> Result<Output, Error> {
    render_tokens(spec_name, api, emit(api))
}
