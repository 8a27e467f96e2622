//! Cargo features: one per resource module, so that a user compiles only what they ask for.
//!
//! A module that holds an operation or a resource's type is a feature, named by its path in
//! snake_case (`financial_connections_session`); its items compile when it is on. A type of a module
//! that is no feature (`shared`) compiles when any feature whose items reach it is on.
//!
//! Stripe's resources refer to each other in cycles, almost all through expandable fields
//! (an id, or the object when asked for): charge → customer → invoice → charge. Following
//! those would make every feature pull in most of the API. So a feature turns on only the
//! features its items hold by value (`Session::accounts` holds `Account`s); behind an
//! expandable field, or in an error body (Stripe's names the PaymentIntent it concerns), a
//! resource whose feature is off is a *stand-in*: a type of the same name that keeps the
//! object as JSON and has nothing the real type lacks. Code that
//! compiles with a stand-in compiles with the real type, so features stay additive.
//! `full` turns them all on.

use crate::graph::{Hold, held_in};
use crate::ir::{Api, Features, Gate, ModulePath, TypeDef, TypeId, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// The feature that turns on every resource feature.
pub(crate) const FULL: &str = "full";

/// Whether a feature name is taken by the crate itself: `default`, `full`, or one of the
/// runtime's ([`crate::runtime::FEATURES`]).
fn is_taken(name: &str) -> bool {
    name == "default" || name == FULL || crate::runtime::FEATURES.iter().any(|(taken, _)| *taken == name)
}

/// The feature of a module: its path in snake_case, as Cargo features usually are and with no
/// quoting needed in a manifest (`financial_connections::session` → `financial_connections_session`),
/// raw identifiers unmarked; a module named like a feature the crate has otherwise gets a
/// suffix, so a resource `tracing` does not turn on tracing. (Stripe's resource ids do not
/// meet in this form; the whole-spec test checks every module keeps a feature of its own.)
fn feature_name(module: &ModulePath) -> String {
    let name = module.iter().map(|m| m.strip_prefix("r#").unwrap_or(m)).collect::<Vec<_>>().join("_");
    if is_taken(&name) { format!("{name}_resource") } else { name }
}

/// A named type as another item mentions it.
#[derive(Debug, Clone, Copy)]
struct Reference {
    id: TypeId,
    /// Held by value, not behind an expandable field.
    by_value: bool,
}

/// The named types in a type reference; those inside `Expandable` are not held by value.
fn references_in(ty: &TypeRef, by_value: bool, out: &mut Vec<Reference>) {
    held_in(ty, &mut |id, hold| out.push(Reference { id, by_value: by_value && hold != Hold::Expandable }));
}

/// The direct references of a type: every named type its fields or alternatives mention.
fn references(ty: &TypeDef) -> Vec<Reference> {
    ty.held().into_iter().map(|(id, hold)| Reference { id, by_value: hold != Hold::Expandable }).collect()
}

/// Decides every feature, what each turns on, and when each type and operation compiles.
pub(crate) fn features(api: &Api) -> Features {
    let feature_modules: BTreeSet<&ModulePath> = api
        .operations
        .iter()
        .map(|op| &op.module)
        .chain(api.types.iter().filter(|t| t.resource.is_some()).map(|t| &t.module))
        .collect();
    let is_feature = |m: &ModulePath| feature_modules.contains(m);

    // where each feature's items start: its resources and what its operations mention (its
    // other types are in it because those reach them, held by value or not)
    let mut starts: BTreeMap<&ModulePath, Vec<Reference>> = feature_modules.iter().map(|m| (*m, Vec::new())).collect();
    for (i, ty) in api.types.iter().enumerate() {
        if let (Some(start), Some(_)) = (starts.get_mut(&ty.module), &ty.resource) {
            start.push(Reference { id: TypeId(i), by_value: true });
        }
    }
    let mut stand_ins = vec![false; api.types.len()];
    for op in &api.operations {
        let start = starts.entry(&op.module).or_default();
        let before = start.len();
        op.params.iter().for_each(|p| references_in(&p.field.ty, true, start));
        references_in(&op.response, true, start);
        if let Some(e) = &op.error {
            // an error body names the objects it concerns (Stripe's holds a PaymentIntent):
            // typed when their features are on, JSON otherwise, like an expandable field
            references_in(e, false, start);
        }
        for r in &start[before..] {
            stand_ins[r.id.0] |= api.types[r.id.0].module != op.module && is_feature(&api.types[r.id.0].module);
        }
    }
    // a type of a feature that an item of another module names may be compiled without its
    // feature: it needs a stand-in
    for ty in &api.types {
        for r in references(ty) {
            let home = &api.types[r.id.0].module;
            stand_ins[r.id.0] |= *home != ty.module && is_feature(home);
        }
    }

    let mut shared_gates: Vec<BTreeSet<String>> = vec![BTreeSet::new(); api.types.len()];
    let mut features = BTreeMap::new();
    for (module, start) in starts {
        let feature = feature_name(module);
        let mut turns_on = BTreeSet::new();
        // a type reached both ways is followed once each way
        let mut seen = vec![[false; 2]; api.types.len()];
        let mut stack = start;
        while let Some(Reference { id, by_value }) = stack.pop() {
            if std::mem::replace(&mut seen[id.0][usize::from(by_value)], true) {
                continue;
            }
            let ty = &api.types[id.0];
            let inherit = |mut r: Reference| {
                r.by_value &= by_value;
                r
            };
            if ty.module == *module {
                stack.extend(references(ty).into_iter().map(inherit));
            } else if is_feature(&ty.module) {
                if by_value {
                    turns_on.insert(feature_name(&ty.module)); // that feature takes care of the rest
                }
            } else {
                shared_gates[id.0].insert(feature.clone());
                stack.extend(references(ty).into_iter().map(inherit));
            }
        }
        features.insert(feature, turns_on.into_iter().collect());
    }

    let types = api
        .types
        .iter()
        .zip(shared_gates)
        .zip(stand_ins)
        .map(|((ty, gate), stand_in)| {
            if is_feature(&ty.module) {
                Gate::Feature { name: feature_name(&ty.module), stand_in }
            } else if gate.is_empty() {
                Gate::Any(vec![FULL.to_owned()]) // nothing reaches it: only `full` asks for it
            } else {
                Gate::Any(gate.into_iter().collect())
            }
        })
        .collect();
    let operations = api.operations.iter().map(|op| feature_name(&op.module)).collect();
    Features { features, types, operations }
}

#[cfg(test)]
mod tests {
    use super::feature_name;

    fn module(path: &[&str]) -> Vec<String> {
        path.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn feature_names_are_module_paths_in_snake_case() {
        assert_eq!(feature_name(&module(&["financial_connections", "session"])), "financial_connections_session");
        assert_eq!(feature_name(&module(&["r#type"])), "type");
    }

    /// The runtime's contract: every feature the crate's manifest declares by hand is one a
    /// resource module cannot take, so a rename on either side fails here.
    #[test]
    fn modules_named_like_the_runtime_features_get_a_suffix() {
        for name in ["client", "default", "full", "webhooks", "tracing", "blocking"] {
            assert_eq!(feature_name(&module(&[name])), format!("{name}_resource"));
        }
        assert_eq!(feature_name(&module(&["client", "x"])), "client_x");
    }
}
