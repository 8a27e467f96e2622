//! The IR into tokens, one module at a time: a plain mapping with no naming or spec lookups.
//!
//! Identifiers come from the IR (already valid) through `format_ident!`; wire names and docs
//! are string literals, so nothing from the spec is pasted into code.

use crate::features::{Features, Gate};
use crate::ir::{
    Api, BodyEncoding, Field, Method, ModulePath, Operation, ParamLocation, PathSegment, TypeDef, TypeKind, TypeRef,
};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// What goes where: every module's items, in output order, and its child modules. Plain data,
/// so modules can be emitted and rendered on several threads.
pub(crate) struct Plan {
    /// Items of each module (the root is the empty path), sorted by name.
    pub items: BTreeMap<ModulePath, Vec<Item>>,
    /// Child module names of each module, sorted.
    pub children: BTreeMap<ModulePath, Vec<String>>,
    /// The crate's library name, for doc examples (doctests name the crate); none without it.
    pub crate_name: Option<String>,
    /// Which cargo feature compiles each item.
    pub features: Features,
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
            (module, defs.into_iter().map(|(_, item)| item).collect())
        })
        .collect();
    // every parent module has a file, and the root always does (it holds `API_VERSION`)
    for module in children.keys().cloned().chain([Vec::new()]) {
        items.entry(module).or_default();
    }
    Plan { items, children, crate_name: crate_name.map(str::to_owned), features: crate::features::features(api) }
}

fn item_name(api: &Api, item: Item) -> &str {
    match item {
        Item::Type(i) => &api.types[i].name,
        Item::Operation(i) => &api.operations[i].name,
    }
}

