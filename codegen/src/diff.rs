//! What changed for users between two versions of the generated crate: two IRs compared item
//! by item by Rust name (names are stable through the lock), never as text, so a spec that is
//! only reformatted shows no change. Each change is classified by the crate's semver policy
//! (see `emit.rs`): every struct, enum, union and request is `#[non_exhaustive]` and built
//! through `new` and setters, so what only adds (a type, a request, an optional field or
//! parameter, an enum value, a union alternative) is compatible; what removes, retypes or
//! makes a value required or optional breaks code.

use crate::ir::{Api, Field, Operation, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;
use std::fmt::Write;

/// How a change affects code that uses the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// No public item changes (docs, wire details).
    Patch,
    /// Something is added; code that compiled still compiles.
    Addition,
    /// Code that compiled may not compile, or behaves differently.
    Breaking,
}

/// One change of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// How it affects users' code.
    pub impact: Impact,
    /// The Rust item (`Session::prefetch`, `CreateSession`, `API_VERSION`).
    pub item: String,
    /// What changed, on the wire and in Rust.
    pub what: String,
}

/// Every change between two IRs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiDiff {
    /// The changes, in item order.
    pub changes: Vec<Change>,
}

impl ApiDiff {
    /// The largest impact, or `None` when nothing changed.
    pub fn verdict(&self) -> Option<Impact> {
        self.changes.iter().map(|c| c.impact).max()
    }

    /// `3 added, 0 breaking: compatible` for a summary line.
    pub fn summary(&self) -> String {
        let count = |impact| self.changes.iter().filter(|c| c.impact == impact).count();
        let verdict = match self.verdict() {
            None => "no change",
            Some(Impact::Patch) => "no API change",
            Some(Impact::Addition) => "compatible",
            Some(Impact::Breaking) => "breaking",
        };
        format!(
            "{} added, {} breaking, {} other: {verdict}",
            count(Impact::Addition),
            count(Impact::Breaking),
            count(Impact::Patch)
        )
    }

    /// The report as Markdown: the verdict, then the changes by impact.
    pub fn markdown(&self, title: &str) -> String {
        let mut out = format!("# {title}\n\n**{}**", self.summary());
        out.push_str(match self.verdict() {
            Some(Impact::Breaking) => " — a breaking release (0.x: the minor number, 0.1.3 → 0.2.0).\n",
            Some(Impact::Addition) => " — a compatible release (0.x: the patch number, 0.1.3 → 0.1.4).\n",
            Some(Impact::Patch) => " — a patch release, if any.\n",
            None => ".\n",
        });
        for (impact, heading) in
            [(Impact::Breaking, "Breaking"), (Impact::Addition, "Added (compatible)"), (Impact::Patch, "Other")]
        {
            let changes: Vec<&Change> = self.changes.iter().filter(|c| c.impact == impact).collect();
            if changes.is_empty() {
                continue;
            }
            let _ = write!(out, "\n## {heading}\n\n");
            for c in changes {
                let _ = writeln!(out, "- `{}`: {}", c.item, c.what);
            }
        }
        out
    }
}

/// The changes from `old` to `new`.
pub fn diff(old: &Api, new: &Api) -> ApiDiff {
    let mut d = Differ { old, new, changes: Vec::new() };
    if old.api_version != new.api_version {
        d.push(
            Impact::Breaking,
            "API_VERSION",
            format!(
                "`{}` → `{}`: every request now sends `Stripe-Version: {}`, and Stripe renders objects and webhooks in that version's shapes (see Stripe's changelog for the versions between)",
                old.api_version, new.api_version, new.api_version
            ),
        );
    }
    let old_types: BTreeMap<&str, &TypeDef> = old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_types: BTreeMap<&str, &TypeDef> = new.types.iter().map(|t| (t.name.as_str(), t)).collect();
    for (name, o) in &old_types {
        match new_types.get(name) {
            None => d.push(Impact::Breaking, name, format!("removed (was `{}`); code naming it breaks", o.origin)),
            Some(n) => d.types(o, n),
        }
    }
    for (name, n) in &new_types {
        if !old_types.contains_key(name) {
            d.push(Impact::Addition, name, format!("new type (`{}`)", n.origin));
        }
    }
    let old_ops: BTreeMap<&str, &Operation> = old.operations.iter().map(|o| (o.name.as_str(), o)).collect();
    let new_ops: BTreeMap<&str, &Operation> = new.operations.iter().map(|o| (o.name.as_str(), o)).collect();
    for (name, o) in &old_ops {
        match new_ops.get(name) {
            None => d.push(Impact::Breaking, name, format!("request removed (`{}`)", o.endpoint())),
            Some(n) => d.operations(o, n),
        }
    }
    for (name, n) in &new_ops {
        if !old_ops.contains_key(name) {
            d.push(Impact::Addition, name, format!("new request `{}`", n.endpoint()));
        }
    }
    d.changes.sort_by(|a, b| a.item.cmp(&b.item));
    ApiDiff { changes: d.changes }
}

