//! Structurally identical inline types become one type.
//!
//! Stripe's spec repeats the same inline objects across operations (the address of a create and
//! of an update, the same payment method options under several resources): on the full spec,
//! 1,700 inline objects have 605 distinct shapes. Two inline types are shared when their shapes
//! are equal: the same fields (wire name, optionality, constant, type) or the same members,
//! never by comparing descriptions. Components keep their own types. The shared type takes the
//! first site's docs and is named from all its sites (see `crate::naming`, which makes a shared type's candidates from all its sites).

use crate::draft::{DraftKind, Drafts, NameSpec, Owner};
use crate::ir::{TypeId, TypeRef};
use crate::lock::NameLock;
use std::collections::BTreeMap;
use std::fmt::Write;

pub(crate) fn share(drafts: &mut Drafts, lock: &NameLock) {
    let n = drafts.types.len();
    let mut repr: Vec<usize> = (0..n).collect();
    keep_published_enums(drafts, lock, &mut repr);
    // children are lowered after their parents, so walking ids downwards merges leaves first;
    // merging leaves can make parents equal, so repeat until nothing changes
    loop {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut changed = false;
        for id in (0..n).rev() {
            let draft = &drafts.types[id];
            if repr[id] != id || !matches!(draft.name, NameSpec::Nested { .. }) || draft.kind == DraftKind::Pending {
                continue;
            }
            let key = shape(&drafts.types[id].kind, &repr);
            match seen.get(&key) {
                // keep the lowest id (the first site in document order) as the shared type
                Some(&other) if other > id => {
                    repr[other] = id;
                    seen.insert(key, id);
                    changed = true;
                }
                Some(&other) => {
                    repr[id] = other;
                    changed = true;
                }
                None => {
                    seen.insert(key, id);
                }
            }
        }
        // follow chains so every entry names its final representative
        for id in 0..n {
            let mut r = repr[id];
            while repr[r] != r {
                r = repr[r];
            }
            repr[id] = r;
        }
        if !changed {
            break;
        }
    }
    if repr.iter().enumerate().all(|(i, &r)| i == r) {
        return;
    }
    // new, dense ids for the types that remain
    let mut new_id = vec![usize::MAX; n];
    let mut next = 0;
    for id in 0..n {
        if repr[id] == id {
            new_id[id] = next;
            next += 1;
        }
    }
    let map = |id: TypeId| TypeId(new_id[repr[id.0]]);
    // the merged types' sites and places join their representative's
    for (id, &target_id) in repr.iter().enumerate() {
        if target_id != id {
            let sites = match &drafts.types[id].name {
                NameSpec::Nested { sites, .. } => sites.clone(),
                NameSpec::Component { .. } => Vec::new(),
            };
            let places: Vec<String> =
                std::iter::once(drafts.types[id].origin.clone()).chain(drafts.types[id].also.clone()).collect();
            let target = &mut drafts.types[target_id];
            if let NameSpec::Nested { sites: target_sites, .. } = &mut target.name {
                target_sites.extend(sites);
            }
            target.also.extend(places);
        }
    }
    let old = std::mem::take(&mut drafts.types);
    for (id, mut draft) in old.into_iter().enumerate() {
        if repr[id] != id {
            continue;
        }
        if let NameSpec::Nested { sites, .. } = &mut draft.name {
            for (owner, _) in sites.iter_mut() {
                if let Owner::Type(t) = owner {
                    *t = map(*t);
                }
            }
            let mut unique = Vec::with_capacity(sites.len());
            for site in sites.drain(..) {
                if !unique.contains(&site) {
                    unique.push(site);
                }
            }
            *sites = unique;
        }
        match &mut draft.kind {
            DraftKind::Struct(fields) => fields.iter_mut().for_each(|f| remap(&mut f.ty, &map)),
            DraftKind::Union { members, .. } => members.iter_mut().for_each(|m| remap(m, &map)),
            DraftKind::Enum(_) | DraftKind::Pending => {}
        }
        drafts.types.push(draft);
    }
    for op in &mut drafts.operations {
        op.params.iter_mut().for_each(|p| remap(&mut p.field.ty, &map));
        remap(&mut op.response, &map);
        if let Some(e) = &mut op.error {
            remap(e, &map);
        }
    }
}

fn remap(ty: &mut TypeRef, map: &impl Fn(TypeId) -> TypeId) {
    match ty {
        TypeRef::Named(id) => *id = map(*id),
        TypeRef::Vec(t)
        | TypeRef::Map(t)
        | TypeRef::Expandable(t)
        | TypeRef::List(t)
        | TypeRef::SearchList(t)
        | TypeRef::Emptyable(t) => remap(t, map),
        _ => {}
    }
}

