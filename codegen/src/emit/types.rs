//! A type's items: its definition (struct, string enum or union), the constructor and setters
//! of a struct users send, and its `Deserialize` as an invocation of the runtime's macros.

use super::requests::{new_fn, setter};
use super::{Ctx, boxed, field_type, ident, rust_type};
use crate::docs::written;
use crate::ir::{Field, Shape, TypeDef, TypeKind, TypeRef, UnionDecode, UnionVariant};
use crate::syntax;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Attribute;

pub(super) fn serde_derives(ty: &TypeDef) -> TokenStream {
    if ty.usage.received {
        quote! { ::serde::Serialize, ::serde::Deserialize }
    } else {
        quote! { ::serde::Serialize }
    }
}

/// `Deserialize` for a struct, as an invocation of the runtime's `deserialize_object!` (in
/// `runtime/src/impls.rs`): one visitor over the object's keys, rather than serde's derive
/// (why: ARCHITECTURE.md, Speed).
///
/// ```text
/// crate::deserialize_object! {
///     Event,
///     required {
///         created,
///         type_ = "type",
///     },
///     optional {
///         account,
///     },
///     unknown extra except {
///         "object",
///     },
/// }
/// ```
pub(super) fn struct_deserialize(ty: &TypeDef, fields: &[&Field], cfg: &[Attribute]) -> syn::Item {
    let mut tokens = object_fields(ty, fields);
    if let Some(extra) = &ty.unknown_fields {
        // the constant (`object`) is written by the type's tag, not kept twice
        let extra = ident(extra);
        let constants: Vec<&str> = ty.constants().into_iter().map(|(wire, _)| wire).collect();
        tokens.extend(quote! { , unknown #extra });
        if !constants.is_empty() {
            tokens.extend(quote! { except { #(#constants),* } });
        }
    }
    syntax::macro_item(cfg.to_vec(), "crate::deserialize_object", tokens)
}

/// `ObjectKeys` for a stand-in, the same as its real type's `deserialize_object!` writes, so a
/// union tells its alternatives apart alike with the feature on or off.
pub(super) fn object_keys(ty: &TypeDef, cfg: &[Attribute]) -> syn::Item {
    syntax::macro_item(cfg.to_vec(), "crate::object_keys", object_fields(ty, &ty.struct_fields()))
}

/// `Name, required { .. }, optional { .. }`: each field by its name, with `= "wire"` only where
/// the wire name differs (the runtime's `wire!` derives the rest).
pub(super) fn object_fields(ty: &TypeDef, fields: &[&Field]) -> TokenStream {
    let name = ident(&ty.name);
    let entry = |f: &&&Field| {
        let field = ident(&f.name);
        if f.name == f.wire {
            quote! { #field }
        } else {
            let wire = &f.wire;
            quote! { #field = #wire }
        }
    };
    let (required, optional): (Vec<&&Field>, Vec<&&Field>) = fields.iter().partition(|f| f.required);
    let (required, optional) = (required.iter().map(entry), optional.iter().map(entry));
    quote! { #name, required { #(#required),* }, optional { #(#optional),* } }
}

/// `Deserialize` for a received union, as an invocation of the runtime's `deserialize_union!`:
/// by the tag when it has one, else by the shape `unions.rs` decided for each alternative.
pub(super) fn union_deserialize(
    api: &Ctx,
    ty: &TypeDef,
    variants: &[UnionVariant],
    decode: &UnionDecode,
    cfg: &[Attribute],
) -> syn::Item {
    let name = ident(&ty.name);
    let unknown = ident(&decode.unknown);
    let tokens = match &decode.tag {
        Some(field) => {
            let arms = variants.iter().flat_map(|v| {
                let variant = ident(&v.name);
                v.selected_by.iter().map(move |value| quote! { #value => #variant })
            });
            quote! { #name, unknown: #unknown, tag #field { #(#arms),* } }
        }
        None => {
            let arms = variants.iter().map(|v| {
                let variant = ident(&v.name);
                // the runtime's `UnionShape` has the IR's variant names
                let shape = format_ident!("{}", format!("{:?}", v.shape));
                let constants = match (&v.ty, v.shape) {
                    (TypeRef::Named(id), Shape::Struct) => api.types[id.0].constants(),
                    _ => Vec::new(),
                };
                if constants.is_empty() {
                    quote! { #variant = #shape }
                } else {
                    let (fields, values): (Vec<&str>, Vec<&str>) = constants.into_iter().unzip();
                    quote! { #variant = #shape { #(#fields = #values),* } }
                }
            });
            quote! { #name, unknown: #unknown, shapes { #(#arms),* } }
        }
    };
    syntax::macro_item(cfg.to_vec(), "crate::deserialize_union", tokens)
}

/// A type's items: its definition and, as it needs them, a constructor and setters (a type
/// users build), its `Deserialize` (a type Stripe sends) and `Identified` (an object a list
/// pages through). A struct:
///
/// ```text
/// /// The spec's description.
/// #[derive(Clone, Debug, PartialEq, ::serde::Serialize)]
/// #[serde(tag = "object", rename = "financial_connections.account_owner")]
/// #[non_exhaustive]
/// pub struct AccountOwner {
///     pub id: String,
///     #[serde(skip_serializing_if = "Option::is_none")]
///     pub email: Option<String>,
///     #[serde(flatten)]
///     pub extra: ::std::collections::BTreeMap<String, ::serde_json::Value>,
/// }
/// ```
///
/// A string enum, its impls by the runtime's `string_enum!`:
///
/// ```text
/// #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
/// #[non_exhaustive]
/// pub enum Permission {
///     /// `balances`
///     Balances,
///     /// A value this version of the crate does not know; kept as sent.
///     Unknown(String),
/// }
///
/// crate::string_enum! { received Permission, unknown: Unknown, values { Balances = "balances" } }
/// ```
///
/// A union: an enum of its alternatives (tagged, or untagged when they write their own tag),
/// its `Deserialize` by [`union_deserialize`].
pub(super) fn type_def(api: &Ctx, ty: &TypeDef, cfg: &[Attribute], listed_by: Option<&str>, out: &mut Vec<syn::Item>) {
    let mut attrs = api.doc_attrs(ty.doc.as_deref());
    attrs.extend(cfg.iter().cloned());
    match &ty.kind {
        TypeKind::Struct { .. } => {
            let fields = ty.struct_fields();
            let all_optional = fields.iter().all(|f| !f.required);
            let default = all_optional.then(|| quote! { Default, });
            attrs.push(syntax::attr("derive", quote! { Clone, Debug, #default PartialEq, ::serde::Serialize }));
            if let Some((field, value)) = ty.written_tag() {
                attrs.push(syntax::attr("serde", quote! { tag = #field, rename = #value }));
            }
            let field_items = fields.iter().map(|f| {
                let mut fattrs = api.doc_attrs(f.doc.as_deref());
                if f.name != f.wire {
                    let wire = &f.wire;
                    fattrs.push(syntax::attr("serde", quote! { rename = #wire }));
                }
                if !f.required {
                    fattrs.push(syntax::attr("serde", quote! { skip_serializing_if = "Option::is_none" }));
                }
                syntax::field(fattrs, &f.name, field_type(api, f))
            });
            let mut field_items: Vec<syn::Field> = field_items.collect();
            if let Some(extra) = &ty.unknown_fields {
                let doc = written::UNKNOWN_FIELDS;
                field_items.push(syntax::field(
                    vec![api.doc_line(doc), syntax::attr("serde", quote! { flatten })],
                    extra,
                    syntax::generic(
                        "::std::collections::BTreeMap",
                        [syntax::named("String"), syntax::named("::serde_json::Value")],
                    ),
                ));
            }
            attrs.push(syntax::word_attr("non_exhaustive"));
            out.push(syntax::struct_item(attrs, &ty.name, field_items));
            if ty.usage.sent {
                // non-exhaustive: built by `new` (or `default`) and setters, never a literal
                // every struct users build has `new`, as they expect (`default()` too when all is optional)
                let doc = if all_optional { written::NEW_ALL_OPTIONAL } else { written::NEW_WITH_REQUIRED };
                let mut methods = vec![new_fn(api, &fields, doc)];
                methods.extend(
                    fields
                        .iter()
                        .filter(|f| !f.required)
                        .map(|f| setter(api, f, &crate::naming::struct_setter(&f.name))),
                );
                out.push(syntax::impl_item(cfg.to_vec(), None, &ty.name, methods));
            }
            if ty.usage.received {
                out.push(struct_deserialize(ty, &fields, cfg));
            }
            if let Some(id) = listed_by {
                out.push(identified_impl(ty, id, cfg));
            }
        }
        TypeKind::Enum { variants, unknown } => {
            attrs.push(syntax::attr("derive", quote! { Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord }));
            let mut items: Vec<syn::Variant> = variants
                .iter()
                .map(|v| syntax::variant(vec![api.doc_line(&written::enum_value(&v.wire))], &v.name, None))
                .collect();
            items.push(syntax::variant(
                vec![api.doc_line(written::UNKNOWN_ENUM_VALUE)],
                unknown,
                Some(syntax::named("String")),
            ));
            attrs.push(syntax::word_attr("non_exhaustive"));
            out.push(syntax::enum_item(attrs, &ty.name, items));
            let name = ident(&ty.name);
            let unknown = ident(unknown);
            let names = variants.iter().map(|v| ident(&v.name));
            let wires = variants.iter().map(|v| v.wire.as_str());
            let direction = if ty.usage.received { format_ident!("received") } else { format_ident!("sent") };
            let tokens = quote! { #direction #name, unknown: #unknown, values { #(#names = #wires),* } };
            out.push(syntax::macro_item(cfg.to_vec(), "crate::string_enum", tokens));
        }
        TypeKind::Union { variants, tag, decode } => {
            // `Deserialize` is `deserialize_union!`'s, which never tries alternatives in order
            attrs.push(syntax::attr("derive", quote! { Clone, Debug, PartialEq, ::serde::Serialize }));
            // alternatives that write their own tag make the union's encoding untagged
            let tag = tag.as_deref().filter(|field| {
                !variants.iter().all(|v| match v.ty {
                    TypeRef::Named(id) => api.types[id.0].written_tag().is_some_and(|(f, _)| f == *field),
                    _ => false,
                })
            });
            attrs.push(match tag {
                Some(field) => syntax::attr("serde", quote! { tag = #field }),
                None => syntax::attr("serde", quote! { untagged }),
            });
            let mut items: Vec<syn::Variant> = variants
                .iter()
                .map(|v| {
                    // the alternative's type says what it is; its variant repeats that
                    let doc = match v.ty {
                        TypeRef::Named(id) => api.types[id.0].doc.as_deref(),
                        _ => None,
                    };
                    let mut vattrs = api.doc_attrs(doc.map(crate::docs::first_paragraph).as_deref());
                    if let (Some(t), Some(_)) = (&v.tag_value, tag) {
                        vattrs.push(syntax::attr("serde", quote! { rename = #t }));
                    }
                    syntax::variant(vattrs, &v.name, Some(boxed(rust_type(api, &v.ty), v.boxed)))
                })
                .collect();
            if let Some(decode) = decode {
                let mut vattrs = vec![api.doc_line(written::UNKNOWN_UNION_VALUE)];
                if tag.is_some() {
                    vattrs.push(syntax::attr("serde", quote! { untagged }));
                }
                items.push(syntax::variant(vattrs, &decode.unknown, Some(syntax::named("::serde_json::Value"))));
            }
            attrs.push(syntax::word_attr("non_exhaustive"));
            out.push(syntax::enum_item(attrs, &ty.name, items));
            if let Some(decode) = decode {
                out.push(union_deserialize(api, ty, variants, decode, cfg));
            }
        }
    }
}

/// `impl crate::Identified for Name`: the `id` a paginated list continues from.
///
/// ```text
/// impl crate::Identified for Account {
///     fn id(&self) -> &str {
///         &self.id
///     }
/// }
/// ```
fn identified_impl(ty: &TypeDef, id: &str, cfg: &[Attribute]) -> syn::Item {
    let method = syntax::Method {
        attrs: Vec::new(),
        public: false,
        is_async: false,
        name: "id".to_owned(),
        receiver: Some(syntax::Receiver::Ref),
        args: Vec::new(),
        output: Some(syntax::ref_type(syntax::named("str"), false)),
        body: vec![syntax::tail(syntax::reference(syntax::self_field(&ident(id))))],
    }
    .build();
    syntax::impl_item(cfg.to_vec(), Some("crate::Identified"), &ty.name, vec![method])
}