struct Differ<'a> {
    old: &'a Api,
    new: &'a Api,
    changes: Vec<Change>,
}

impl Differ<'_> {
    fn push(&mut self, impact: Impact, item: &str, what: String) {
        self.changes.push(Change { impact, item: item.to_owned(), what });
    }

    fn types(&mut self, o: &TypeDef, n: &TypeDef) {
        let name = o.name.as_str();
        if o.module != n.module {
            self.push(
                Impact::Breaking,
                name,
                format!(
                    "moved from `{}` to `{}`; the crate root still exports it",
                    o.module.join("::"),
                    n.module.join("::")
                ),
            );
        }
        if o.doc != n.doc {
            self.push(Impact::Patch, name, "documentation changed".to_owned());
        }
        match (&o.kind, &n.kind) {
            (TypeKind::Struct { .. }, TypeKind::Struct { .. }) => {
                let (of, nf) = (o.struct_fields(), n.struct_fields());
                self.fields(name, &of, &nf, n.usage.sent, "field");
                // constants a received struct leaves out: on the wire only
                if !n.usage.sent {
                    let (oc, nc) = (o.constants(), n.constants());
                    for (field, value) in nc.iter().filter(|c| !oc.contains(c)) {
                        let what = format!("`{field}` is always `{value}` on the wire now (a constant: no Rust field)");
                        self.push(Impact::Patch, &format!("{name}::{field}"), what);
                    }
                    for (field, value) in oc.iter().filter(|(f, _)| !nc.iter().any(|(g, _)| g == f)) {
                        let what = format!("`{field}` is no longer always `{value}` on the wire (no Rust field)");
                        self.push(Impact::Patch, &format!("{name}::{field}"), what);
                    }
                }
            }
            (TypeKind::Enum { variants: ov, .. }, TypeKind::Enum { variants: nv, .. }) => {
                for v in nv.iter().filter(|v| !ov.iter().any(|x| x.wire == v.wire)) {
                    let what = format!("new value `{}` (decoded as `Unknown` before)", v.wire);
                    self.push(Impact::Addition, &format!("{name}::{}", v.name), what);
                }
                for v in ov.iter().filter(|v| !nv.iter().any(|x| x.wire == v.wire)) {
                    let what = format!(
                        "value `{}` removed: it decodes to `Unknown` now, and code naming the variant breaks",
                        v.wire
                    );
                    self.push(Impact::Breaking, &format!("{name}::{}", v.name), what);
                }
            }
            (TypeKind::Union { variants: ov, .. }, TypeKind::Union { variants: nv, .. }) => {
                for v in nv {
                    match ov.iter().find(|x| x.name == v.name) {
                        None => {
                            self.push(Impact::Addition, &format!("{name}::{}", v.name), "new alternative".to_owned())
                        }
                        Some(x) if self.old_type(&x.ty) != self.new_type(&v.ty) => self.push(
                            Impact::Breaking,
                            &format!("{name}::{}", v.name),
                            format!("holds `{}` instead of `{}`", self.new_type(&v.ty), self.old_type(&x.ty)),
                        ),
                        Some(_) => {}
                    }
                }
                for v in ov.iter().filter(|v| !nv.iter().any(|x| x.name == v.name)) {
                    self.push(Impact::Breaking, &format!("{name}::{}", v.name), "alternative removed".to_owned());
                }
            }
            _ => self.push(Impact::Breaking, name, "now a different kind of type (struct, enum or union)".to_owned()),
        }
    }

    /// Fields (or parameters) of one item. `built`: users build it (`new` takes the required
    /// ones), so a new required one breaks them.
    fn fields(&mut self, owner: &str, old: &[&Field], new: &[&Field], built: bool, kind: &str) {
        for f in new {
            let item = format!("{owner}::{}", f.name);
            match old.iter().find(|x| x.wire == f.wire) {
                None if f.required && built => self.push(
                    Impact::Breaking,
                    &item,
                    format!("new required {kind} `{}`: `{owner}::new` takes it as an argument", f.wire),
                ),
                None => self.push(
                    Impact::Addition,
                    &item,
                    format!(
                        "new {}{kind} `{}` (`{}`)",
                        if f.required { "" } else { "optional " },
                        f.wire,
                        self.new_field(f)
                    ),
                ),
                Some(x) => {
                    let (was, now) = (self.old_field(x), self.new_field(f));
                    if was != now {
                        let why = match (x.required, f.required) {
                            (true, false) => "may be absent or null now: every reader of it breaks",
                            (false, true) if built => "required now: `new` takes it as an argument",
                            (false, true) => "always present now: readers of the `Option` break",
                            _ => "its type changed: code reading or setting it breaks",
                        };
                        self.push(Impact::Breaking, &item, format!("`{was}` → `{now}`: {why}"));
                    } else if x.doc != f.doc {
                        self.push(Impact::Patch, &item, "documentation changed".to_owned());
                    }
                }
            }
        }
        for f in old.iter().filter(|f| !new.iter().any(|x| x.wire == f.wire)) {
            let item = format!("{owner}::{}", f.name);
            self.push(Impact::Breaking, &item, format!("{kind} `{}` removed: code using it breaks", f.wire));
        }
    }

    fn operations(&mut self, o: &Operation, n: &Operation) {
        let name = o.name.as_str();
        if o.endpoint() != n.endpoint() {
            self.push(Impact::Breaking, name, format!("sends `{}` instead of `{}`", n.endpoint(), o.endpoint()));
        }
        if self.old_type(&o.response) != self.new_type(&n.response) {
            let what = format!("answers `{}` instead of `{}`", self.new_type(&n.response), self.old_type(&o.response));
            self.push(Impact::Breaking, name, what);
        }
        if o.doc != n.doc {
            self.push(Impact::Patch, name, "documentation changed".to_owned());
        }
        let of: Vec<&Field> = o.params.iter().map(|p| &p.field).collect();
        let nf: Vec<&Field> = n.params.iter().map(|p| &p.field).collect();
        self.fields(name, &of, &nf, true, "parameter");
    }

    fn old_field(&self, f: &Field) -> String {
        field_text(self.old, f)
    }

    fn new_field(&self, f: &Field) -> String {
        field_text(self.new, f)
    }

    fn old_type(&self, ty: &TypeRef) -> String {
        type_text(self.old, ty)
    }

    fn new_type(&self, ty: &TypeRef) -> String {
        type_text(self.new, ty)
    }
}

fn field_text(api: &Api, f: &Field) -> String {
    let ty = type_text(api, &f.ty);
    if f.required { ty } else { format!("Option<{ty}>") }
}

/// A type as users write it (`Option` aside), with names from its own IR.
fn type_text(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::Integer => "i64".to_owned(),
        TypeRef::Number => "f64".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::Timestamp => "Timestamp".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Binary => "FileUpload".to_owned(),
        TypeRef::Named(id) => api.types[id.0].name.clone(),
        TypeRef::Vec(t) => format!("Vec<{}>", type_text(api, t)),
        TypeRef::Map(t) => format!("BTreeMap<String, {}>", type_text(api, t)),
        TypeRef::Expandable(t) => format!("Expandable<{}>", type_text(api, t)),
        TypeRef::List(t) => format!("List<{}>", type_text(api, t)),
        TypeRef::SearchList(t) => format!("SearchList<{}>", type_text(api, t)),
        TypeRef::Emptyable(t) => format!("Emptyable<{}>", type_text(api, t)),
    }
}
