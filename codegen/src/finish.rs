//! Drafts into the final IR: names, modules, usage and boxing, each decided once, for all types.
//!
//! - **Names**: components and operations first, then inline types level by level (a nested
//!   type's name starts with its owner's final name), with `names::resolve` breaking collisions.
//! - **Modules**: a resource (`x-resourceId: a.b`) lives in `a::b`, an operation with the resource
//!   it returns; any other type lives in the one module that reaches it, or in `shared`.
//! - **Usage**: what requests reach is sent (`Serialize`), what responses reach is received.
//! - **Boxing**: fields that hold a type of their own strongly connected component by value.

use crate::error::{Error, Pointer};
use crate::ir::{
    Api, Field, ModulePath, Operation, Param, Shape, TypeDef, TypeId, TypeKind, TypeRef, UnionDecode, UnionVariant,
    Usage, Variant,
};
use crate::lock::{NameLock, Published};
use crate::lower::{Draft, DraftField, DraftKind, Drafts, NameSpec, Owner, operation_verb, path_noun};
use crate::names::{RESERVED_TYPE_NAMES, camel_ident, dedupe_members, request_setter, resolve, snake_ident};
use std::collections::BTreeSet;

/// Name of the module for types that several resources use.
const SHARED_MODULE: &str = "shared";

pub(crate) fn finish(drafts: Drafts, lock: &NameLock) -> Result<Api, Error> {
    let Names { types: type_names, ops: op_names, type_locks, op_locks } = names(&drafts, lock)?;
    // a published item keeps its module too
    let type_modules: Vec<ModulePath> = modules(&drafts)
        .into_iter()
        .zip(&type_locks)
        .map(|(module, locked)| locked.as_ref().map_or(module, |l| l.module.clone()))
        .collect();
    let op_modules: Vec<ModulePath> = drafts
        .operations
        .iter()
        .zip(&op_locks)
        .map(|(op, locked)| locked.as_ref().map_or_else(|| operation_module(&drafts, op), |l| l.module.clone()))
        .collect();
    let mut published = NameLock::default();
    for (i, d) in drafts.types.iter().enumerate() {
        let place = type_locks[i].as_ref().map_or_else(|| d.origin.clone(), |l| l.place.clone());
        published.insert(place, type_modules[i].clone(), type_names[i].clone());
    }
    for (i, op) in drafts.operations.iter().enumerate() {
        published.insert(operation_place(op), op_modules[i].clone(), op_names[i].clone());
    }
    let usage = usage(&drafts);
    let boxed = cycles(&drafts);

    let types = drafts
        .types
        .iter()
        .enumerate()
        .map(|(i, d)| TypeDef {
            name: type_names[i].clone(),
            module: type_modules[i].clone(),
            doc: d.doc.clone(),
            origin: d.origin.clone(),
            resource: d.resource.clone(),
            kind: type_kind(d, i, &type_names, &boxed, usage[i].received),
            usage: usage[i],
        })
        .collect();
    let operations = drafts
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let mut fields = fields(op.params.iter().map(|p| &p.field), None, &boxed);
            let params = op
                .params
                .iter()
                .zip(fields.drain(..))
                .map(|(p, field)| {
                    let setter = request_setter(&field.name);
                    Param { field, location: p.location, setter }
                })
                .collect();
            Operation {
                name: op_names[i].clone(),
                operation_id: op.operation_id.clone(),
                shares_id_with: drafts
                    .operations
                    .iter()
                    .enumerate()
                    .filter(|&(j, other)| j != i && other.operation_id == op.operation_id)
                    .map(|(_, other)| format!("{} {}", other.method.as_str(), other.path_text))
                    .collect(),
                module: op_modules[i].clone(),
                doc: op.doc.clone(),
                origin: op.origin.clone(),
                method: op.method,
                path: op.path.clone(),
                params,
                response: op.response.clone(),
                error: op.error.clone(),
                body: op.body,
                server: op.server.clone(),
            }
        })
        .collect();
    let mut api = Api {
        api_version: drafts.api_version,
        title: drafts.title,
        types,
        operations,
        warnings: drafts.warnings,
        names: published,
    };
    crate::docs::fill(&mut api);
    let union_warnings = crate::unions::decide_shapes(&mut api);
    api.warnings.extend(union_warnings);
    Ok(api)
}

