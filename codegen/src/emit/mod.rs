//! The IR into syntax trees, one module at a time: a plain mapping with no naming or spec lookups.
//! Here: a module's imports, child modules and gates; `plan` lays the modules out, `types` and
//! `requests` write the items.
//!
//! The output is `syn` trees, built directly (`syntax.rs`), not tokens for syn to parse back;
//! token streams are made only for what syn keeps as tokens (attribute arguments and macro
//! invocations). Identifiers come from the IR (already valid) as `syn::Ident`s; wire names
//! are string literals, and docs `///` lines (render writes each line of a doc comment, kept
//! here, where its marker is), so nothing from the spec is pasted into code.
//!
//! The semver policy lives in `types` and `requests`: every generated struct, enum, union and request is
//! `#[non_exhaustive]`, and what users build (requests, sent structs) has `new` with the
//! required fields and a setter per optional one. So Stripe's common additive changes (an
//! optional field or parameter, an enum value, a union alternative) are compatible releases;
//! `xtask api-diff` classifies changes by the same rules.

use crate::docs::written;
use crate::ir::{Api, Field, Gate, ModulePath, TypeRef};
use crate::syntax;

mod events;
mod index;
mod plan;
mod requests;
mod types;

pub(crate) use index::index;
use plan::item_name;
pub(crate) use plan::{Item, Plan, plan};
use proc_macro2::Ident;
use quote::quote;
use requests::operation;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use syn::{Attribute, Type};
use types::{object_keys, serde_derives, type_def};

/// The IR as emit reads it, the crate-root names that the items emitted so far mention,
/// which become the module's `use crate::{..}`, and their doc comments.
struct Ctx<'a> {
    api: &'a Api,
    uses: RefCell<BTreeSet<String>>,
    /// Each doc comment's lines, each as it follows its `///`, joined by `\n`: what render
    /// writes in place of its marker ([`syntax::doc_marker`]).
    docs: RefCell<Vec<String>>,
}

impl std::ops::Deref for Ctx<'_> {
    type Target = Api;
    fn deref(&self) -> &Api {
        self.api
    }
}

impl Ctx<'_> {
    /// `name`, which the crate root exports (a generated type or the runtime's), noted for the
    /// module's imports.
    fn import<'n>(&self, name: &'n str) -> &'n str {
        let mut uses = self.uses.borrow_mut();
        if !uses.contains(name) {
            uses.insert(name.to_owned());
        }
        name
    }

    /// The doc attribute of an item whose doc comment is `lines`, each as it follows its `///`
    /// (text after a space, or nothing for a blank line).
    fn doc(&self, lines: &[String]) -> Attribute {
        self.doc_text(lines.join("\n"))
    }

    /// [`Ctx::doc`] of lines already joined by `\n`.
    fn doc_text(&self, text: String) -> Attribute {
        let mut docs = self.docs.borrow_mut();
        docs.push(text);
        syntax::doc_marker(docs.len() - 1)
    }

    /// The doc attribute of a one-line doc comment.
    fn doc_line(&self, line: &str) -> Attribute {
        self.doc_text(line.to_owned())
    }

    /// The doc attribute of a spec description, none when it has no lines.
    fn doc_attrs(&self, doc: Option<&str>) -> Vec<Attribute> {
        doc.and_then(description_lines).map(|text| self.doc_text(text)).into_iter().collect()
    }
}

/// A module's syntax trees and the doc comments their markers stand for.
pub(crate) struct Emitted {
    pub(crate) items: Vec<syn::Item>,
    pub(crate) docs: Vec<String>,
}