/// A text that is equal for two kinds exactly when their shapes are, given the merges so far.
fn shape(kind: &DraftKind, repr: &[usize]) -> String {
    let mut out = String::new();
    match kind {
        DraftKind::Struct(fields) => {
            out.push('S');
            for f in fields {
                let _ = write!(out, "|{:?}:{}:{:?}:", f.wire, f.required, f.constant);
                type_shape(&f.ty, repr, &mut out);
            }
        }
        DraftKind::Enum(values) => {
            let _ = write!(out, "E{values:?}");
        }
        DraftKind::Union { members, tag, discriminator } => {
            let _ = write!(out, "U{tag:?}{discriminator:?}");
            for m in members {
                out.push('|');
                type_shape(m, repr, &mut out);
            }
        }
        DraftKind::Pending => out.push('P'),
    }
    out
}

fn type_shape(ty: &TypeRef, repr: &[usize], out: &mut String) {
    match ty {
        TypeRef::Named(id) => {
            let _ = write!(out, "#{}", repr[id.0]);
        }
        TypeRef::Vec(t) => wrap("V", t, repr, out),
        TypeRef::Map(t) => wrap("M", t, repr, out),
        TypeRef::Expandable(t) => wrap("X", t, repr, out),
        TypeRef::List(t) => wrap("L", t, repr, out),
        TypeRef::SearchList(t) => wrap("Q", t, repr, out),
        TypeRef::Emptyable(t) => wrap("O", t, repr, out),
        other => {
            let _ = write!(out, "{other:?}");
        }
    }
}

fn wrap(tag: &str, inner: &TypeRef, repr: &[usize], out: &mut String) {
    out.push_str(tag);
    out.push('(');
    type_shape(inner, repr, out);
    out.push(')');
}

/// Inline enums the lock published as one type stay one type, with every value of each: when
/// Stripe adds a value in only some of the places that share an enum (the Session's
/// `permissions`, not the create request's), the one type gains the value. No user's code
/// stops compiling, where splitting it would rename the type in some places; the price is that
/// a request may offer a value only a response has, which Stripe refuses with an error.
fn keep_published_enums(drafts: &mut Drafts, lock: &NameLock, repr: &mut [usize]) {
    let mut first: BTreeMap<(Vec<String>, String), usize> = BTreeMap::new();
    for (id, merged_into) in repr.iter_mut().enumerate() {
        let draft = &drafts.types[id];
        if !matches!((&draft.name, &draft.kind), (NameSpec::Nested { .. }, DraftKind::Enum(_))) {
            continue;
        }
        let places = std::iter::once(draft.origin.as_str()).chain(draft.also.iter().map(String::as_str));
        let Some(published) = lock.find(places) else { continue };
        match first.entry((published.module, published.name)) {
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(id);
            }
            std::collections::btree_map::Entry::Occupied(slot) => {
                let target = *slot.get();
                let DraftKind::Enum(added) = drafts.types[id].kind.clone() else { continue };
                if let DraftKind::Enum(values) = &mut drafts.types[target].kind {
                    for value in added {
                        if !values.contains(&value) {
                            values.push(value);
                        }
                    }
                }
                *merged_into = target;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::share;
    use crate::draft::{Draft, DraftKind, Drafts, NameSpec, Owner};
    use crate::lock::NameLock;

    fn enumeration(origin: &str, values: &[&str]) -> Draft {
        Draft {
            name: NameSpec::Nested { sites: vec![(Owner::Root, "Permission".to_owned())], items: true },
            doc: None,
            origin: origin.to_owned(),
            also: Vec::new(),
            kind: DraftKind::Enum(values.iter().map(|v| v.to_string()).collect()),
            resource: None,
        }
    }

    /// Enums the lock published as one type stay one when their values drift apart, with the
    /// values of each; without the lock they are two types.
    #[test]
    fn enums_published_as_one_type_stay_one_with_every_value() {
        let drafts = || Drafts {
            types: vec![
                enumeration("#/a", &["balances", "ownership"]),
                enumeration("#/b", &["balances", "ownership", "identity"]),
            ],
            ..Drafts::default()
        };
        let mut lock = NameLock::default();
        for place in ["#/a", "#/b"] {
            lock.insert(place.to_owned(), vec!["shared".to_owned()], "Permission".to_owned());
        }
        let mut locked = drafts();
        share(&mut locked, &lock);
        assert_eq!(locked.types.len(), 1);
        assert_eq!(
            locked.types[0].kind,
            DraftKind::Enum(vec!["balances".into(), "ownership".into(), "identity".into()])
        );
        assert_eq!(locked.types[0].also, ["#/b"]);

        let mut free = drafts();
        share(&mut free, &NameLock::default());
        assert_eq!(free.types.len(), 2, "different values, no lock: two types");
    }
}
