//! The layout of the generated modules: which items each holds, in what order, and which
//! modules are compiled as a whole. Plain data, so modules can be emitted on several threads.

use crate::ir::{Api, Gate, ModulePath, Shape, TypeId, TypeKind, TypeRef};
use std::collections::BTreeMap;

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
    /// Struct types that are alternatives of an untagged received union, told apart by their
    /// keys: their stand-ins need the keys too.
    pub keyed: std::collections::BTreeSet<usize>,
    /// Struct types a paginated list holds, with the field they are `Identified` by.
    pub listed: std::collections::BTreeMap<usize, String>,
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
    let features = &api.features;
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
    let listed =
        api.operations.iter().filter_map(|op| op.pagination.as_ref()).map(|p| (p.item.0, p.id.clone())).collect();
    Plan { items, module_features, children, crate_name: crate_name.map(str::to_owned), keyed, listed }
}

/// A module's items (sorted by name) as a person would order them: its resources, then its
/// requests, then every other type right after the first of those that uses it, depth first;
/// what nothing here uses comes last, by name.
pub(super) fn reading_order(api: &Api, sorted: &[Item]) -> Vec<Item> {
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
        // what the item uses: a type's fields or alternatives; a request's parameters and response
        let uses: Vec<TypeId> = match item {
            Item::Type(i) => api.types[i].held().into_iter().map(|(id, _)| id).collect(),
            Item::Operation(i) => {
                let op = &api.operations[i];
                let mut uses = op.sent();
                op.response.named_types(&mut uses);
                uses
            }
        };
        let unplaced = |id: &TypeId| here.get(&id.0).is_some_and(|at| !placed[*at]);
        stack.extend(uses.into_iter().rev().filter(unplaced).map(|id| Item::Type(id.0)));
    }
    order.extend(sorted.iter().zip(placed).filter(|(_, placed)| !placed).map(|(item, _)| *item));
    order
}

pub(super) fn item_name(api: &Api, item: Item) -> &str {
    match item {
        Item::Type(i) => &api.types[i].name,
        Item::Operation(i) => &api.operations[i].name,
    }
}