/// The items of one module; the root also gets `API_VERSION` and a re-export of every item.
pub(crate) fn emit_module(api: &Api, plan: &Plan, module: &ModulePath) -> TokenStream {
    let items = plan.items.get(module).map(Vec::as_slice).unwrap_or_default();
    let tokens = items.iter().map(|item| match *item {
        Item::Type(i) => {
            let gate = &plan.features.types[i];
            let real = type_def(api, &api.types[i], &gate_attr(gate));
            match gate {
                Gate::Feature { name, stand_in: true } => {
                    let stand_in = stand_in(&api.types[i], name);
                    quote! { #real #stand_in }
                }
                _ => real,
            }
        }
        Item::Operation(i) => {
            operation(api, &api.operations[i], plan.crate_name.as_deref(), &feature_attr(&plan.features.operations[i]))
        }
    });
    let body = quote! { #(#tokens)* };
    if !module.is_empty() {
        return body;
    }
    // a leaf module's items by a glob, which takes whatever its features compiled (names are
    // unique crate-wide); a parent's items one by one, as the glob would also take its modules
    let mut uses = Vec::new();
    for (module, items) in plan.items.iter().filter(|(m, items)| !m.is_empty() && !items.is_empty()) {
        let path = module.iter().map(|m| ident(m));
        let cfg = |gate: Option<Gate>| gate.map_or_else(TokenStream::new, |gate| gate_attr(&gate));
        if !plan.children.contains_key(module) {
            // gated like the module's items, or it is an unused import when none is compiled
            let gates: Option<Vec<Gate>> = items.iter().map(|item| name_gate(plan, *item)).collect();
            let cfg = cfg(gates.map(|gates| any_of(&gates)));
            uses.push(quote! { #cfg pub use self::#(#path::)**; });
            continue;
        }
        for item in items {
            let path = module.iter().map(|m| ident(m));
            let name = ident(item_name(api, *item));
            let cfg = cfg(name_gate(plan, *item));
            uses.push(quote! { #cfg pub use self::#(#path::)*#name; });
        }
    }
    let version = &api.api_version;
    let version_doc = crate::docs::clean(&format!(
        " The Stripe API version this crate was generated for (`{version}`), sent as `Stripe-Version`."
    ));
    quote! {
        #[doc = #version_doc]
        pub const API_VERSION: &str = #version;
        #(#uses)*
        #body
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
    let mut features = std::collections::BTreeSet::new();
    for gate in gates {
        match gate {
            Gate::Feature { name, .. } => {
                features.insert(name.clone());
            }
            Gate::Any(names) => features.extend(names.iter().cloned()),
        }
    }
    Gate::Any(features.into_iter().collect())
}

/// `#[cfg(feature = "name")]`.
fn feature_attr(name: &str) -> TokenStream {
    quote! { #[cfg(feature = #name)] }
}

/// The `#[cfg]` that compiles an item when its gate says.
fn gate_attr(gate: &Gate) -> TokenStream {
    match gate {
        Gate::Feature { name, .. } => feature_attr(name),
        Gate::Any(names) if names.len() == 1 => feature_attr(&names[0]),
        Gate::Any(names) => quote! { #[cfg(any(#(feature = #names),*))] },
    }
}

/// What stands in for a type whose feature is off, where other modules name it: the same
/// name, the JSON as received, and nothing the real type lacks (no fields, no constructor,
/// the same traits), so code that compiles with it compiles with the real type.
fn stand_in(ty: &TypeDef, feature: &str) -> TokenStream {
    let name = ident(&ty.name);
    let derives = serde_derives(ty);
    let doc = crate::docs::clean(&format!(
        " `{}` while the feature `{feature}` is off: the object as Stripe sent it, untyped. Turn the \
         feature on for its fields; until then `serde_json::to_value` reads it.",
        ty.name
    ));
    quote! {
        #[doc = #doc]
        #[cfg(not(feature = #feature))]
        #[derive(Clone, Debug, PartialEq, #derives)]
        #[serde(transparent)]
        pub struct #name(::serde_json::Value);
    }
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else { return TokenStream::new() };
    let lines = doc.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {}", crate::docs::clean(l)) });
    quote! { #(#[doc = #lines])* }
}

/// Path to a named type from anywhere in the crate: names are unique crate-wide and the
/// generated root re-exports every item, so the short path is always the right one.
fn type_path(ty: &TypeDef) -> TokenStream {
    let name = ident(&ty.name);
    quote! { crate::generated::#name }
}

fn type_tokens(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote! { String },
        TypeRef::Integer => quote! { i64 },
        TypeRef::Number => quote! { f64 },
        TypeRef::Bool => quote! { bool },
        TypeRef::Timestamp => quote! { crate::Timestamp },
        TypeRef::Json => quote! { ::serde_json::Value },
        TypeRef::Binary => quote! { crate::FileUpload },
        TypeRef::Named(id) => type_path(&api.types[id.0]),
        TypeRef::Vec(t) => {
            let t = type_tokens(api, t);
            quote! { Vec<#t> }
        }
        TypeRef::Map(t) => {
            let t = type_tokens(api, t);
            quote! { ::std::collections::BTreeMap<String, #t> }
        }
        TypeRef::Expandable(t) => {
            let t = type_tokens(api, t);
            quote! { crate::Expandable<#t> }
        }
        TypeRef::List(t) => {
            let t = type_tokens(api, t);
            quote! { crate::List<#t> }
        }
        TypeRef::SearchList(t) => {
            let t = type_tokens(api, t);
            quote! { crate::SearchList<#t> }
        }
        TypeRef::Emptyable(t) => {
            let t = type_tokens(api, t);
            quote! { crate::Emptyable<#t> }
        }
    }
}

/// The full type of a field: boxed and optional as the IR says.
fn field_type(api: &Api, f: &Field) -> TokenStream {
    let mut t = type_tokens(api, &f.ty);
    if f.boxed {
        t = quote! { Box<#t> };
    }
    if !f.required {
        t = quote! { Option<#t> };
    }
    t
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
fn struct_deserialize(ty: &TypeDef, fields: &[&Field], cfg: &TokenStream) -> TokenStream {
    let name = ident(&ty.name);
    let expecting = format!("`{}` (a JSON object)", ty.name);
    let (required, optional): (Vec<&&Field>, Vec<&&Field>) = fields.iter().partition(|f| f.required);
    let wires = |list: &[&&Field]| list.iter().map(|f| f.wire.clone()).collect::<Vec<_>>();
    let names = |list: &[&&Field]| list.iter().map(|f| ident(&f.name)).collect::<Vec<_>>();
    let (rwire, rname, owire, oname) = (wires(&required), names(&required), wires(&optional), names(&optional));
    quote! {
        #cfg
        crate::deserialize_object! {
            #name, #expecting,
            required { #(#rwire => #rname),* }
            optional { #(#owire => #oname),* }
        }
    }
}

fn type_def(api: &Api, ty: &TypeDef, cfg: &TokenStream) -> TokenStream {
    let doc = doc_attrs(ty.doc.as_deref());
    let name = ident(&ty.name);
    let derives = serde_derives(ty);
    match &ty.kind {
        TypeKind::Struct { fields } => {
            // a received-only type leaves constant fields out: they carry no information
            let fields: Vec<&Field> = fields.iter().filter(|f| f.constant.is_none() || ty.usage.sent).collect();
            let all_optional = fields.iter().all(|f| !f.required);
            let default = all_optional.then(|| quote! { Default, });
            let field_tokens = fields.iter().map(|f| {
                let fdoc = doc_attrs(f.doc.as_deref());
                let fname = ident(&f.name);
                let ftype = field_type(api, f);
                let rename = (f.name != f.wire).then(|| {
                    let wire = &f.wire;
                    quote! { #[serde(rename = #wire)] }
                });
                let skip = (!f.required).then(|| quote! { #[serde(skip_serializing_if = "Option::is_none")] });
                quote! { #fdoc #rename #skip pub #fname: #ftype, }
            });
            let constructor = (ty.usage.sent && !all_optional).then(|| {
                let new =
                    new_fn(api, &fields, " A value with the required fields set and every optional field `None`.");
                quote! { #cfg impl #name { #new } }
            });
            let deserialize = ty.usage.received.then(|| struct_deserialize(ty, &fields, cfg));
            quote! {
                #doc
                #cfg
                #[derive(Clone, Debug, #default PartialEq, ::serde::Serialize)]
                pub struct #name { #(#field_tokens)* }
                #constructor
                #deserialize
            }
        }
        TypeKind::Enum { variants, unknown } => {
            let unknown = ident(unknown);
            let names: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
            let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
            let variant_docs = wires.iter().map(|w| match *w {
                "" => " The empty string.".to_owned(),
                w => format!(" `{}`", crate::docs::clean(&w.replace('`', "'"))),
            });
            let direction = if ty.usage.received { format_ident!("received") } else { format_ident!("sent") };
            quote! {
                #doc
                #cfg
                #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(#[doc = #variant_docs] #names,)*
                    /// A value this version of the crate does not know; kept as sent.
                    #unknown(String),
                }
                #cfg
                crate::string_enum!(#direction #name, #unknown, { #(#names = #wires),* });
            }
        }
        TypeKind::Union { variants, tag } => {
            let attr = match tag {
                Some(field) => quote! { #[serde(tag = #field)] },
                None => quote! { #[serde(untagged)] },
            };
            let variant_tokens = variants.iter().map(|v| {
                let vname = ident(&v.name);
                let mut vtype = type_tokens(api, &v.ty);
                if v.boxed {
                    vtype = quote! { Box<#vtype> };
                }
                let rename = v.tag_value.as_ref().map(|t| quote! { #[serde(rename = #t)] });
                let vdoc = format!(" The `{}` alternative.", v.name);
                quote! { #[doc = #vdoc] #rename #vname(#vtype), }
            });
            quote! {
                #doc
                #cfg
                #[derive(Clone, Debug, PartialEq, #derives)]
                #attr
                pub enum #name { #(#variant_tokens)* }
            }
        }
    }
}

fn operation(api: &Api, op: &Operation, crate_name: Option<&str>, cfg: &TokenStream) -> TokenStream {
    let name = ident(&op.name);
    let method_text = match op.method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Delete => "DELETE",
    };
    let path_text: String = op
        .path
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => l.clone(),
            PathSegment::Param(i) => format!("{{{}}}", op.params[*i].field.wire),
        })
        .collect();
    let doc = doc_attrs(op.doc.as_deref());
    let separator = op.doc.is_some().then(|| quote! { #[doc = ""] });
    let endpoint_doc = crate::docs::clean(&format!(" `{method_text} {path_text}` (operation `{}`)", op.operation_id));
    let default = op.params.iter().all(|p| !p.field.required).then(|| quote! { Default, });
    let fields = op.params.iter().map(|p| {
        let fdoc = doc_attrs(p.field.doc.as_deref());
        let fname = ident(&p.field.name);
        let ftype = field_type(api, &p.field);
        quote! { #fdoc pub #fname: #ftype, }
    });
    let all_fields: Vec<&Field> = op.params.iter().map(|p| &p.field).collect();
    let new =
        new_fn(api, &all_fields, " A request with its required parameters; set optional ones with the methods below.");
    let setters = op.params.iter().filter(|p| !p.field.required).map(|p| {
        let fname = ident(&p.field.name);
        let setter = ident(&p.setter);
        let inner = Field { required: true, ..p.field.clone() };
        let (ty, convert) = arg_type(api, &inner);
        let value = if convert {
            quote! { #fname.into() }
        } else {
            quote! { #fname }
        };
        let sdoc = crate::docs::clean(&format!(" Sets `{}`.", p.field.wire));
        let fdoc = doc_attrs(p.field.doc.as_deref());
        let sep = p.field.doc.is_some().then(|| quote! { #[doc = ""] });
        quote! {
            #[doc = #sdoc]
            #sep
            #fdoc
            pub fn #setter(mut self, #fname: #ty) -> Self {
                self.#fname = Some(#value);
                self
            }
        }
    });
    let response = type_tokens(api, &op.response);
    let error_body = op.error.as_ref().map_or_else(|| quote! { ::serde_json::Value }, |e| type_tokens(api, e));
    let method = format_ident!(
        "{}",
        match op.method {
            Method::Get => "Get",
            Method::Post => "Post",
            Method::Delete => "Delete",
        }
    );
    let path_parts = op.path.iter().map(|s| match s {
        PathSegment::Literal(l) => quote! { path.push_str(#l); },
        PathSegment::Param(i) => {
            let f = ident(&op.params[*i].field.name);
            let wire_name = &op.params[*i].field.wire;
            quote! { path.push_str(&crate::encode_path_segment(#wire_name, &self.#f)?); }
        }
    });
    let encode = |location: ParamLocation| {
        op.params
            .iter()
            .filter(move |p| p.location == location)
            .map(|p| {
                let f = ident(&p.field.name);
                let wire = &p.field.wire;
                match (&p.field.ty, p.field.required) {
                    (TypeRef::Binary, true) => quote! { form.file(#wire, Some(&self.#f)); },
                    (TypeRef::Binary, false) => quote! { form.file(#wire, self.#f.as_ref()); },
                    _ => quote! { form.field(#wire, &self.#f); },
                }
            })
            .collect::<Vec<_>>()
    };
    let query = encode(ParamLocation::Query);
    let body = encode(ParamLocation::Body);
    let query_fn = (!query.is_empty()).then(|| {
        quote! {
            fn encode_query(&self, form: &mut crate::FormEncoder) { #(#query)* }
        }
    });
    let body_fn = (!body.is_empty()).then(|| {
        quote! {
            fn encode_body(&self, form: &mut crate::FormEncoder) { #(#body)* }
        }
    });
    let operation_id = &op.operation_id;
    let multipart = (op.body == BodyEncoding::Multipart).then(|| quote! { const MULTIPART: bool = true; });
    let server = op.server.as_ref().map(|s| quote! { const SERVER: Option<&'static str> = Some(#s); });
    let send_doc = crate::docs::clean(&format!(" Sends `{method_text} {path_text}` and decodes the response."));
    let example = crate_name.and_then(|c| example(api, op, c)).map(|text| {
        let lines = text.lines().map(|l| format!(" {l}"));
        quote! { #[doc = ""] #(#[doc = #lines])* }
    });
    quote! {
        #doc
        #separator
        #[doc = #endpoint_doc]
        #example
        #cfg
        #[derive(Clone, Debug, #default PartialEq)]
        pub struct #name { #(#fields)* }

        #cfg
        impl #name {
            #new
            #(#setters)*
            #[doc = #send_doc]
            #[cfg(feature = "client")]
            pub async fn send(&self, client: &crate::Client) -> Result<#response, crate::Error> {
                client.send(self, &crate::RequestOptions::default()).await
            }
            /// Like `send`, with per-request options (account, idempotency key, version, retries).
            #[cfg(feature = "client")]
            pub async fn send_with(&self, client: &crate::Client, options: &crate::RequestOptions) -> Result<#response, crate::Error> {
                client.send(self, options).await
            }
        }

        #cfg
        impl crate::StripeRequest for #name {
            type Response = #response;
            type ErrorBody = #error_body;
            const METHOD: crate::Method = crate::Method::#method;
            const OPERATION_ID: &'static str = #operation_id;
            #multipart
            #server
            fn path(&self) -> Result<String, crate::Error> {
                let mut path = String::new();
                #(#path_parts)*
                Ok(path)
            }
            #query_fn
            #body_fn
        }
    }
}

/// A doc example that sends the request with placeholder values for its required parameters,
/// as Rust source; `None` when a required value cannot be made up (a type that needs itself).
fn example(api: &Api, op: &Operation, krate: &str) -> Option<String> {
    let args = op
        .params
        .iter()
        .filter(|p| p.field.required)
        .map(|p| {
            example_value(api, &p.field.ty, &p.field.wire, krate, 0)
                .map(|v| if p.field.boxed { format!("Box::new({v})") } else { v })
        })
        .collect::<Option<Vec<String>>>()?;
    Some(format!(
        "# Example\n\n```no_run\n# async fn example(client: &{krate}::Client) -> Result<(), {krate}::Error> {{\nlet response = {krate}::{}::new({})\n.send(client)\n.await?;\nprintln!(\"{{response:?}}\");\n# Ok(())\n# }}\n```",
        op.name,
        if args.is_empty() { String::new() } else { format!("\n    {},\n", args.join(",\n    ")) }
    ))
}

/// Placeholder source for a value of `ty`: a string literal of the wire name, zero, the first
/// enum variant, `new(...)` or `default()` for structs, one-item lists.
fn example_value(api: &Api, ty: &TypeRef, wire: &str, krate: &str, depth: usize) -> Option<String> {
    if depth > 6 {
        return None;
    }
    Some(match ty {
        TypeRef::String => format!("{wire:?}"),
        TypeRef::Integer | TypeRef::Timestamp => "0".to_owned(),
        TypeRef::Number => "0.0".to_owned(),
        TypeRef::Bool => "false".to_owned(),
        TypeRef::Json => "serde_json::Value::Null".to_owned(),
        TypeRef::Binary => format!("{krate}::FileUpload::new(\"file.pdf\", Vec::new())"),
        TypeRef::Map(_) => "Default::default()".to_owned(),
        TypeRef::Expandable(_) => format!("{krate}::Expandable::Id(\"id\".into())"),
        TypeRef::List(_) => format!("{krate}::List::default()"),
        TypeRef::SearchList(_) => format!("{krate}::SearchList::default()"),
        TypeRef::Emptyable(_) => format!("{krate}::Emptyable::Empty"),
        TypeRef::Vec(item) => format!("vec![{}]", example_value(api, item, wire, krate, depth + 1)?),
        TypeRef::Named(id) => {
            let def = &api.types[id.0];
            let name = &def.name;
            match &def.kind {
                TypeKind::Enum { variants, unknown } => match variants.first() {
                    Some(v) => format!("{krate}::{name}::{}", v.name),
                    None => format!("{krate}::{name}::{unknown}(String::new())"),
                },
                TypeKind::Union { variants, .. } => {
                    let v = variants.first()?;
                    let inner = example_value(api, &v.ty, wire, krate, depth + 1)?;
                    let inner = if v.boxed { format!("Box::new({inner})") } else { inner };
                    format!("{krate}::{name}::{}({inner})", v.name)
                }
                TypeKind::Struct { fields } => {
                    let visible: Vec<&Field> =
                        fields.iter().filter(|f| f.constant.is_none() || def.usage.sent).collect();
                    if visible.iter().all(|f| !f.required) {
                        format!("{krate}::{name}::default()")
                    } else if def.usage.sent {
                        let args = visible
                            .iter()
                            .filter(|f| f.required)
                            .map(|f| {
                                let v = example_value(api, &f.ty, &f.wire, krate, depth + 1)?;
                                Some(if f.boxed { format!("Box::new({v})") } else { v })
                            })
                            .collect::<Option<Vec<String>>>()?;
                        format!("{krate}::{name}::new({})", args.join(", "))
                    } else {
                        return None;
                    }
                }
            }
        }
    })
}

/// `pub fn new(required fields)`, leaving every optional field `None`.
fn new_fn(api: &Api, fields: &[&Field], doc: &str) -> TokenStream {
    let args = fields.iter().filter(|f| f.required).map(|f| {
        let fname = ident(&f.name);
        let (ty, _) = arg_type(api, f);
        quote! { #fname: #ty }
    });
    let inits = fields.iter().map(|f| {
        let fname = ident(&f.name);
        match (f.required, arg_type(api, f).1) {
            (true, true) => quote! { #fname: #fname.into(), },
            (true, false) => quote! { #fname, },
            (false, _) => quote! { #fname: None, },
        }
    });
    quote! {
        #[doc = #doc]
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits)* }
        }
    }
}

/// The type a constructor or setter takes for a field, and whether it converts with `.into()`.
fn arg_type(api: &Api, f: &Field) -> (TokenStream, bool) {
    if f.ty == TypeRef::String && !f.boxed {
        (quote! { impl Into<String> }, true)
    } else {
        let mut t = type_tokens(api, &f.ty);
        if f.boxed {
            t = quote! { Box<#t> };
        }
        (t, false)
    }
}
