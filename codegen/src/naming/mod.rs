//! Naming: every public item's name and module, decided once, from the facts `lower`
//! recorded (an item's owner, the suffix of an inline type, the resource it is, its path and
//! method) and the names the lock has published. The text rules of a name (identifier
//! escaping, case, plurals, keeping clear of reserved words) are in `words`.
//!
//! Order: published names first, as the lock has them; then components and operations, then
//! inline types level by level (an inline type is named after its owner), each among the names
//! left free, contested candidates moving to longer ones (`words::resolve`).

mod members;
mod words;

pub(crate) use members::{enum_variant_names, field_names, union_variant_names};
pub(crate) use words::*;

use crate::draft::{DraftOperation, Drafts, NameSpec, Owner};
use crate::error::{Error, Pointer};
use crate::ir::{Method, ModulePath, TypeId, TypeRef};
use crate::lock::{NameLock, Published};
use std::collections::BTreeSet;

/// Every draft's name and module, and the lock to publish.
pub(crate) struct Placed {
    pub type_names: Vec<String>,
    pub type_modules: Vec<ModulePath>,
    pub op_names: Vec<String>,
    pub op_modules: Vec<ModulePath>,
    /// Every item's place, module and name: the lock for the next run.
    pub published: NameLock,
}

/// Names and places every draft type and operation; a published item keeps its name and module.
pub(crate) fn place(drafts: &Drafts, lock: &NameLock) -> Result<Placed, Error> {
    let Names { types: type_names, ops: op_names, type_locks, op_locks } = names(drafts, lock)?;
    let type_modules: Vec<ModulePath> = modules(drafts)
        .into_iter()
        .zip(&type_locks)
        .map(|(module, locked)| locked.as_ref().map_or(module, |l| l.module.clone()))
        .collect();
    let op_modules: Vec<ModulePath> = drafts
        .operations
        .iter()
        .zip(&op_locks)
        .map(|(op, locked)| locked.as_ref().map_or_else(|| operation_module(drafts, op), |l| l.module.clone()))
        .collect();
    let mut published = NameLock::default();
    for (i, d) in drafts.types.iter().enumerate() {
        for place in std::iter::once(&d.origin).chain(&d.also) {
            published.insert(place.clone(), type_modules[i].clone(), type_names[i].clone());
        }
    }
    for (i, op) in drafts.operations.iter().enumerate() {
        published.insert(operation_place(op), op_modules[i].clone(), op_names[i].clone());
    }
    Ok(Placed { type_names, type_modules, op_names, op_modules, published })
}

/// Name of the module for types that several resources use.
const SHARED_MODULE: &str = "shared";

/// Every type's and operation's name, and which of them the lock published.
struct Names {
    types: Vec<String>,
    ops: Vec<String>,
    type_locks: Vec<Option<Published>>,
    op_locks: Vec<Option<Published>>,
}

/// Where an operation is, for the lock: `POST /v1/financial_connections/sessions`.
fn operation_place(op: &crate::draft::DraftOperation) -> String {
    crate::ir::endpoint(op.method, &op.path_text)
}