/// The name of a catch-all variant beside `names`: `Unknown`, unless a variant has it.
fn unknown_variant(names: &[String]) -> String {
    let mut taken: BTreeSet<String> = names.iter().cloned().collect();
    resolve(&[vec!["Unknown".to_owned(), "UnknownValue".to_owned()]], &mut taken).remove(0)
}

fn type_kind(d: &Draft, id: usize, names: &[String], boxed: &BTreeSet<(usize, usize)>, received: bool) -> TypeKind {
    match &d.kind {
        DraftKind::Struct(f) => TypeKind::Struct { fields: fields(f.iter(), Some(id), boxed) },
        DraftKind::Enum(values) => {
            let mut vnames: Vec<String> = values.iter().map(|v| camel_ident(v)).collect();
            dedupe_members(&mut vnames, values, "");
            let unknown = unknown_variant(&vnames);
            TypeKind::Enum {
                variants: vnames
                    .into_iter()
                    .zip(values)
                    .map(|(name, wire)| Variant { name, wire: wire.clone() })
                    .collect(),
                unknown,
            }
        }
        DraftKind::Union { members, tag, discriminator } => {
            let mut vnames: Vec<String> = members.iter().map(|m| variant_name(m, names, &names[id])).collect();
            let wires = vnames.clone();
            dedupe_members(&mut vnames, &wires, "");
            // a received value is selected by the spec's discriminator, else by Stripe's tag
            let decode = received.then(|| UnionDecode {
                tag: discriminator.as_ref().map(|(field, _)| field).or(tag.as_ref().map(|(field, _)| field)).cloned(),
                unknown: unknown_variant(&vnames),
            });
            TypeKind::Union {
                variants: members
                    .iter()
                    .zip(vnames)
                    .enumerate()
                    .map(|(i, (ty, name))| UnionVariant {
                        name,
                        tag_value: tag.as_ref().map(|(_, values)| values[i].clone()),
                        selected_by: match (discriminator, tag) {
                            (Some((_, values)), _) => values[i].clone(),
                            (None, Some((_, values))) => vec![values[i].clone()],
                            (None, None) => Vec::new(),
                        },
                        shape: Shape::Any,
                        ty: ty.clone(),
                        boxed: by_value_target(ty).is_some_and(|t| boxed.contains(&(id, t.0))),
                    })
                    .collect(),
                tag: tag.as_ref().map(|(field, _)| field.clone()),
                decode,
            }
        }
        DraftKind::Pending => TypeKind::Struct { fields: Vec::new() },
    }
}

fn fields<'a>(
    drafts: impl Iterator<Item = &'a DraftField>,
    owner: Option<usize>,
    boxed: &BTreeSet<(usize, usize)>,
) -> Vec<Field> {
    let drafts: Vec<&DraftField> = drafts.collect();
    let wires: Vec<String> = drafts.iter().map(|f| f.wire.clone()).collect();
    let mut names: Vec<String> = wires.iter().map(|w| snake_ident(w)).collect();
    dedupe_members(&mut names, &wires, "_");
    drafts
        .into_iter()
        .zip(names)
        .map(|(f, name)| Field {
            name,
            wire: f.wire.clone(),
            doc: f.doc.clone(),
            ty: f.ty.clone(),
            required: f.required,
            boxed: owner.is_some_and(|o| by_value_target(&f.ty).is_some_and(|t| boxed.contains(&(o, t.0)))),
            constant: f.constant.clone(),
        })
        .collect()
}

