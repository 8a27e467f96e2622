//! The IR into syntax trees, one module at a time: a plain mapping with no naming or spec lookups.
//!
//! The output is `syn` trees, built directly (`syntax.rs`), not tokens for syn to parse back;
//! token streams are made only for what syn keeps as tokens (attribute arguments and macro
//! invocations). Identifiers come from the IR (already valid) as `syn::Ident`s; wire names and
//! docs are string literals, so nothing from the spec is pasted into code.
//!
//! The semver policy lives here: every generated struct, enum, union and request is
//! `#[non_exhaustive]`, and what users build (requests, sent structs) has `new` with the
//! required fields and a setter per optional one. So Stripe's common additive changes (an
//! optional field or parameter, an enum value, a union alternative) are compatible releases;
//! `xtask api-diff` classifies changes by the same rules.

use crate::features::{Features, Gate};
use crate::ir::{
    Api, BodyEncoding, Field, ModulePath, Operation, ParamLocation, PathSegment, Shape, TypeDef, TypeKind, TypeRef,
    UnionDecode, UnionVariant,
};
use crate::syntax;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use syn::{Attribute, Expr, Type};

/// What goes where: every module's items, in output order, and its child modules. Plain data,
/// so modules can be emitted and rendered on several threads.
pub(crate) struct Plan {
    /// Items of each module (the root is the empty path) in reading order: the module's
    /// resources, its requests, then the types they use, each after the first item that uses it.
    pub items: BTreeMap<ModulePath, Vec<Item>>,
    /// The feature of each module that is compiled as a whole: a resource module without child
    /// modules. Its declaration carries the one `#[cfg]`; the items of other modules carry theirs.
    pub module_features: BTreeMap<ModulePath, String>,
    /// Child module names of each module, sorted.
    pub children: BTreeMap<ModulePath, Vec<String>>,
    /// The crate's library name, for doc examples (doctests name the crate); none without it.
    pub crate_name: Option<String>,
    /// Which cargo feature compiles each item.
    pub features: Features,
    /// Struct types that are alternatives of an untagged received union, told apart by their
    /// keys: their stand-ins need the keys too.
    pub keyed: std::collections::BTreeSet<usize>,
}

/// One item of a module: a type or an operation, by index into the IR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item {
    Type(usize),
    Operation(usize),
}

pub(crate) fn plan(api: &Api, crate_name: Option<&str>) -> Plan {
    let mut named: BTreeMap<ModulePath, Vec<(&str, Item)>> = BTreeMap::new();
    for (i, ty) in api.types.iter().enumerate() {
        named.entry(ty.module.clone()).or_default().push((ty.name.as_str(), Item::Type(i)));
    }
    for (i, op) in api.operations.iter().enumerate() {
        named.entry(op.module.clone()).or_default().push((op.name.as_str(), Item::Operation(i)));
    }
    let mut children: BTreeMap<ModulePath, Vec<String>> = BTreeMap::new();
    for module in named.keys() {
        for depth in 0..module.len() {
            let list = children.entry(module[..depth].to_vec()).or_default();
            if !list.contains(&module[depth]) {
                list.push(module[depth].clone());
            }
        }
    }
    children.values_mut().for_each(|c| c.sort());
    let mut items: BTreeMap<ModulePath, Vec<Item>> = named
        .into_iter()
        .map(|(module, mut defs)| {
            defs.sort_by(|a, b| a.0.cmp(b.0));
            let order = reading_order(api, &defs.into_iter().map(|(_, item)| item).collect::<Vec<_>>());
            (module, order)
        })
        .collect();
    // every parent module has a file, and the root always does (it holds `API_VERSION`)
    for module in children.keys().cloned().chain([Vec::new()]) {
        items.entry(module).or_default();
    }
    let keyed = api
        .types
        .iter()
        .filter_map(|ty| match &ty.kind {
            TypeKind::Union { variants, .. } => Some(variants),
            _ => None,
        })
        .flatten()
        .filter(|v| v.shape == Shape::Struct)
        .filter_map(|v| match v.ty {
            TypeRef::Named(id) => Some(id.0),
            _ => None,
        })
        .collect();
    let features = crate::features::features(api);
    let module_features = items
        .iter()
        .filter(|(module, items)| !module.is_empty() && !items.is_empty() && !children.contains_key(*module))
        .filter_map(|(module, items)| {
            let feature = |item: &Item| match *item {
                Item::Type(i) => match &features.types[i] {
                    Gate::Feature { name, .. } => Some(name.as_str()),
                    Gate::Any(_) => None,
                },
                Item::Operation(i) => Some(features.operations[i].as_str()),
            };
            let first = feature(&items[0])?;
            items.iter().all(|item| feature(item) == Some(first)).then(|| (module.clone(), first.to_owned()))
        })
        .collect();
    Plan { items, module_features, children, crate_name: crate_name.map(str::to_owned), features, keyed }
}