/// The items of one module: its imports, its child modules, its types and requests; the root
/// also gets `API_VERSION` and a re-export of every item.
pub(crate) fn emit_module(api: &Api, plan: &Plan, module: &ModulePath) -> Emitted {
    let ctx = Ctx { api, uses: RefCell::default(), docs: RefCell::default() };
    let mut out = Vec::new();
    let first = out.len();
    for child in plan.children.get(module).map(Vec::as_slice).unwrap_or_default() {
        child_module(api, plan, module, child, &mut out);
    }
    if module.is_empty() {
        // the root re-exports every item, where the docs show it once: its modules are a
        // layout, not a second path to document
        for item in &mut out[first..] {
            if let syn::Item::Mod(m) = item {
                m.attrs.push(syntax::attr("doc", quote::quote! { hidden }));
            }
        }
        root_items(api, plan, &mut out);
    }
    // whether an item compiles: `None` in a module compiled as a whole
    let whole = plan.module_features.get(module);
    let defined: BTreeSet<&str> =
        plan.items.get(module).into_iter().flatten().map(|item| item_name(api, *item)).collect();
    // each name imported → the gates of the items that use it (none: always used)
    let mut imports: BTreeMap<String, Option<Vec<Gate>>> = BTreeMap::new();
    for item in plan.items.get(module).map(Vec::as_slice).unwrap_or_default() {
        let gate = match *item {
            Item::Type(i) => api.features.types[i].clone(),
            Item::Operation(i) => Gate::Feature { name: api.features.operations[i].clone(), stand_in: false },
        };
        let cfg: Vec<Attribute> = if whole.is_some() { Vec::new() } else { vec![gate_attr(&gate)] };
        match *item {
            Item::Type(i) => {
                type_def(&ctx, &api.types[i], &cfg, plan.listed.get(&i).map(String::as_str), &mut out);
                if let Some(events) = api.events.as_ref().filter(|e| e.event.0 == i) {
                    out.push(events::event_objects(&ctx, events, &cfg));
                }
                if let (None, Gate::Feature { name, stand_in: true }) = (whole, &gate) {
                    out.extend(stand_in(api, plan, i, name, true));
                }
            }
            Item::Operation(i) => operation(&ctx, &api.operations[i], plan.crate_name.as_deref(), &cfg, &mut out),
        }
        for name in std::mem::take(&mut *ctx.uses.borrow_mut()) {
            if defined.contains(name.as_str()) {
                continue;
            }
            let users = imports.entry(name).or_insert_with(|| Some(Vec::new()));
            match (users, whole) {
                (Some(gates), None) => gates.push(gate.clone()),
                (users, _) => *users = None,
            }
        }
    }
    // one `use crate::{..}` per set of features it is compiled with, first in the module
    let mut uses: BTreeMap<Option<Vec<String>>, Vec<String>> = BTreeMap::new();
    for (name, gates) in imports {
        uses.entry(gates.map(|gates| features_of(&any_of(&gates)))).or_default().push(name);
    }
    let uses = uses.into_iter().map(|(features, names)| {
        let cfg = features.map(|f| gate_attr(&Gate::Any(f))).into_iter().collect();
        syntax::use_crate(cfg, &names)
    });
    Emitted { items: uses.chain(out).collect(), docs: ctx.docs.into_inner() }
}

