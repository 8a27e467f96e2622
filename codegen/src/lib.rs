//! Generates a typed Rust client for Stripe's API from a Stripe-flavoured OpenAPI 3.0 document.
//!
//! The generator is a pure function: spec text in, a sorted map of `relative path → file text`
//! out. It never touches the file system (that is `xtask`'s job), never panics on a spec, and
//! gives the same bytes for the same spec. One entry point, [`generate`] (or [`Spec::parse`],
//! [`Spec::lower`] and [`render()`] for the IR between them); the stages, each in its own module
//! (ARCHITECTURE.md has the map):
//!
//! 1. `load`: YAML or JSON into `openapiv3::OpenAPI`;
//! 2. `lower`: the document into drafts (`draft`), which `share` merges where identical;
//! 3. `naming` names and places them, and `finish` makes the [`ir`], where every decision is
//!    made: names, types, boxes, docs (`docs::fill`);
//! 4. `emit`: the IR into `syn` syntax trees, built directly (`syntax`);
//! 5. `render`: the trees into text with prettyplease.
//!
//! ```
//! let spec = "openapi: 3.0.0\ninfo: {title: t, version: '2023-08-16'}\npaths: {}\n";
//! let out = stripe_codegen::generate("spec.yaml", spec, &Default::default()).unwrap();
//! assert!(out.files["mod.rs"].starts_with("// @generated"));
//! ```

mod checked;
pub mod diff;
mod docs;
mod draft;
mod emit;
mod error;
mod example;
mod features;
mod finish;
mod graph;
pub mod ir;
mod load;
mod lock;
mod lower;
mod naming;
mod parallel;
mod render;
pub mod runtime;
mod share;
mod split;
mod syntax;
mod typed;
mod unions;
mod walk;

pub use error::Error;
pub use lock::NameLock;
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

    /// Decides every type and name: the IR that [`render()`] turns into code. Every item whose
    /// name `names` publishes keeps that name and module; new items are named among the names
    /// left free (`NameLock::default()` for none).
    pub fn lower(&self, names: &NameLock) -> Result<ir::Api, Error> {
        let mut drafts = lower::lower(&self.document).map_err(|e| e.in_file(&self.file))?;
        share::share(&mut drafts, names);
        finish::finish(drafts, names).map_err(|e| e.in_file(&self.file))
    }
}

/// How to generate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The library name of the crate the code goes into: request types then carry a doc example
    /// (a doctest, which must name the crate). None: no examples.
    pub crate_name: Option<String>,
    /// The names the crate has published (its `names.lock`), which stay.
    pub names: NameLock,
}

/// The whole pipeline: spec text to generated files. `spec_name` names the spec in errors and
/// in every file's `@generated` header.
pub fn generate(spec_name: &str, text: &str, options: &Options) -> Result<Output, Error> {
    // the parsed document is dropped once lowered: rendering reuses its memory
    let api = Spec::parse(spec_name, text)?.lower(&options.names)?;
    render(spec_name, &api, options.crate_name.as_deref())
}

/// Renders an IR to files: every module is emitted and printed, spread over the machine's
/// cores (the IR is plain data; syntax trees never cross threads). The result does not depend on
/// the number of threads. `crate_name` is as in [`Options`].
pub fn render(spec_name: &str, api: &ir::Api, crate_name: Option<&str>) -> Result<Output, Error> {
    let plan = emit::plan(api, crate_name);
    // largest modules first, so that every core stays busy to the end
    let mut modules: Vec<&ir::ModulePath> = plan.items.keys().collect();
    modules.sort_by_key(|m| std::cmp::Reverse(plan.items.get(*m).map_or(0, Vec::len)));
    let render_one = |module: &&ir::ModulePath| {
        let has_children = plan.children.contains_key(*module);
        render::render_module(spec_name, module, has_children, emit::emit_module(api, &plan, module))
    };
    let results = parallel::map(&modules, parallel::threads(8), render_one)
        .ok_or_else(|| Error::at(&error::Pointer::root(), "internal: a render thread panicked").in_file(spec_name))?;
    Ok(output(spec_name, api, results.into_iter().collect()))
}

