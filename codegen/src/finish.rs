//! Drafts into the final IR: names, modules, usage and boxing, each decided once, for all types.
//!
//! - **Names**: components and operations first, then inline types level by level (a nested
//!   type's name starts with its owner's final name), with `names::resolve` breaking collisions.
//! - **Modules**: a resource (`x-resourceId: a.b`) lives in `a::b`, an operation with the resource
//!   it returns; any other type lives in the one module that reaches it, or in `shared`.
//! - **Usage**: what requests reach is sent (`Serialize`), what responses reach is received.
//! - **Boxing**: fields that hold a type of their own strongly connected component by value.

use crate::draft::{Draft, DraftField, DraftKind, Drafts};
use crate::error::Error;
use crate::ir::{
    Api, Field, Operation, Param, Shape, TypeDef, TypeId, TypeKind, TypeRef, UnionDecode, UnionVariant, Usage, Variant,
};
use crate::lock::NameLock;
use crate::naming::Placed;
use crate::naming::{camel_ident, dedupe_members, request_setter, resolve, snake_ident};
use std::collections::BTreeSet;

pub(crate) fn finish(drafts: Drafts, lock: &NameLock) -> Result<Api, Error> {
    let Placed { type_names, type_modules, op_names, op_modules, published } = crate::naming::place(&drafts, lock)?;
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

fn usage(drafts: &Drafts) -> Vec<Usage> {
    let mut out = vec![Usage::default(); drafts.types.len()];
    let mut mark = |start: Vec<TypeId>, u: Usage| {
        let mut stack = start;
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                out[id.0].merge(u);
                stack.extend(drafts.types[id.0].children());
            }
        }
    };
    let mut sent = Vec::new();
    let mut received = Vec::new();
    for op in &drafts.operations {
        op.params.iter().for_each(|p| p.field.ty.named_types(&mut sent));
        op.response.named_types(&mut received);
        if let Some(e) = &op.error {
            e.named_types(&mut received);
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
    use super::strongly_connected;

    #[test]
    fn cycles_share_a_component() {
        let c = strongly_connected(&[vec![1], vec![0], vec![2], vec![]]);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[3]);
        assert_eq!(c.iter().filter(|&&x| x == c[2]).count(), 1);
    }
}
