//! The types each type holds, and the analyses on them: one walk for the IR and one for the
//! drafts, each giving every named type an item mentions with how it holds it, and the
//! analyses that follow those edges (reachability, the strongly connected components that
//! decide which fields are boxed). Features (`features.rs`), usage, modules (`naming`), the
//! layout of a module (`emit/plan.rs`), docs and unions all walk through here.

use crate::draft::{Draft, DraftKind, DraftOperation, Drafts};
use crate::ir::{Operation, TypeDef, TypeId, TypeKind, TypeRef, Usage};
use std::collections::BTreeSet;

/// How an item holds a type it mentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hold {
    /// The value itself (`T`, `Option<T>`, `Vec<T>`, a map, a list).
    ByValue,
    /// Behind an expandable field: an id unless asked for.
    Expandable,
}

/// Calls `f` with every named type `ty` mentions and how it holds it.
pub(crate) fn held_in(ty: &TypeRef, f: &mut impl FnMut(TypeId, Hold)) {
    ty.visit_named(false, &mut |id, expandable| f(id, if expandable { Hold::Expandable } else { Hold::ByValue }));
}

/// The named type a value of `ty` holds in place (not behind a `Vec`, map or `Box`).
pub(crate) fn in_place(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Emptyable(inner) => in_place(inner),
        _ => None,
    }
}

/// The type references of a type's fields or alternatives.
fn members(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct { fields } => fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Enum { .. } => Vec::new(),
    }
}

impl TypeDef {
    /// Every named type this type's fields or alternatives mention, in order, and how.
    pub(crate) fn held(&self) -> Vec<(TypeId, Hold)> {
        let mut out = Vec::new();
        members(&self.kind).into_iter().for_each(|ty| held_in(ty, &mut |id, hold| out.push((id, hold))));
        out
    }
}

/// Every named type the references mention, in order.
fn named<'a>(tys: impl IntoIterator<Item = &'a TypeRef>) -> Vec<TypeId> {
    let mut out = Vec::new();
    tys.into_iter().for_each(|ty| ty.named_types(&mut out));
    out
}

impl Operation {
    /// The named types a request sends: its parameters'.
    pub(crate) fn sent(&self) -> Vec<TypeId> {
        named(self.params.iter().map(|p| &p.field.ty))
    }

    /// The named types a request receives: its response's and its error body's.
    pub(crate) fn received(&self) -> Vec<TypeId> {
        named(std::iter::once(&self.response).chain(&self.error))
    }
}

impl Draft {
    /// The named types this draft's fields or members mention (held any way).
    pub(crate) fn children(&self) -> Vec<TypeId> {
        named(self.member_types())
    }

    fn member_types(&self) -> Vec<&TypeRef> {
        match &self.kind {
            DraftKind::Struct(fields) => fields.iter().map(|f| &f.ty).collect(),
            DraftKind::Union { members, .. } => members.iter().collect(),
            DraftKind::Enum(_) | DraftKind::Pending => Vec::new(),
        }
    }
}

impl DraftOperation {
    /// The named types the operation's parameters mention.
    pub(crate) fn sent(&self) -> Vec<TypeId> {
        named(self.params.iter().map(|p| &p.field.ty))
    }

    /// The named types the operation's response and error body mention.
    pub(crate) fn received(&self) -> Vec<TypeId> {
        named(std::iter::once(&self.response).chain(&self.error))
    }

    /// Both.
    pub(crate) fn children(&self) -> Vec<TypeId> {
        let mut out = self.sent();
        out.extend(self.received());
        out
    }
}

/// Every type reachable from `starts` (themselves included) along `next`.
pub(crate) fn reachable(n: usize, starts: Vec<TypeId>, next: impl Fn(TypeId) -> Vec<TypeId>) -> Vec<bool> {
    let mut seen = vec![false; n];
    let mut stack = starts;
    while let Some(id) = stack.pop() {
        if !std::mem::replace(&mut seen[id.0], true) {
            stack.extend(next(id));
        }
    }
    seen
}

/// Whether users send each draft type (parameters reach it) and whether they receive it:
/// every type is decoded, since types no operation uses are still generated and Stripe sends
/// them (in a webhook if nowhere else), like responses.
pub(crate) fn usage(drafts: &Drafts) -> Vec<Usage> {
    let n = drafts.types.len();
    let next = |id: TypeId| drafts.types[id.0].children();
    let sent = reachable(n, drafts.operations.iter().flat_map(DraftOperation::sent).collect(), next);
    sent.into_iter().map(|sent| Usage { sent, received: true }).collect()
}

/// The fields that must be boxed: `(type, held type)` pairs where a type holds in place one of
/// the same strongly connected component (a recursive type would have infinite size).
pub(crate) fn boxed(drafts: &Drafts) -> BTreeSet<(usize, usize)> {
    let edges: Vec<Vec<usize>> =
        drafts.types.iter().map(|d| d.member_types().into_iter().filter_map(in_place).map(|t| t.0).collect()).collect();
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