/// A module's items (sorted by name) as a person would order them: its resources, then its
/// requests, then every other type right after the first of those that uses it, depth first;
/// what nothing here uses comes last, by name.
fn reading_order(api: &Api, sorted: &[Item]) -> Vec<Item> {
    let here: BTreeMap<usize, usize> = sorted
        .iter()
        .enumerate()
        .filter_map(|(at, item)| match *item {
            Item::Type(i) => Some((i, at)),
            Item::Operation(_) => None,
        })
        .collect();
    let is_resource = |item: &Item| matches!(*item, Item::Type(i) if api.types[i].resource.is_some());
    let starts = sorted
        .iter()
        .filter(|item| is_resource(item))
        .chain(sorted.iter().filter(|item| matches!(item, Item::Operation(_))));
    let mut placed = vec![false; sorted.len()];
    let mut order = Vec::with_capacity(sorted.len());
    // depth first: an item, then what it uses that is not placed yet, in the order it uses them
    let mut stack: Vec<Item> = starts.rev().copied().collect();
    while let Some(item) = stack.pop() {
        let at = match item {
            Item::Type(i) => here[&i],
            Item::Operation(_) => sorted.iter().position(|x| *x == item).unwrap_or_default(),
        };
        if std::mem::replace(&mut placed[at], true) {
            continue;
        }
        order.push(item);
        let mut uses = Vec::new();
        let mut visit = |ty: &TypeRef| ty.visit_named(false, &mut |id, _| uses.push(id.0));
        match item {
            Item::Type(i) => match &api.types[i].kind {
                TypeKind::Struct { fields } => fields.iter().for_each(|f| visit(&f.ty)),
                TypeKind::Union { variants, .. } => variants.iter().for_each(|v| visit(&v.ty)),
                TypeKind::Enum { .. } => {}
            },
            Item::Operation(i) => {
                let op = &api.operations[i];
                op.params.iter().for_each(|p| visit(&p.field.ty));
                visit(&op.response);
            }
        }
        stack.extend(uses.into_iter().rev().filter(|i| here.get(i).is_some_and(|at| !placed[*at])).map(Item::Type));
    }
    order.extend(sorted.iter().zip(placed).filter(|(_, placed)| !placed).map(|(item, _)| *item));
    order
}

fn item_name(api: &Api, item: Item) -> &str {
    match item {
        Item::Type(i) => &api.types[i].name,
        Item::Operation(i) => &api.operations[i].name,
    }
}

/// The IR as emit reads it, and the crate-root names that the items emitted so far mention,
/// which become the module's `use crate::{..}`.
struct Ctx<'a> {
    api: &'a Api,
    uses: RefCell<BTreeSet<String>>,
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
        self.uses.borrow_mut().insert(name.to_owned());
        name
    }
}