/// A union variant's name: its type's name without the union's own name in front
/// (`ListWidgetsCreated` + `ListWidgetsCreatedRangeQuerySpecs` → `RangeQuerySpecs`).
fn variant_name(ty: &TypeRef, names: &[String], union: &str) -> String {
    match ty {
        TypeRef::Named(id) => match names[id.0].strip_prefix(union) {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest.to_owned(),
            _ => names[id.0].clone(),
        },
        TypeRef::String => "String".to_owned(),
        TypeRef::Integer => "Integer".to_owned(),
        TypeRef::Number => "Number".to_owned(),
        TypeRef::Bool => "Bool".to_owned(),
        TypeRef::Timestamp => "Timestamp".to_owned(),
        TypeRef::Json => "Json".to_owned(),
        TypeRef::Binary => "File".to_owned(),
        TypeRef::Vec(_) => "Array".to_owned(),
        TypeRef::Map(_) => "Map".to_owned(),
        TypeRef::Expandable(_) => "Expandable".to_owned(),
        TypeRef::List(_) => "List".to_owned(),
        TypeRef::SearchList(_) => "SearchList".to_owned(),
        TypeRef::Emptyable(_) => "Emptyable".to_owned(),
    }
}

/// The named type a value of this type holds inline (not behind a `Vec`, map or `Box`).
fn by_value_target(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Emptyable(inner) => by_value_target(inner),
        _ => None,
    }
}

/// Every named type a type reference mentions.
fn named_in(ty: &TypeRef, out: &mut Vec<TypeId>) {
    ty.named_types(out);
}

fn children(d: &Draft) -> Vec<TypeId> {
    let mut out = Vec::new();
    match &d.kind {
        DraftKind::Struct(fields) => fields.iter().for_each(|f| named_in(&f.ty, &mut out)),
        DraftKind::Union { members, .. } => members.iter().for_each(|m| named_in(m, &mut out)),
        DraftKind::Enum(_) | DraftKind::Pending => {}
    }
    out
}

/// Every type's and operation's name, and which of them the lock published.
struct Names {
    types: Vec<String>,
    ops: Vec<String>,
    type_locks: Vec<Option<Published>>,
    op_locks: Vec<Option<Published>>,
}

/// Where an operation is, for the lock: `POST /v1/financial_connections/sessions`.
fn operation_place(op: &crate::lower::DraftOperation) -> String {
    format!("{} {}", op.method.as_str(), op.path_text)
}

