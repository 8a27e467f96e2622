//! A request type's items: the struct of its parameters, `new`, a setter per optional
//! parameter, `send` and `send_with`, and its `StripeRequest` impl.

use super::{Ctx, boxed, description_lines, field_type, ident, rust_type};
use crate::docs::written;
use crate::ir::{BodyEncoding, Field, Operation, Pagination, ParamLocation, PathSegment, TypeRef};
use crate::syntax;
use quote::quote;
use syn::{Attribute, Expr, Type};

/// A request type's items: the struct of its parameters, its constructor, setters and `send`,
/// and its `StripeRequest` impl:
///
/// ```text
/// /// The spec's description.
/// ///
/// /// `GET /v1/financial_connections/sessions/{session}` (operation `GetFinancialConnectionsSessionsSession`)
/// ///
/// /// # Example (with a crate name: see `example.rs`)
/// #[derive(Clone, Debug, PartialEq)]
/// #[non_exhaustive]
/// pub struct RetrieveSession {
///     pub session: String,
///     pub expand: Option<Vec<String>>,
/// }
///
/// impl RetrieveSession {
///     pub fn new(session: impl Into<String>) -> Self { .. }
///
///     pub fn expand(mut self, expand: impl IntoIterator<Item = impl Into<String>>) -> Self { .. }
/// }
///
/// crate::request_methods! { RetrieveSession, "GET /v1/financial_connections/sessions/{session}", Session }
///
/// impl crate::StripeRequest for RetrieveSession { .. } // see `request_impl`
/// ```
///
/// and for a list that pages, its `ListRequest` impl by `request_methods!` too ([`request_methods`]).
pub(super) fn operation(
    api: &Ctx,
    op: &Operation,
    crate_name: Option<&str>,
    cfg: &[Attribute],
    out: &mut Vec<syn::Item>,
) {
    let endpoint = op.endpoint();
    let mut doc: Vec<String> = op.doc.as_deref().and_then(description_lines).into_iter().collect();
    if op.doc.is_some() {
        doc.push(String::new());
    }
    doc.push(written::endpoint(&endpoint, &op.operation_id));
    if !op.shares_id_with.is_empty() {
        doc.push(String::new());
        doc.push(written::shared_operation_id(&op.shares_id_with));
    }
    if let Some(text) = crate_name.and_then(|c| crate::example::example(api, op, c)) {
        doc.push(String::new());
        doc.extend(text.lines().map(|l| format!(" {l}")));
    }
    let mut attrs = vec![api.doc(&doc)];
    attrs.extend(cfg.iter().cloned());
    let default = op.params.iter().all(|p| !p.field.required).then(|| quote! { Default, });
    attrs.push(syntax::attr("derive", quote! { Clone, Debug, #default PartialEq }));
    attrs.push(syntax::word_attr("non_exhaustive"));
    let fields = op
        .params
        .iter()
        .map(|p| syntax::field(api.doc_attrs(p.field.doc.as_deref()), &p.field.name, field_type(api, &p.field)));
    out.push(syntax::struct_item(attrs, &op.name, fields.collect()));

    let all_fields: Vec<&Field> = op.params.iter().map(|p| &p.field).collect();
    let mut methods = vec![new_fn(api, &all_fields, written::REQUEST_NEW)];
    methods.extend(op.params.iter().filter(|p| !p.field.required).map(|p| setter(api, &p.field, &p.setter)));
    let response = rust_type(api, &op.response);
    out.push(syntax::impl_item(cfg.to_vec(), None, &op.name, methods));
    out.push(request_methods(api, op, &response, &endpoint, cfg));
    out.push(request_impl(api, op, response, cfg));
}

/// `pub fn name(mut self, field: T) -> Self`, which sets an optional parameter:
///
/// ```text
/// /// Sets `filters`.
/// ///
/// /// The field's description.
/// pub fn filters(mut self, filters: CreateSessionFilters) -> Self {
///     self.filters = Some(filters);
///     self
/// }
/// ```
pub(super) fn setter(api: &Ctx, field: &Field, name: &str) -> syn::ImplItem {
    let fname = ident(&field.name);
    let (ty, convert) = arg_type(api, &Field { required: true, ..field.clone() });
    let value = convert.apply(syntax::expr_ident(&fname));
    let mut doc = vec![written::setter(&field.wire)];
    if field.doc.is_some() {
        doc.push(String::new());
    }
    doc.extend(field.doc.as_deref().and_then(description_lines));
    let attrs = vec![api.doc(&doc)];
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

/// `send` and `send_with` (feature `client`) of a request to `endpoint`, and for a list that
/// pages `paginate`, `paginate_with` and `impl crate::ListRequest` (how it asks for the page
/// after or before an object): the same for every request, so an invocation of the runtime's
/// `request_methods!` that says only what differs:
///
/// ```text
/// crate::request_methods! {
///     ListAccounts,
///     "GET /v1/financial_connections/accounts",
///     List<Account>,
///     paginate: Account {
///         starting_after,
///         ending_before,
///     },
/// }
/// ```
fn request_methods(api: &Ctx, op: &Operation, response: &Type, endpoint: &str, cfg: &[Attribute]) -> syn::Item {
    let name = ident(&op.name);
    let paginate = op.pagination.as_ref().map(|p: &Pagination| {
        let item = rust_type(api, &TypeRef::Named(p.item));
        let (after, before) = (ident(&p.starting_after), ident(&p.ending_before));
        quote! { , paginate: #item { #after, #before } }
    });
    syntax::macro_item(cfg.to_vec(), "crate::request_methods", quote! { #name, #endpoint, #response #paginate })
}

/// `impl crate::StripeRequest for Name`: what the client needs to send the request, such as
///
/// ```text
/// impl crate::StripeRequest for RetrieveSession {
///     type Response = Session;
///     type ErrorBody = ErrorObject;
///     const API_VERSION: &'static str = crate::API_VERSION;
///     const METHOD: crate::Method = crate::Method::Get;
///     const OPERATION_ID: &'static str = "GetFinancialConnectionsSessionsSession";
///     fn path(&self) -> Result<String, crate::Error> { .. }
///     fn encode_query(&self, form: &mut crate::FormEncoder) { form.field("expand", &self.expand); }
/// }
/// ```
pub(super) fn request_impl(api: &Ctx, op: &Operation, response: Type, cfg: &[Attribute]) -> syn::Item {
    let error_body = op.error.as_ref().map_or_else(|| syntax::named("::serde_json::Value"), |e| rust_type(api, e));
    let method = op.method.runtime_variant();
    let mut items = vec![
        syntax::impl_type("Response", response),
        syntax::impl_type("ErrorBody", error_body),
        syntax::impl_const("API_VERSION", syntax::str_ref(true), syntax::expr_path("crate::API_VERSION")),
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

/// `pub fn new(required fields)`, leaving every optional field `None`:
///
/// ```text
/// pub fn new(account_holder: CreateSessionAccountHolder, permissions: impl IntoIterator<Item = Permission>) -> Self {
///     Self { account_holder, permissions: permissions.into_iter().collect(), filters: None }
/// }
/// ```
pub(super) fn new_fn(api: &Ctx, fields: &[&Field], doc: &str) -> syn::ImplItem {
    let args = fields.iter().filter(|f| f.required).map(|f| (ident(&f.name), arg_type(api, f).0)).collect();
    let inits = fields
        .iter()
        .map(|f| {
            let fname = ident(&f.name);
            let value = match (f.required, arg_type(api, f).1) {
                (true, Convert::Move) => None,
                (true, convert) => Some(convert.apply(syntax::expr_ident(&fname))),
                (false, _) => Some(syntax::expr_path("None")),
            };
            (fname, value)
        })
        .collect();
    syntax::Method {
        attrs: vec![api.doc_line(doc)],
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

/// How a constructor or setter turns its argument into the field's value.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Convert {
    /// Taken as it is.
    Move,
    /// `x.into()`: a `String` from anything `Into<String>` (`"US"`).
    Into,
    /// `x.into_iter().collect()`: a list from any iterator (an array, a `Vec`).
    Collect,
    /// `x.into_iter().map(Into::into).collect()`: a list of strings from any iterator of `Into<String>`.
    CollectInto,
}

impl Convert {
    pub(super) fn apply(self, value: syn::Expr) -> syn::Expr {
        let iter = |value| syntax::method_call(value, "into_iter", Vec::new());
        match self {
            Convert::Move => value,
            Convert::Into => syntax::method_call(value, "into", Vec::new()),
            Convert::Collect => syntax::method_call(iter(value), "collect", Vec::new()),
            Convert::CollectInto => {
                let mapped = syntax::method_call(iter(value), "map", vec![syntax::expr_path("Into::into")]);
                syntax::method_call(mapped, "collect", Vec::new())
            }
        }
    }
}

/// The type a constructor or setter takes for a field, and how it becomes the value: a string
/// as anything `Into<String>`, a list as any iterator (of `Into<String>` for strings), so
/// `countries(["US"])` reads as it would by hand.
pub(super) fn arg_type(api: &Ctx, f: &Field) -> (Type, Convert) {
    match &f.ty {
        _ if f.boxed => (boxed(rust_type(api, &f.ty), f.boxed), Convert::Move),
        TypeRef::String => (syntax::impl_into(syntax::named("String")), Convert::Into),
        TypeRef::Vec(item) if **item == TypeRef::String => {
            (syntax::impl_into_iter(syntax::impl_into(syntax::named("String"))), Convert::CollectInto)
        }
        TypeRef::Vec(item) => (syntax::impl_into_iter(rust_type(api, item)), Convert::Collect),
        _ => (rust_type(api, &f.ty), Convert::Move),
    }
}