/// The items of one module: its imports, its child modules, its types and requests; the root
/// also gets `API_VERSION` and a re-export of every item.
pub(crate) fn emit_module(api: &Api, plan: &Plan, module: &ModulePath) -> Vec<syn::Item> {
    let ctx = Ctx { api, uses: RefCell::default() };
    let mut out = Vec::new();
    for child in plan.children.get(module).map(Vec::as_slice).unwrap_or_default() {
        child_module(api, plan, module, child, &mut out);
    }
    if module.is_empty() {
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
            Item::Type(i) => plan.features.types[i].clone(),
            Item::Operation(i) => Gate::Feature { name: plan.features.operations[i].clone(), stand_in: false },
        };
        let cfg: Vec<Attribute> = if whole.is_some() { Vec::new() } else { vec![gate_attr(&gate)] };
        match *item {
            Item::Type(i) => {
                type_def(&ctx, &api.types[i], &cfg, &mut out);
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
    uses.chain(out).collect()
}

/// A child module's declaration: compiled with its feature when it is compiled as a whole, and
/// then, while the feature is off, a module of the same name with the stand-ins that other
/// modules name, so that `financial_connections::account::Account` exists either way.
fn child_module(api: &Api, plan: &Plan, module: &ModulePath, child: &str, out: &mut Vec<syn::Item>) {
    let path: ModulePath = module.iter().cloned().chain([child.to_owned()]).collect();
    let Some(feature) = plan.module_features.get(&path) else {
        let doc = match plan.children.get(&path) {
            Some(children) => {
                format!(" `{child}`: {}.", children.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "))
            }
            None => format!(" `{child}`: types that several resources use, compiled with any of them."),
        };
        out.push(syntax::mod_decl(vec![syntax::doc(&doc)], child));
        return;
    };
    let doc = format!(" The `{feature}` resource: its types and requests (feature `{feature}`).");
    out.push(syntax::mod_decl(vec![syntax::doc(&doc), feature_attr(feature)], child));
    let stand_ins: Vec<syn::Item> = plan.items[&path]
        .iter()
        .filter_map(|item| match *item {
            Item::Type(i) if matches!(plan.features.types[i], Gate::Feature { stand_in: true, .. }) => Some(i),
            _ => None,
        })
        .flat_map(|i| stand_in(api, plan, i, feature, false))
        .collect();
    if !stand_ins.is_empty() {
        let doc = format!(
            " `{child}` while the feature `{feature}` is off: stand-ins for its types that other modules name."
        );
        let cfg = syntax::attr("cfg", quote! { not(feature = #feature) });
        out.push(syntax::mod_inline(vec![syntax::doc(&doc), cfg], child, stand_ins));
    }
}

/// `API_VERSION` and the re-exports of the root module. A leaf module's items by a glob, which
/// takes whatever its features compiled (names are unique crate-wide); a parent's items one by
/// one, as the glob would also take its modules.
fn root_items(api: &Api, plan: &Plan, out: &mut Vec<syn::Item>) {
    let version = &api.api_version;
    let version_doc = crate::docs::clean(&format!(
        " The Stripe API version this crate was generated for (`{version}`), sent as `Stripe-Version`."
    ));
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
            let gates: Option<Vec<Gate>> = items.iter().map(|item| name_gate(plan, *item)).collect();
            out.push(syntax::use_item(cfg(gates.map(|gates| any_of(&gates))), module, None));
            continue;
        }
        for item in items {
            out.push(syntax::use_item(cfg(name_gate(plan, *item)), module, Some(item_name(api, *item))));
        }
    }
}

/// When an item's name exists: `None` when it always does (a type with a stand-in).
fn name_gate(plan: &Plan, item: Item) -> Option<Gate> {
    match item {
        Item::Type(i) => match &plan.features.types[i] {
            Gate::Feature { stand_in: true, .. } => None,
            gate => Some(gate.clone()),
        },
        Item::Operation(i) => Some(Gate::Feature { name: plan.features.operations[i].clone(), stand_in: false }),
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
    let doc = crate::docs::clean(&format!(
        " `{}` while the feature `{feature}` is off: the object as Stripe sent it, untyped. Turn the \
         feature on for its fields; until then `serde_json::to_value` reads it.",
        ty.name
    ));
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

/// One `#[doc]` per line of `doc`.
fn doc_attrs(doc: Option<&str>) -> Vec<Attribute> {
    let Some(doc) = doc else { return Vec::new() };
    doc.lines()
        .map(|l| if l.is_empty() { syntax::doc("") } else { syntax::doc(&format!(" {}", crate::docs::clean(l))) })
        .collect()
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

fn serde_derives(ty: &TypeDef) -> TokenStream {
    if ty.usage.received {
        quote! { ::serde::Serialize, ::serde::Deserialize }
    } else {
        quote! { ::serde::Serialize }
    }
}

/// `Deserialize` for a struct, as an invocation of the runtime's `deserialize_object!` (in
/// `generated/src/impls.rs`): one visitor over the object's keys. serde's derive compiles to about
/// three times that (a field enum with three visitors, and a sequence visitor JSON objects
/// never use), about a third of the memory compiling Stripe's whole spec took; the macro
/// keeps the generated text as short as the derive.
fn struct_deserialize(ty: &TypeDef, fields: &[&Field], cfg: &[Attribute]) -> syn::Item {
    syntax::macro_item(cfg.to_vec(), "crate::deserialize_object", object_fields(ty, fields))
}

/// `ObjectKeys` for a stand-in, the same as its real type's `deserialize_object!` writes, so a
/// union tells its alternatives apart alike with the feature on or off.
fn object_keys(ty: &TypeDef, cfg: &[Attribute]) -> syn::Item {
    syntax::macro_item(cfg.to_vec(), "crate::object_keys", object_fields(ty, &ty.struct_fields()))
}

/// `Name, required { .. }, optional { .. }`: each field by its name, with `= "wire"` only where
/// the wire name differs (the runtime's `wire!` derives the rest).
fn object_fields(ty: &TypeDef, fields: &[&Field]) -> TokenStream {
    let name = ident(&ty.name);
    let entry = |f: &&&Field| {
        let field = ident(&f.name);
        if f.name == f.wire {
            quote! { #field }
        } else {
            let wire = &f.wire;
            quote! { #field = #wire }
        }
    };
    let (required, optional): (Vec<&&Field>, Vec<&&Field>) = fields.iter().partition(|f| f.required);
    let (required, optional) = (required.iter().map(entry), optional.iter().map(entry));
    quote! { #name, required { #(#required),* }, optional { #(#optional),* } }
}

/// `Deserialize` for a received union, as an invocation of the runtime's `deserialize_union!`:
/// by the tag when it has one, else by the shape `unions.rs` decided for each alternative.
fn union_deserialize(
    api: &Ctx,
    ty: &TypeDef,
    variants: &[UnionVariant],
    decode: &UnionDecode,
    cfg: &[Attribute],
) -> syn::Item {
    let name = ident(&ty.name);
    let unknown = ident(&decode.unknown);
    let tokens = match &decode.tag {
        Some(field) => {
            let arms = variants.iter().flat_map(|v| {
                let variant = ident(&v.name);
                v.selected_by.iter().map(move |value| quote! { #value => #variant })
            });
            quote! { #name, unknown: #unknown, tag #field { #(#arms),* } }
        }
        None => {
            let arms = variants.iter().map(|v| {
                let variant = ident(&v.name);
                // the runtime's `UnionShape` has the IR's variant names
                let shape = format_ident!("{}", format!("{:?}", v.shape));
                let constants = match (&v.ty, v.shape) {
                    (TypeRef::Named(id), Shape::Struct) => api.types[id.0].constants(),
                    _ => Vec::new(),
                };
                if constants.is_empty() {
                    quote! { #variant = #shape }
                } else {
                    let (fields, values): (Vec<&str>, Vec<&str>) = constants.into_iter().unzip();
                    quote! { #variant = #shape { #(#fields = #values),* } }
                }
            });
            quote! { #name, unknown: #unknown, shapes { #(#arms),* } }
        }
    };
    syntax::macro_item(cfg.to_vec(), "crate::deserialize_union", tokens)
}

/// A type's items: its definition and, as it needs them, a constructor and its `Deserialize`.
fn type_def(api: &Ctx, ty: &TypeDef, cfg: &[Attribute], out: &mut Vec<syn::Item>) {
    let mut attrs = doc_attrs(ty.doc.as_deref());
    attrs.extend(cfg.iter().cloned());
    match &ty.kind {
        TypeKind::Struct { .. } => {
            let fields = ty.struct_fields();
            let all_optional = fields.iter().all(|f| !f.required);
            let default = all_optional.then(|| quote! { Default, });
            attrs.push(syntax::attr("derive", quote! { Clone, Debug, #default PartialEq, ::serde::Serialize }));
            let field_items = fields.iter().map(|f| {
                let mut fattrs = doc_attrs(f.doc.as_deref());
                if f.name != f.wire {
                    let wire = &f.wire;
                    fattrs.push(syntax::attr("serde", quote! { rename = #wire }));
                }
                if !f.required {
                    fattrs.push(syntax::attr("serde", quote! { skip_serializing_if = "Option::is_none" }));
                }
                syntax::field(fattrs, &f.name, field_type(api, f))
            });
            attrs.push(syntax::word_attr("non_exhaustive"));
            out.push(syntax::struct_item(attrs, &ty.name, field_items.collect()));
            if ty.usage.sent {
                // non-exhaustive: built by `new` (or `default`) and setters, never a literal
                let mut methods = Vec::new();
                if !all_optional {
                    methods.push(new_fn(
                        api,
                        &fields,
                        " A value with the required fields set and every optional field `None`.",
                    ));
                }
                methods.extend(
                    fields
                        .iter()
                        .filter(|f| !f.required)
                        .map(|f| setter(api, f, &crate::naming::struct_setter(&f.name))),
                );
                out.push(syntax::impl_item(cfg.to_vec(), None, &ty.name, methods));
            }
            if ty.usage.received {
                out.push(struct_deserialize(ty, &fields, cfg));
            }
        }
        TypeKind::Enum { variants, unknown } => {
            attrs.push(syntax::attr("derive", quote! { Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord }));
            let mut items: Vec<syn::Variant> = variants
                .iter()
                .map(|v| {
                    let doc = match v.wire.as_str() {
                        "" => " The empty string.".to_owned(),
                        w => format!(" `{}`", crate::docs::clean(&w.replace('`', "'"))),
                    };
                    syntax::variant(vec![syntax::doc(&doc)], &v.name, None)
                })
                .collect();
            items.push(syntax::variant(
                vec![syntax::doc(" A value this version of the crate does not know; kept as sent.")],
                unknown,
                Some(syntax::named("String")),
            ));
            attrs.push(syntax::word_attr("non_exhaustive"));
            out.push(syntax::enum_item(attrs, &ty.name, items));
            let name = ident(&ty.name);
            let unknown = ident(unknown);
            let names = variants.iter().map(|v| ident(&v.name));
            let wires = variants.iter().map(|v| v.wire.as_str());
            let direction = if ty.usage.received { format_ident!("received") } else { format_ident!("sent") };
            let tokens = quote! { #direction #name, unknown: #unknown, values { #(#names = #wires),* } };
            out.push(syntax::macro_item(cfg.to_vec(), "crate::string_enum", tokens));
        }
        TypeKind::Union { variants, tag, decode } => {
            // `Deserialize` is `deserialize_union!`'s, which never tries alternatives in order
            attrs.push(syntax::attr("derive", quote! { Clone, Debug, PartialEq, ::serde::Serialize }));
            attrs.push(match tag {
                Some(field) => syntax::attr("serde", quote! { tag = #field }),
                None => syntax::attr("serde", quote! { untagged }),
            });
            let mut items: Vec<syn::Variant> = variants
                .iter()
                .map(|v| {
                    // the alternative's type says what it is; its variant repeats that
                    let doc = match v.ty {
                        TypeRef::Named(id) => api.types[id.0].doc.as_deref(),
                        _ => None,
                    };
                    let mut vattrs = doc_attrs(doc.and_then(|d| d.split("\n\n").next()));
                    if let Some(t) = &v.tag_value {
                        vattrs.push(syntax::attr("serde", quote! { rename = #t }));
                    }
                    syntax::variant(vattrs, &v.name, Some(boxed(rust_type(api, &v.ty), v.boxed)))
                })
                .collect();
            if let Some(decode) = decode {
                let mut vattrs = vec![syntax::doc(
                    " A value this crate cannot place: an unknown tag, or a value that fits more than one \
                     alternative. Kept as JSON.",
                )];
                if tag.is_some() {
                    vattrs.push(syntax::attr("serde", quote! { untagged }));
                }
                items.push(syntax::variant(vattrs, &decode.unknown, Some(syntax::named("::serde_json::Value"))));
            }
            attrs.push(syntax::word_attr("non_exhaustive"));
            out.push(syntax::enum_item(attrs, &ty.name, items));
            if let Some(decode) = decode {
                out.push(union_deserialize(api, ty, variants, decode, cfg));
            }
        }
    }
}

/// A request type's items: the struct of its parameters, its constructor, setters and `send`,
/// and its `StripeRequest` impl.
fn operation(api: &Ctx, op: &Operation, crate_name: Option<&str>, cfg: &[Attribute], out: &mut Vec<syn::Item>) {
    let method_text = op.method.as_str();
    let path_text: String = op
        .path
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => l.clone(),
            PathSegment::Param(i) => format!("{{{}}}", op.params[*i].field.wire),
        })
        .collect();
    let mut attrs = doc_attrs(op.doc.as_deref());
    if op.doc.is_some() {
        attrs.push(syntax::doc(""));
    }
    attrs.push(syntax::doc(&crate::docs::clean(&format!(
        " `{method_text} {path_text}` (operation `{}`)",
        op.operation_id
    ))));
    if !op.shares_id_with.is_empty() {
        let others: Vec<String> = op.shares_id_with.iter().map(|o| format!("`{o}`")).collect();
        attrs.push(syntax::doc(""));
        attrs.push(syntax::doc(&crate::docs::clean(&format!(
            " The spec gives the same operationId to {}; each path is a request type of its own.",
            others.join(", ")
        ))));
    }
    if let Some(text) = crate_name.and_then(|c| crate::example::example(api, op, c)) {
        attrs.push(syntax::doc(""));
        attrs.extend(text.lines().map(|l| syntax::doc(&format!(" {l}"))));
    }
    attrs.extend(cfg.iter().cloned());
    let default = op.params.iter().all(|p| !p.field.required).then(|| quote! { Default, });
    attrs.push(syntax::attr("derive", quote! { Clone, Debug, #default PartialEq }));
    attrs.push(syntax::word_attr("non_exhaustive"));
    let fields = op
        .params
        .iter()
        .map(|p| syntax::field(doc_attrs(p.field.doc.as_deref()), &p.field.name, field_type(api, &p.field)));
    out.push(syntax::struct_item(attrs, &op.name, fields.collect()));

    let all_fields: Vec<&Field> = op.params.iter().map(|p| &p.field).collect();
    let mut methods = vec![new_fn(
        api,
        &all_fields,
        " A request with its required parameters; set optional ones with the methods below.",
    )];
    methods.extend(op.params.iter().filter(|p| !p.field.required).map(|p| setter(api, &p.field, &p.setter)));
    let response = rust_type(api, &op.response);
    methods.extend(send_methods(&response, &format!("{method_text} {path_text}")));
    out.push(syntax::impl_item(cfg.to_vec(), None, &op.name, methods));
    out.push(request_impl(api, op, response, cfg));
}

/// `pub fn name(mut self, field: T) -> Self`, which sets an optional parameter.
fn setter(api: &Ctx, field: &Field, name: &str) -> syn::ImplItem {
    let fname = ident(&field.name);
    let (ty, convert) = arg_type(api, &Field { required: true, ..field.clone() });
    let value = if convert {
        syntax::method_call(syntax::expr_ident(&fname), "into", Vec::new())
    } else {
        syntax::expr_ident(&fname)
    };
    let mut attrs = vec![syntax::doc(&crate::docs::clean(&format!(" Sets `{}`.", field.wire)))];
    if field.doc.is_some() {
        attrs.push(syntax::doc(""));
    }
    attrs.extend(doc_attrs(field.doc.as_deref()));
    let assign = syntax::assign(syntax::self_field(&fname), syntax::call(syntax::expr_path("Some"), vec![value]));
    syntax::Method {
        attrs,
        public: true,
        is_async: false,
        name: name.to_owned(),
        receiver: Some(syntax::Receiver::MutValue),
        args: vec![(fname, ty)],
        output: Some(syntax::named("Self")),
        body: vec![syntax::stmt(assign), syntax::tail(syntax::expr_path("self"))],
    }
    .build()
}

/// `send` and `send_with` (feature `client`) of a request to `endpoint` (`POST /v1/x`).
fn send_methods(response: &Type, endpoint: &str) -> [syn::ImplItem; 2] {
    let result = syntax::generic("Result", [response.clone(), syntax::named("crate::Error")]);
    let client_cfg = || syntax::attr("cfg", quote! { feature = "client" });
    let client_arg = || (ident("client"), syntax::ref_type(syntax::named("crate::Client"), false));
    let send = |options: Expr| {
        let call = syntax::method_call(syntax::expr_path("client"), "send", vec![syntax::expr_path("self"), options]);
        vec![syntax::tail(syntax::await_(call))]
    };
    let default_options = syntax::call(syntax::expr_path("crate::RequestOptions::default"), Vec::new());
    let send_doc = crate::docs::clean(&format!(" Sends `{endpoint}` and decodes the response."));
    let with_doc = " Like `send`, with per-request options (account, idempotency key, version, retries).";
    let options_arg = (ident("options"), syntax::ref_type(syntax::named("crate::RequestOptions"), false));
    [
        syntax::Method {
            attrs: vec![syntax::doc(&send_doc), client_cfg()],
            public: true,
            is_async: true,
            name: "send".to_owned(),
            receiver: Some(syntax::Receiver::Ref),
            args: vec![client_arg()],
            output: Some(result.clone()),
            body: send(syntax::reference(default_options)),
        }
        .build(),
        syntax::Method {
            attrs: vec![syntax::doc(with_doc), client_cfg()],
            public: true,
            is_async: true,
            name: "send_with".to_owned(),
            receiver: Some(syntax::Receiver::Ref),
            args: vec![client_arg(), options_arg],
            output: Some(result),
            body: send(syntax::expr_path("options")),
        }
        .build(),
    ]
}

/// `impl crate::StripeRequest for Name`: what the client needs to send the request.
fn request_impl(api: &Ctx, op: &Operation, response: Type, cfg: &[Attribute]) -> syn::Item {
    let error_body = op.error.as_ref().map_or_else(|| syntax::named("::serde_json::Value"), |e| rust_type(api, e));
    let method = op.method.runtime_variant();
    let mut items = vec![
        syntax::impl_type("Response", response),
        syntax::impl_type("ErrorBody", error_body),
        syntax::impl_const("METHOD", syntax::named("crate::Method"), syntax::expr_path(method)),
        syntax::impl_const("OPERATION_ID", syntax::str_ref(true), syntax::lit_str(&op.operation_id)),
    ];
    if op.body == BodyEncoding::Multipart {
        items.push(syntax::impl_const("MULTIPART", syntax::named("bool"), syntax::lit_bool(true)));
    }
    if let Some(server) = &op.server {
        let some = syntax::call(syntax::expr_path("Some"), vec![syntax::lit_str(server)]);
        items.push(syntax::impl_const("SERVER", syntax::generic("Option", [syntax::str_ref(true)]), some));
    }
    let push = |arg: Expr| syntax::stmt(syntax::method_call(syntax::expr_path("path"), "push_str", vec![arg]));
    let mut body = vec![syntax::let_mut("path", syntax::call(syntax::expr_path("String::new"), Vec::new()))];
    body.extend(op.path.iter().map(|s| match s {
        PathSegment::Literal(l) => push(syntax::lit_str(l)),
        PathSegment::Param(i) => {
            let field = &op.params[*i].field;
            let args = vec![syntax::lit_str(&field.wire), syntax::reference(syntax::self_field(&ident(&field.name)))];
            let segment = syntax::call(syntax::expr_path("crate::encode_path_segment"), args);
            push(syntax::reference(syntax::try_(segment)))
        }
    }));
    body.push(syntax::tail(syntax::call(syntax::expr_path("Ok"), vec![syntax::expr_path("path")])));
    items.push(
        syntax::Method {
            attrs: Vec::new(),
            public: false,
            is_async: false,
            name: "path".to_owned(),
            receiver: Some(syntax::Receiver::Ref),
            args: Vec::new(),
            output: Some(syntax::generic("Result", [syntax::named("String"), syntax::named("crate::Error")])),
            body,
        }
        .build(),
    );
    for (location, name) in [(ParamLocation::Query, "encode_query"), (ParamLocation::Body, "encode_body")] {
        let body: Vec<syn::Stmt> = op
            .params
            .iter()
            .filter(|p| p.location == location)
            .map(|p| {
                let wire = syntax::lit_str(&p.field.wire);
                let value = syntax::self_field(&ident(&p.field.name));
                let (method, value) = match (&p.field.ty, p.field.required) {
                    (TypeRef::Binary, true) => {
                        ("file", syntax::call(syntax::expr_path("Some"), vec![syntax::reference(value)]))
                    }
                    (TypeRef::Binary, false) => ("file", syntax::method_call(value, "as_ref", Vec::new())),
                    _ => ("field", syntax::reference(value)),
                };
                syntax::stmt(syntax::method_call(syntax::expr_path("form"), method, vec![wire, value]))
            })
            .collect();
        if body.is_empty() {
            continue;
        }
        items.push(
            syntax::Method {
                attrs: Vec::new(),
                public: false,
                is_async: false,
                name: name.to_owned(),
                receiver: Some(syntax::Receiver::Ref),
                args: vec![(ident("form"), syntax::ref_type(syntax::named("crate::FormEncoder"), true))],
                output: None,
                body,
            }
            .build(),
        );
    }
    syntax::impl_item(cfg.to_vec(), Some("crate::StripeRequest"), &op.name, items)
}

/// `pub fn new(required fields)`, leaving every optional field `None`.
fn new_fn(api: &Ctx, fields: &[&Field], doc: &str) -> syn::ImplItem {
    let args = fields.iter().filter(|f| f.required).map(|f| (ident(&f.name), arg_type(api, f).0)).collect();
    let inits = fields
        .iter()
        .map(|f| {
            let fname = ident(&f.name);
            let value = match (f.required, arg_type(api, f).1) {
                (true, true) => Some(syntax::method_call(syntax::expr_ident(&fname), "into", Vec::new())),
                (true, false) => None,
                (false, _) => Some(syntax::expr_path("None")),
            };
            (fname, value)
        })
        .collect();
    syntax::Method {
        attrs: vec![syntax::doc(doc)],
        public: true,
        is_async: false,
        name: "new".to_owned(),
        receiver: None,
        args,
        output: Some(syntax::named("Self")),
        body: vec![syntax::tail(syntax::self_literal(inits))],
    }
    .build()
}

/// The type a constructor or setter takes for a field, and whether it converts with `.into()`.
fn arg_type(api: &Ctx, f: &Field) -> (Type, bool) {
    if f.ty == TypeRef::String && !f.boxed {
        (syntax::impl_into(syntax::named("String")), true)
    } else {
        (boxed(rust_type(api, &f.ty), f.boxed), false)
    }
}