/// The front page by resource (Markdown) that the crate's `lib.rs` includes in its docs.
pub const INDEX: &str = "index.md";

/// What a run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Files relative to the generated module directory (`mod.rs`, `financial_connections/session.rs`).
    pub files: BTreeMap<String, String>,
    /// Counts for the summary line.
    pub stats: Stats,
    /// The crate's resource features: each feature → the features it turns on (see
    /// [`Output::features_toml`]).
    pub features: BTreeMap<String, Vec<String>>,
    /// What the maintainer should know about the generated code (unions whose values cannot
    /// always be told apart); the code is complete either way.
    pub warnings: Vec<ir::Warning>,
    /// Every public item's module and name: the lock to pass to the next run.
    pub names: NameLock,
}

impl Output {
    /// The Rust files (every file but the Markdown [`INDEX`]), by path.
    pub fn rust_files(&self) -> impl Iterator<Item = (&String, &String)> {
        self.files.iter().filter(|(path, _)| path.ends_with(".rs"))
    }

    /// The `[features]` entries for the crate's manifest: the runtime's features, forwarded
    /// ([`runtime::FEATURES`]); one per resource module, with the features it turns on, and
    /// `full` for all of them. Features of a module compile its items; a resource named behind
    /// an expandable field of an enabled one is a stand-in that keeps the JSON while its own
    /// feature is off.
    pub fn features_toml(&self) -> String {
        let quoted = |names: &[String]| names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>();
        let all: Vec<String> = self.features.keys().cloned().collect();
        let mut out = runtime::feature_forwards();
        out.push_str(&format!("{} = [\n", features::FULL));
        for name in quoted(&all) {
            out.push_str(&format!("    {name},\n"));
        }
        out.push_str("]\n");
        for (name, turns_on) in &self.features {
            // a TOML bare key where the name allows one, as hand-written manifests have them
            let bare = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            let key = if bare { name.clone() } else { format!("\"{name}\"") };
            out.push_str(&format!("{key} = [{}]\n", quoted(turns_on).join(", ")));
        }
        out
    }
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

/// The stages of [`render()`] one at a time, on this thread, for the benchmark (`cargo xtask
/// bench`); not an API to build on.
#[doc(hidden)]
pub mod stages {
    use crate::{Output, emit, ir, render};
    use std::collections::BTreeMap;

    /// The syntax trees of every module, before printing, and the layout they were made for.
    pub struct Trees {
        plan: emit::Plan,
        modules: Vec<(ir::ModulePath, emit::Emitted)>,
    }

    /// Maps the IR to syntax trees, one per module (the `emit` stage alone).
    pub fn emit(api: &ir::Api) -> Trees {
        let plan = emit::plan(api, None);
        let modules = plan.items.keys().map(|m| (m.clone(), emit::emit_module(api, &plan, m))).collect();
        Trees { plan, modules }
    }

    /// Prints syntax trees to files (the `render` stage alone).
    pub fn render_trees(spec_name: &str, api: &ir::Api, trees: Trees) -> Output {
        let mut files = BTreeMap::new();
        for (module, emitted) in trees.modules {
            let has_children = trees.plan.children.contains_key(&module);
            let (path, text) = render::render_module(spec_name, &module, has_children, emitted);
            files.insert(path, text);
        }
        crate::output(spec_name, api, files)
    }
}

/// How many `\n` a text holds, counted 255 bytes at a time in a byte (which vectorises: five
/// megabytes of output counted byte by byte were 1% of a run).
fn newlines(text: &str) -> usize {
    text.as_bytes().chunks(255).map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n')))).sum()
}

fn output(spec_name: &str, api: &ir::Api, mut files: BTreeMap<String, String>) -> Output {
    files.insert(INDEX.to_owned(), emit::index(api, spec_name));
    let stats = Stats {
        types: api.types.len(),
        operations: api.operations.len(),
        files: files.len(),
        // as `str::lines` counts them (a last line without its break counts too), by bytes
        lines: files.values().map(|f| newlines(f) + usize::from(!f.ends_with('\n') && !f.is_empty())).sum(),
    };
    Output {
        files,
        stats,
        features: api.features.features.clone(),
        warnings: api.warnings.clone(),
        names: api.names.clone(),
    }
}