/// Final names for all types and operations: published ones first, as the lock has them; then
/// components and operations, then inline types level by level, among the names left free.
fn names(drafts: &Drafts, lock: &NameLock) -> Result<Names, Error> {
    let mut taken: BTreeSet<String> = RESERVED_TYPE_NAMES.iter().map(|s| s.to_string()).collect();
    // a name claimed twice (a hand-edited lock) is kept by the first claimant only
    let mut claim = |found: Option<Published>| found.filter(|p| taken.insert(p.name.clone()));
    let type_locks: Vec<Option<Published>> = drafts
        .types
        .iter()
        .map(|d| claim(lock.find(std::iter::once(d.origin.as_str()).chain(d.also.iter().map(String::as_str)))))
        .collect();
    let op_locks: Vec<Option<Published>> =
        drafts.operations.iter().map(|op| claim(lock.find([operation_place(op).as_str()]))).collect();
    let mut type_names: Vec<Option<String>> = type_locks.iter().map(|l| l.as_ref().map(|l| l.name.clone())).collect();
    let mut op_names: Vec<String> =
        op_locks.iter().map(|l| l.as_ref().map(|l| l.name.clone()).unwrap_or_default()).collect();

    // level 0: components and operations
    let mut entries: Vec<Vec<String>> = Vec::new();
    let mut who: Vec<Result<usize, usize>> = Vec::new(); // Ok(type) / Err(operation)
    for (i, d) in drafts.types.iter().enumerate() {
        if let (NameSpec::Fixed(c), None) = (&d.name, &type_names[i]) {
            entries.push(c.clone());
            who.push(Ok(i));
        }
    }
    for (i, op) in drafts.operations.iter().enumerate() {
        if op_locks[i].is_none() {
            entries.push(operation_candidates(drafts, op));
            who.push(Err(i));
        }
    }
    // schemas whose names differ only in case or punctuation (`thing`, `Thing`) want the same
    // candidates; they end numbered in the order of their wire names, which the spec decides
    let resolved = resolve(&entries, &mut taken);
    for (k, name) in resolved.into_iter().enumerate() {
        match who[k] {
            Ok(t) => type_names[t] = Some(name),
            Err(o) => op_names[o] = name,
        }
    }

    // nested types, level by level: a type is ready once all its owners are named
    loop {
        let mut ready: Vec<usize> = Vec::new();
        for (i, d) in drafts.types.iter().enumerate() {
            if type_names[i].is_some() {
                continue;
            }
            if let NameSpec::Nested { sites, .. } = &d.name {
                if sites.iter().all(|(o, _)| owner_name(*o, &type_names, &op_names).is_some()) {
                    ready.push(i);
                }
            }
        }
        if ready.is_empty() {
            break;
        }
        let entries: Vec<Vec<String>> = ready
            .iter()
            .map(|&i| match &drafts.types[i].name {
                NameSpec::Nested { sites, items } => nested_candidates(sites, *items, &type_names, &op_names),
                NameSpec::Fixed(c) => c.clone(),
            })
            .collect();
        let resolved = resolve(&entries, &mut taken);
        for (i, name) in ready.into_iter().zip(resolved) {
            type_names[i] = Some(name);
        }
    }
    let type_names = type_names
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            n.ok_or_else(|| Error::at(&pointer(&drafts.types[i].origin), "internal: a type could not be named"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Names { types: type_names, ops: op_names, type_locks, op_locks })
}

fn pointer(origin: &str) -> Pointer {
    Pointer::from_ref(origin).unwrap_or_else(Pointer::root)
}

fn owner_name<'a>(owner: Owner, types: &'a [Option<String>], ops: &'a [String]) -> Option<&'a str> {
    match owner {
        Owner::Type(id) => types[id.0].as_deref(),
        Owner::Operation(i) => ops.get(i).map(String::as_str),
        Owner::Root => Some(""),
    }
}

/// One site: the owner's name and the suffix. Several sites (a shared enum): the canonical
/// site's name, shortened to its last words (at least two, one for array items) when free.
fn nested_candidates(sites: &[(Owner, String)], items: bool, types: &[Option<String>], ops: &[String]) -> Vec<String> {
    let full = |(o, suffix): &(Owner, String)| format!("{}{}", owner_name(*o, types, ops).unwrap_or_default(), suffix);
    let canonical = full(&sites[0]);
    if sites.len() == 1 {
        return vec![canonical];
    }
    let words = pascal_words(&canonical);
    let min = if items { 1 } else { 2 };
    let mut out: Vec<String> =
        (min.min(words.len())..=words.len()).map(|k| words[words.len() - k..].concat()).collect();
    out.retain(|c| !c.starts_with(|ch: char| ch.is_ascii_digit()));
    if out.is_empty() {
        out.push(canonical);
    }
    out
}

fn pascal_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if (c.is_ascii_uppercase() && prev_lower) || words.is_empty() {
            words.push(String::new());
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        if let Some(w) = words.last_mut() {
            w.push(c);
        }
    }
    words
}

fn resource_of<'a>(drafts: &'a Drafts, ty: &TypeRef) -> Option<&'a str> {
    match ty {
        TypeRef::Named(id) => drafts.types[id.0].resource.as_deref(),
        TypeRef::List(t) | TypeRef::SearchList(t) | TypeRef::Expandable(t) => resource_of(drafts, t),
        _ => None,
    }
}