/// A child module's declaration: compiled with its feature when it is compiled as a whole, and
/// then, while the feature is off, a module of the same name with the stand-ins that other
/// modules name, so that `financial_connections::account::Account` exists either way:
///
/// ```text
/// /// The `financial_connections_account` resource: its types and requests (feature `financial_connections_account`).
/// #[cfg(feature = "financial_connections_account")]
/// pub mod account;
///
/// /// `account` while the feature `financial_connections_account` is off: stand-ins for its types that other modules name.
/// #[cfg(not(feature = "financial_connections_account"))]
/// pub mod account {
///     /// `Account` while the feature … is off: the object as Stripe sent it, untyped. …
///     #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
///     #[serde(transparent)]
///     pub struct Account(::serde_json::Value);
/// }
/// ```
fn child_module(api: &Api, plan: &Plan, module: &ModulePath, child: &str, out: &mut Vec<syn::Item>) {
    let path: ModulePath = module.iter().cloned().chain([child.to_owned()]).collect();
    let Some(feature) = plan.module_features.get(&path) else {
        let doc = match plan.children.get(&path) {
            Some(children) => written::parent_module(child, children),
            None => written::shared_module(child),
        };
        out.push(syntax::mod_decl(vec![syntax::doc(&doc)], child));
        return;
    };
    let doc = written::resource_module(feature);
    out.push(syntax::mod_decl(vec![syntax::doc(&doc), feature_attr(feature)], child));
    let stand_ins: Vec<syn::Item> = plan.items[&path]
        .iter()
        .filter_map(|item| match *item {
            Item::Type(i) if matches!(api.features.types[i], Gate::Feature { stand_in: true, .. }) => Some(i),
            _ => None,
        })
        .flat_map(|i| stand_in(api, plan, i, feature, false))
        .collect();
    if !stand_ins.is_empty() {
        let doc = written::stand_ins_module(child, feature);
        let cfg = syntax::attr("cfg", quote! { not(feature = #feature) });
        out.push(syntax::mod_inline(vec![syntax::doc(&doc), cfg], child, stand_ins));
    }
}

/// `API_VERSION` and the re-exports of the root module. A leaf module's items by a glob, which
/// takes whatever its features compiled (names are unique crate-wide); a parent's items one by
/// one, as the glob would also take its modules:
///
/// ```text
/// /// The Stripe API version this crate was generated for (`2026-08-26.dahlia`), sent as `Stripe-Version`.
/// pub const API_VERSION: &str = "2026-08-26.dahlia";
///
/// #[cfg(feature = "event")]
/// pub use self::event::*;
/// pub use self::financial_connections::account::*; // a stand-in while its feature is off
/// ```
fn root_items(api: &Api, plan: &Plan, out: &mut Vec<syn::Item>) {
    let version = &api.api_version;
    let version_doc = written::api_version(version);
    out.push(syntax::const_item(
        vec![syntax::doc(&version_doc)],
        "API_VERSION",
        syntax::str_ref(false),
        syntax::lit_str(version),
    ));
    let cfg = |gate: Option<Gate>| gate.map(|gate| gate_attr(&gate)).into_iter().collect::<Vec<_>>();
    for (module, items) in plan.items.iter().filter(|(m, items)| !m.is_empty() && !items.is_empty()) {
        if !plan.children.contains_key(module) {
            // gated like the module's items, or it is an unused import when none is compiled
            let gates: Option<Vec<Gate>> = items.iter().map(|item| name_gate(api, *item)).collect();
            out.push(syntax::use_item(cfg(gates.map(|gates| any_of(&gates))), module, None));
            continue;
        }
        for item in items {
            out.push(syntax::use_item(cfg(name_gate(api, *item)), module, Some(item_name(api, *item))));
        }
    }
}

/// When an item's name exists: `None` when it always does (a type with a stand-in).
fn name_gate(api: &Api, item: Item) -> Option<Gate> {
    match item {
        Item::Type(i) => match &api.features.types[i] {
            Gate::Feature { stand_in: true, .. } => None,
            gate => Some(gate.clone()),
        },
        Item::Operation(i) => Some(Gate::Feature { name: api.features.operations[i].clone(), stand_in: false }),
    }
}

/// The gate that holds when any of `gates` does.
fn any_of(gates: &[Gate]) -> Gate {
    let features: BTreeSet<String> = gates.iter().flat_map(features_of).collect();
    Gate::Any(features.into_iter().collect())
}

/// The features a gate names.
fn features_of(gate: &Gate) -> Vec<String> {
    match gate {
        Gate::Feature { name, .. } => vec![name.clone()],
        Gate::Any(names) => names.clone(),
    }
}

/// `#[cfg(feature = "name")]`.
fn feature_attr(name: &str) -> Attribute {
    syntax::attr("cfg", quote! { feature = #name })
}

/// The `#[cfg]` that compiles an item when its gate says.
fn gate_attr(gate: &Gate) -> Attribute {
    match gate {
        Gate::Feature { name, .. } => feature_attr(name),
        Gate::Any(names) if names.len() == 1 => feature_attr(&names[0]),
        Gate::Any(names) => syntax::attr("cfg", quote! { any(#(feature = #names),*) }),
    }
}

/// What stands in for a type whose feature is off, where other modules name it: the same
/// name, the JSON as received, and nothing the real type lacks (no fields, no constructor,
/// the same traits), so code that compiles with it compiles with the real type. With
/// `in_place`, it sits beside the real type and carries its own `#[cfg]`; else it goes in a
/// module that does. A union alternative's stand-in also has the real type's keys.
fn stand_in(api: &Api, plan: &Plan, i: usize, feature: &str, in_place: bool) -> Vec<syn::Item> {
    let ty = &api.types[i];
    let derives = serde_derives(ty);
    let doc = written::stand_in(&ty.name, feature);
    let cfg: Vec<Attribute> =
        if in_place { vec![syntax::attr("cfg", quote! { not(feature = #feature) })] } else { Vec::new() };
    let mut attrs = vec![syntax::doc(&doc)];
    attrs.extend(cfg.iter().cloned());
    attrs.push(syntax::attr("derive", quote! { Clone, Debug, PartialEq, #derives }));
    attrs.push(syntax::attr("serde", quote! { transparent }));
    let mut items = vec![syntax::tuple_struct(attrs, &ty.name, syntax::named("::serde_json::Value"))];
    if plan.keyed.contains(&i) {
        items.push(object_keys(ty, &cfg));
    }
    items
}

fn ident(name: &str) -> Ident {
    syntax::ident(name)
}

/// A spec description's lines as they follow `///`, joined by `\n`: ` text`, or nothing for
/// a blank line (control characters made spaces, which `place_docs` trims where they end a
/// line); `None` when it has no lines. Made in one string: descriptions are most doc lines.
fn description_lines(doc: &str) -> Option<String> {
    let mut text = String::with_capacity(doc.len() + 16);
    for (i, line) in crate::docs::clean(doc).lines().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        if !line.is_empty() {
            text.push(' ');
            text.push_str(line);
        }
    }
    (!doc.is_empty()).then_some(text)
}

fn rust_type(api: &Ctx, ty: &TypeRef) -> Type {
    let wrap = |outer: &str, inner: &TypeRef| syntax::generic(outer, [rust_type(api, inner)]);
    match ty {
        TypeRef::String => syntax::named("String"),
        TypeRef::Integer => syntax::named("i64"),
        TypeRef::Number => syntax::named("f64"),
        TypeRef::Bool => syntax::named("bool"),
        TypeRef::Json => syntax::named("::serde_json::Value"),
        // names are unique crate-wide and the crate root exports every generated type beside
        // the runtime's (whose names no generated type takes), so each is imported from there
        TypeRef::Timestamp => syntax::named(api.import("Timestamp")),
        TypeRef::Binary => syntax::named(api.import("FileUpload")),
        TypeRef::Named(id) => syntax::named(api.import(&api.types[id.0].name)),
        TypeRef::Vec(t) => wrap("Vec", t),
        TypeRef::Map(t) => {
            syntax::generic("::std::collections::BTreeMap", [syntax::named("String"), rust_type(api, t)])
        }
        TypeRef::Expandable(t) => wrap(api.import("Expandable"), t),
        TypeRef::List(t) => wrap(api.import("List"), t),
        TypeRef::SearchList(t) => wrap(api.import("SearchList"), t),
        TypeRef::Emptyable(t) => wrap(api.import("Emptyable"), t),
    }
}

/// `ty` in a `Box` when `boxed`.
fn boxed(ty: Type, boxed: bool) -> Type {
    if boxed { syntax::generic("Box", [ty]) } else { ty }
}

/// The full type of a field: boxed and optional as the IR says.
fn field_type(api: &Ctx, f: &Field) -> Type {
    let t = boxed(rust_type(api, &f.ty), f.boxed);
    if f.required { t } else { syntax::generic("Option", [t]) }
}