/// Final names for all types and operations: published ones first, as the lock has them; then
/// components and operations, then inline types level by level, among the names left free.
fn names(drafts: &Drafts, lock: &NameLock) -> Result<Names, Error> {
    let mut taken: BTreeSet<String> =
        RESERVED_TYPE_NAMES.iter().chain(crate::runtime::TYPES).map(|s| s.to_string()).collect();
    // a name claimed twice (a hand-edited lock) is kept by the first claimant only
    let mut claim = |found: Option<Published>| found.filter(|p| taken.insert(p.name.clone()));
    let type_locks = published_types(drafts, lock, &mut claim);
    let op_locks: Vec<Option<Published>> =
        drafts.operations.iter().map(|op| claim(lock.find([operation_place(op).as_str()]))).collect();
    let mut type_names: Vec<Option<String>> = type_locks.iter().map(|l| l.as_ref().map(|l| l.name.clone())).collect();
    let mut op_names: Vec<String> =
        op_locks.iter().map(|l| l.as_ref().map(|l| l.name.clone()).unwrap_or_default()).collect();

    // level 0: components and operations
    let mut entries: Vec<Vec<String>> = Vec::new();
    let mut who: Vec<Result<usize, usize>> = Vec::new(); // Ok(type) / Err(operation)
    for (i, d) in drafts.types.iter().enumerate() {
        if let (NameSpec::Component { key, resource }, None) = (&d.name, &type_names[i]) {
            entries.push(component_candidates(key, resource.as_deref()));
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
                NameSpec::Component { key, resource } => component_candidates(key, resource.as_deref()),
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

/// Each type's published name, if it has one. First by the place where the type is defined,
/// so a name stays with the schema it was published for; then, for what is left, by the other
/// places it stands: a `$ref` to a component, a site of a shared type. A component found by a
/// `$ref` was renamed upstream; its inline types are then found under its old key.
fn published_types(
    drafts: &Drafts,
    lock: &NameLock,
    claim: &mut impl FnMut(Option<Published>) -> Option<Published>,
) -> Vec<Option<Published>> {
    let mut found: Vec<Option<Published>> =
        drafts.types.iter().map(|d| claim(lock.find([d.origin.as_str()]))).collect();
    // renamed components: (the new schema's place, the old one's)
    let mut renamed: Vec<(String, String)> = Vec::new();
    for (i, d) in drafts.types.iter().enumerate() {
        if found[i].is_none() && matches!(d.name, NameSpec::Component { .. }) {
            found[i] = claim(lock.find(d.also.iter().map(String::as_str)));
            if let Some(old) = found[i].as_ref().and_then(|p| lock.component_of(p)) {
                renamed.push((format!("{}/", d.origin), format!("{old}/")));
            }
        }
    }
    for (i, d) in drafts.types.iter().enumerate() {
        if found[i].is_none() && !matches!(d.name, NameSpec::Component { .. }) {
            let places: Vec<String> = std::iter::once(&d.origin)
                .chain(&d.also)
                .flat_map(|place| {
                    let old = renamed.iter().find_map(|(new, old)| Some(format!("{old}{}", place.strip_prefix(new)?)));
                    std::iter::once(place.clone()).chain(old)
                })
                .collect();
            found[i] = claim(lock.find(places.iter().map(String::as_str)));
        }
    }
    found
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

fn operation_candidates(drafts: &Drafts, op: &crate::draft::DraftOperation) -> Vec<String> {
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
        .map(|s| camel_ident(&crate::naming::singular(s)))
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

fn resource_module(resource: &str) -> ModulePath {
    let mut path: ModulePath = resource.split('.').map(snake_ident).collect();
    if let Some(first) = path.first_mut() {
        *first = root_module(first);
    }
    path
}

fn operation_module(drafts: &Drafts, op: &crate::draft::DraftOperation) -> ModulePath {
    match resource_of(drafts, &op.response) {
        Some(r) => resource_module(r),
        None => {
            let first = op.path_text.split('/').find(|s| !s.is_empty() && *s != "v1" && !s.starts_with('{'));
            vec![root_module(&snake_ident(first.unwrap_or(SHARED_MODULE)))]
        }
    }
}

/// A module at the crate's root: named as the runtime names one of its own
/// ([`crate::runtime::MODULES`]), it gets a suffix.
fn root_module(name: &str) -> String {
    if crate::runtime::MODULES.contains(&name) { format!("{name}_resource") } else { name.to_owned() }
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
        roots.push((operation_module(drafts, op), op.children()));
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
            stack.extend(d.children());
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

/// Names a draft operation from its path and method: `POST /v1/x/sessions` → `Create` + noun.
/// `resource` is the `x-resourceId` the operation returns, when it returns one: a POST to a
/// collection under another object (`/v1/accounts/{account}/external_accounts`) creates one of
/// it; a POST to any other name after an id is that action (`/v1/charges/{charge}/capture`).
/// PUT and PATCH to an id replace and update it; to any other name that is not the resource's
/// collection, they are that action (`PUT /v1/account/logout` → `Logout`).
pub(crate) fn operation_verb(op: &DraftOperation, resource: Option<&str>) -> String {
    let segments: Vec<&str> = op.path_text.split('/').filter(|s| !s.is_empty() && *s != "v1").collect();
    let last = segments.last().copied().unwrap_or("");
    let last_is_param = last.starts_with('{');
    let is_list = matches!(op.response, TypeRef::List(_));
    let creates_resource = resource.is_some_and(|r| r.rsplit('.').next() == Some(singular(last).as_str()));
    match (op.method, last_is_param) {
        (Method::Get, true) => "Retrieve".to_owned(),
        (Method::Post | Method::Patch, true) => "Update".to_owned(),
        (Method::Put, true) => "Replace".to_owned(),
        (Method::Delete, _) => "Delete".to_owned(),
        (Method::Get, false) if is_list => "List".to_owned(),
        (Method::Get, false) if last == "search" => "Search".to_owned(),
        (Method::Get, false) => "Retrieve".to_owned(),
        (Method::Post, false) => {
            let after_param = segments.len() >= 2 && segments[segments.len() - 2].starts_with('{');
            if after_param && !creates_resource { camel_ident(last) } else { "Create".to_owned() }
        }
        // Stripe's one PUT is an action on a collection (`PUT /v1/account/logout`)
        (Method::Put | Method::Patch, false) if !creates_resource => camel_ident(last),
        (Method::Put, false) => "Replace".to_owned(),
        (Method::Patch, false) => "Update".to_owned(),
    }
}

/// The path's own noun for an operation whose response is not a resource.
pub(crate) fn path_noun(op: &DraftOperation) -> String {
    let literal: Vec<&str> =
        op.path_text.split('/').filter(|s| !s.is_empty() && *s != "v1" && !s.starts_with('{')).collect();
    let verb = operation_verb(op, None);
    let noun = literal.iter().rev().find(|s| camel_ident(s) != verb).copied().unwrap_or("resource");
    camel_ident(&singular(noun))
}

/// A component's names, preferred first: its resource's last word (`financial_connections.session`
/// → `Session`), the whole resource, then its key, and the key with `Object` after it.
fn component_candidates(key: &str, resource: Option<&str>) -> Vec<String> {
    let mut candidates = Vec::new();
    if let Some(resource) = resource {
        let last = resource.rsplit('.').next().unwrap_or(resource);
        candidates.push(camel_ident(last));
        candidates.push(camel_ident(resource));
    }
    candidates.push(camel_ident(key));
    candidates.push(format!("{}Object", camel_ident(key)));
    candidates.dedup();
    candidates
}

#[cfg(test)]
mod tests {
    use super::{operation_verb, pascal_words};
    use crate::draft::DraftOperation;
    use crate::ir::{BodyEncoding, Method, TypeId, TypeRef};

    #[test]
    fn root_modules_keep_clear_of_the_runtimes() {
        assert_eq!(super::resource_module("webhook"), ["webhook_resource"]);
        assert_eq!(super::resource_module("testing.thing"), ["testing_resource", "thing"]);
        assert_eq!(super::resource_module("issuing.transport"), ["issuing", "transport"]);
        assert_eq!(super::resource_module("financial_connections.session"), ["financial_connections", "session"]);
    }

    /// An operation of `method` on `path` whose response is a list or one object.
    fn op(method: Method, path: &str, list: bool) -> DraftOperation {
        let one = TypeRef::Named(TypeId(0));
        DraftOperation {
            operation_id: "Op".to_owned(),
            doc: None,
            origin: String::new(),
            method,
            path: Vec::new(),
            path_text: path.to_owned(),
            params: Vec::new(),
            response: if list { TypeRef::List(Box::new(one)) } else { one },
            error: None,
            body: BodyEncoding::Form,
            server: None,
        }
    }

    /// The verb of a request's name, one rule each: from its method and path, and the
    /// resource it returns.
    #[test]
    fn a_request_is_named_by_what_its_method_does_to_its_path() {
        let verb = |method, path, list, resource| operation_verb(&op(method, path, list), resource);
        assert_eq!(
            verb(Method::Post, "/v1/financial_connections/sessions", false, Some("financial_connections.session")),
            "Create"
        );
        assert_eq!(verb(Method::Get, "/v1/financial_connections/sessions/{session}", false, None), "Retrieve");
        assert_eq!(verb(Method::Get, "/v1/financial_connections/accounts", true, None), "List");
        assert_eq!(verb(Method::Get, "/v1/customers/search", false, None), "Search");
        assert_eq!(verb(Method::Get, "/v1/balance", false, None), "Retrieve", "a singleton");
        assert_eq!(verb(Method::Post, "/v1/customers/{customer}", false, None), "Update");
        assert_eq!(verb(Method::Delete, "/v1/customers/{customer}", false, None), "Delete");
        // an action after an id: the action
        let refresh = "/v1/financial_connections/accounts/{account}/refresh";
        assert_eq!(verb(Method::Post, refresh, false, Some("financial_connections.account")), "Refresh");
        // a collection under another object that returns its resource: created there
        let nested = "/v1/accounts/{account}/external_accounts";
        assert_eq!(verb(Method::Post, nested, false, Some("external_account")), "Create");
        // PUT and PATCH: to an id they replace and update; elsewhere they are an action
        assert_eq!(verb(Method::Put, "/v1/things/{thing}", false, None), "Replace");
        assert_eq!(verb(Method::Patch, "/v1/things/{thing}", false, None), "Update");
        assert_eq!(verb(Method::Put, "/v1/account/logout", false, Some("light_account_logout")), "Logout");
    }

    #[test]
    fn words_of_pascal_names() {
        assert_eq!(
            pascal_words("BankConnectionsResourceAccountholderType"),
            ["Bank", "Connections", "Resource", "Accountholder", "Type"]
        );
        assert_eq!(pascal_words("N3ds"), ["N3ds"]);
    }
}