fn operation_candidates(drafts: &Drafts, op: &crate::lower::DraftOperation) -> Vec<String> {
    let verb = operation_verb(op, resource_of(drafts, &op.response));
    let plural = verb == "List" || verb == "Search";
    // a DELETE answers with a `deleted_*` stand-in; the path names what is deleted
    let resource = if verb == "Delete" { None } else { resource_of(drafts, &op.response) };
    let (short, long) = match resource {
        Some(r) => (camel_ident(r.rsplit('.').next().unwrap_or(r)), camel_ident(r)),
        None => {
            let noun = path_noun(op);
            (noun.clone(), noun)
        }
    };
    let pluralize = |s: String| if plural { plural_of(&s) } else { s };
    // the path's nouns, singular (`/v1/customers/{customer}/subscriptions/{id}` → CustomerSubscription):
    // when it equals the short name it repeats it, so in a contest this operation keeps the name
    let path_nouns: String = op
        .path_text
        .split('/')
        .filter(|s| !s.is_empty() && *s != "v1" && !s.starts_with('{'))
        .filter(|s| camel_ident(s) != verb)
        .map(|s| camel_ident(&crate::names::singular(s)))
        .collect();
    // an action whose response is named after it (`PUT /v1/account/logout` answers a
    // `light_account_logout`) is named by its path (`LogoutAccount`), not `LogoutLightAccountLogout`
    let short = if short.ends_with(&verb) && short != verb { path_nouns.clone() } else { short };
    let mut out = vec![
        format!("{verb}{}", pluralize(short)),
        format!("{verb}{}", pluralize(path_nouns)),
        format!("{verb}{}", pluralize(long)),
        camel_ident(&op.operation_id),
    ];
    // drop later repeats only, keeping a repeat of the first candidate (see above)
    let mut seen = std::collections::BTreeSet::new();
    let first = out[0].clone();
    out.retain(|c| *c == first || seen.insert(c.clone()));
    out
}

fn plural_of(noun: &str) -> String {
    if noun.ends_with('y') && !noun.ends_with("ey") {
        format!("{}ies", &noun[..noun.len() - 1])
    } else if noun.ends_with('s') || noun.ends_with('x') || noun.ends_with("ch") || noun.ends_with("sh") {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

fn resource_module(resource: &str) -> ModulePath {
    resource.split('.').map(snake_ident).collect()
}

fn operation_module(drafts: &Drafts, op: &crate::lower::DraftOperation) -> ModulePath {
    match resource_of(drafts, &op.response) {
        Some(r) => resource_module(r),
        None => {
            let first = op.path_text.split('/').find(|s| !s.is_empty() && *s != "v1" && !s.starts_with('{'));
            vec![snake_ident(first.unwrap_or(SHARED_MODULE))]
        }
    }
}

/// Module of every type: its resource's, or the single module that reaches it, or `shared`.
fn modules(drafts: &Drafts) -> Vec<ModulePath> {
    let n = drafts.types.len();
    let own: Vec<Option<ModulePath>> =
        drafts.types.iter().map(|d| d.resource.as_deref().map(resource_module)).collect();
    let mut reached_by: Vec<BTreeSet<ModulePath>> = vec![BTreeSet::new(); n];
    let mut roots: Vec<(ModulePath, Vec<TypeId>)> = Vec::new();
    for (i, d) in drafts.types.iter().enumerate() {
        if let Some(r) = &d.resource {
            roots.push((resource_module(r), vec![TypeId(i)]));
        }
    }
    for op in &drafts.operations {
        let mut start = Vec::new();
        op.params.iter().for_each(|p| named_in(&p.field.ty, &mut start));
        named_in(&op.response, &mut start);
        if let Some(e) = &op.error {
            named_in(e, &mut start);
        }
        roots.push((operation_module(drafts, op), start));
    }
    for (module, start) in roots {
        let mut seen = BTreeSet::new();
        let mut stack = start;
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            let d = &drafts.types[id.0];
            if own[id.0].as_ref().is_some_and(|m| *m != module) {
                continue; // another resource: it lives in its own module
            }
            reached_by[id.0].insert(module.clone());
            stack.extend(children(d));
        }
    }
    drafts
        .types
        .iter()
        .enumerate()
        .map(|(i, _)| match &own[i] {
            Some(m) => m.clone(),
            None if reached_by[i].len() == 1 => reached_by[i].iter().next().cloned().unwrap_or_default(),
            None => vec![SHARED_MODULE.to_owned()],
        })
        .collect()
}

fn usage(drafts: &Drafts) -> Vec<Usage> {
    let mut out = vec![Usage::default(); drafts.types.len()];
    let mut mark = |start: Vec<TypeId>, u: Usage| {
        let mut stack = start;
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                out[id.0].merge(u);
                stack.extend(children(&drafts.types[id.0]));
            }
        }
    };
    let mut sent = Vec::new();
    let mut received = Vec::new();
    for op in &drafts.operations {
        op.params.iter().for_each(|p| named_in(&p.field.ty, &mut sent));
        named_in(&op.response, &mut received);
        if let Some(e) = &op.error {
            named_in(e, &mut received);
        }
    }
    mark(sent, Usage { sent: true, received: false });
    // types no operation uses are still generated; they are received like responses
    received.extend((0..drafts.types.len()).map(TypeId));
    mark(received, Usage { sent: false, received: true });
    out
}

