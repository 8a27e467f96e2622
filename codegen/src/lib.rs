//! Generates a typed Rust client for Stripe's API from a Stripe-flavoured OpenAPI 3.0 document.
//!
//! The generator is a pure function: spec text in, a sorted map of `relative path → file text`
//! out. It never touches the file system (that is `xtask`'s job), never panics on a spec, and
//! gives the same bytes for the same spec. The stages, each in its own module:
//!
//! 1. [`load`](Spec::parse): YAML or JSON into `openapiv3::OpenAPI`;
//! 2. `lower` + `share` + `finish`: the document into the [`ir`], where every name and type is
//!    decided (identical inline types become one);
//! 3. `emit`: the IR into `syn` syntax trees, built directly (no tokens for syn to parse
//!    back); 4. `render`: the trees into text with prettyplease.
//!
//! ```
//! let spec = "openapi: 3.0.0\ninfo: {title: t, version: '2023-08-16'}\npaths: {}\n";
//! let out = stripe_codegen::generate("spec.yaml", spec).unwrap();
//! assert!(out.files["mod.rs"].starts_with("// @generated"));
//! ```

pub mod diff;
mod docs;
mod draft;
mod emit;
mod error;
mod example;
mod features;
mod finish;
pub mod ir;
mod load;
mod lock;
mod lower;
mod naming;
mod parallel;
mod render;
mod share;
mod split;
mod syntax;
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

    /// Decides every type and name: the IR that `render` turns into code.
    pub fn lower(&self) -> Result<ir::Api, Error> {
        self.lower_keeping(&NameLock::default())
    }

    /// Like [`Spec::lower`], keeping every name and module `names` publishes for an item of
    /// this spec; new items are named among the names left free.
    pub fn lower_keeping(&self, names: &NameLock) -> Result<ir::Api, Error> {
        let mut drafts = lower::lower(&self.document).map_err(|e| e.in_file(&self.file))?;
        share::share(&mut drafts);
        finish::finish(drafts, names).map_err(|e| e.in_file(&self.file))
    }
}

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
    /// The `[features]` entries for the crate's manifest: one per resource module, with the
    /// features it turns on, and `full` for all of them. Features of a module compile its
    /// items; a resource named behind an expandable field of an enabled one is a stand-in
    /// that keeps the JSON while its own feature is off.
    pub fn features_toml(&self) -> String {
        let quoted = |names: &[String]| names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>();
        let all: Vec<String> = self.features.keys().cloned().collect();
        let mut out = format!("{} = [\n", features::FULL);
        for name in quoted(&all) {
            out.push_str(&format!("    {name},\n"));
        }
        out.push_str("]\n");
        for (name, turns_on) in &self.features {
            out.push_str(&format!("\"{name}\" = [{}]\n", quoted(turns_on).join(", ")));
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

/// The syntax trees of every module, before printing; see [`emit`] and [`render_trees`].
pub struct Trees(Vec<(ir::ModulePath, Vec<syn::Item>)>);

/// Maps the IR to syntax trees, one per module, on this thread (the `emit` stage alone, for
/// benchmarks; [`render`] runs emit and render together on every core).
pub fn emit(api: &ir::Api) -> Trees {
    let plan = emit::plan(api, None);
    Trees(plan.items.keys().map(|m| (m.clone(), emit::emit_module(api, &plan, m))).collect())
}

/// Prints syntax trees to files on this thread (the `render` stage alone, for benchmarks).
pub fn render_trees(spec_name: &str, api: &ir::Api, trees: Trees) -> Output {
    let plan = emit::plan(api, None);
    let mut files = BTreeMap::new();
    for (module, items) in trees.0 {
        let (path, text) = render::render_module(spec_name, &module, plan.children.contains_key(&module), items);
        files.insert(path, text);
    }
    output(api, &plan, files)
}

/// Renders an IR to files: every module is emitted and printed, spread over the machine's
/// cores (the IR is plain data; syntax trees never cross threads). The result does not depend on
/// the number of threads. `spec_name` goes into every file's `@generated` header.
pub fn render(spec_name: &str, api: &ir::Api) -> Result<Output, Error> {
    render_crate(spec_name, None, api)
}

/// Like [`render`], for a crate whose library is called `crate_name`: request types then carry
/// a doc example (a doctest, which must name the crate) that sends them.
pub fn render_crate(spec_name: &str, crate_name: Option<&str>, api: &ir::Api) -> Result<Output, Error> {
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
    Ok(output(api, &plan, results.into_iter().collect()))
}

fn output(api: &ir::Api, plan: &emit::Plan, files: BTreeMap<String, String>) -> Output {
    let stats = Stats {
        types: api.types.len(),
        operations: api.operations.len(),
        files: files.len(),
        lines: files.values().map(|f| f.lines().count()).sum(),
    };
    Output {
        files,
        stats,
        features: plan.features.features.clone(),
        warnings: api.warnings.clone(),
        names: api.names.clone(),
    }
}

/// The whole pipeline: spec text to generated files.
pub fn generate(spec_name: &str, text: &str) -> Result<Output, Error> {
    generate_crate(spec_name, None, &NameLock::default(), text)
}

/// The whole pipeline for a crate whose library is called `crate_name` (see [`render_crate`]),
/// keeping the names `names` publishes (see [`Spec::lower_keeping`]).
pub fn generate_crate(
    spec_name: &str,
    crate_name: Option<&str>,
    names: &NameLock,
    text: &str,
) -> Result<Output, Error> {
    let spec = Spec::parse(spec_name, text)?;
    render_crate(spec_name, crate_name, &spec.lower_keeping(names)?)
}