/// Pairs (holder, held) where a type holds a type of its own cycle by value, which needs a `Box`.
fn cycles(drafts: &Drafts) -> BTreeSet<(usize, usize)> {
    let edges: Vec<Vec<usize>> = drafts
        .types
        .iter()
        .map(|d| {
            let tys: Vec<&TypeRef> = match &d.kind {
                DraftKind::Struct(f) => f.iter().map(|f| &f.ty).collect(),
                DraftKind::Union { members, .. } => members.iter().collect(),
                _ => Vec::new(),
            };
            tys.into_iter().filter_map(by_value_target).map(|t| t.0).collect()
        })
        .collect();
    let component = strongly_connected(&edges);
    let mut out = BTreeSet::new();
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            if component[from] == component[to] {
                out.insert((from, to));
            }
        }
    }
    out
}

/// Kosaraju's algorithm, iterative so that no spec can exhaust the stack.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut order = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.pop() {
            if let Some(&to) = edges[node].get(next) {
                stack.push((node, next + 1));
                if !visited[to] {
                    visited[to] = true;
                    stack.push((to, 0));
                }
            } else {
                order.push(node);
            }
        }
    }
    let mut reverse = vec![Vec::new(); n];
    for (from, targets) in edges.iter().enumerate() {
        for &to in targets {
            reverse[to].push(from);
        }
    }
    let mut component = vec![usize::MAX; n];
    for (c, &start) in order.iter().rev().enumerate() {
        if component[start] != usize::MAX {
            continue;
        }
        component[start] = c;
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            for &from in &reverse[node] {
                if component[from] == usize::MAX {
                    component[from] = c;
                    stack.push(from);
                }
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::{pascal_words, strongly_connected};

    #[test]
    fn words_of_pascal_names() {
        assert_eq!(
            pascal_words("BankConnectionsResourceAccountholderType"),
            ["Bank", "Connections", "Resource", "Accountholder", "Type"]
        );
        assert_eq!(pascal_words("N3ds"), ["N3ds"]);
    }

    #[test]
    fn cycles_share_a_component() {
        let c = strongly_connected(&[vec![1], vec![0], vec![2], vec![]]);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[3]);
        assert_eq!(c.iter().filter(|&&x| x == c[2]).count(), 1);
    }
}
