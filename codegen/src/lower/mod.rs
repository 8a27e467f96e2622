//! The OpenAPI document into drafts: which schema becomes which kind of type, and the facts
//! names are made from (an inline type's owner and suffix). Names and modules are `naming`'s;
//! usage and boxing `finish`'s. Here: components and `$ref`s, and `Lowerer::schema`, the one
//! entry point for a schema; `schema` lowers inline schemas, `operations` the requests, and
//! `shapes` holds the recognisers of Stripe's shapes.
//!
//! Every component schema and every inline object or enum becomes a draft type. Stripe's
//! conventions are recognised by shape, never by name: the list envelope (`object: list`,
//! `data`, `has_more`, `url`), expandable fields (`anyOf [string, $ref]` with
//! `x-expansionResources`), the empty-string branch a caller sends to clear a field, and
//! constant `object` fields.

use crate::draft::{Draft, DraftField, DraftKind, DraftOperation, DraftParam, Drafts, NameSpec, Owner};
use crate::error::{Error, Pointer};
use crate::ir::{BodyEncoding, Method, ParamLocation, PathSegment, TypeId, TypeRef, Warning};
use crate::naming::{camel_ident, singular, suffix};
use openapiv3::{
    AdditionalProperties, AnySchema, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
mod operations;
mod schema;
mod shapes;

use shapes::*;
use std::borrow::Borrow;
use std::collections::BTreeMap;

/// An object schema's `properties`.
type Properties = indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>;

/// Where an inline type found at the current place would get its name from.
#[derive(Debug, Clone)]
struct NameCtx {
    owner: Owner,
    suffix: String,
    items: bool,
}

struct Lowerer<'a> {
    doc: &'a OpenAPI,
    out: Drafts,
    /// Lowered components: their type, or an error already reported.
    components: BTreeMap<String, TypeRef>,
    /// Components being lowered, to tell recursion (fine for named types) from `$ref` cycles.
    in_progress: Vec<String>,
    /// Enums already made, by their sorted values, so identical enums are one type.
    enums: BTreeMap<Vec<String>, TypeId>,
    /// Descriptions made docs, each distinct one once.
    docs: crate::docs::Sanitized,
}

/// Lowers a whole document.
pub(crate) fn lower(doc: &OpenAPI) -> Result<Drafts, Error> {
    let mut l = Lowerer {
        doc,
        out: Drafts { api_version: doc.info.version.clone(), title: doc.info.title.clone(), ..Drafts::default() },
        components: BTreeMap::new(),
        in_progress: Vec::new(),
        enums: BTreeMap::new(),
        docs: Default::default(),
    };
    if let Some(components) = &doc.components {
        let mut names: Vec<&String> = components.schemas.keys().collect();
        names.sort();
        for name in names {
            l.component(name)?;
        }
    }
    let mut paths: Vec<(&String, &ReferenceOr<openapiv3::PathItem>)> = doc.paths.paths.iter().collect();
    paths.sort_by(|a, b| a.0.cmp(b.0));
    for (path, item) in paths {
        let ptr = Pointer::root().push("paths").push(path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                return Err(Error::at(&ptr, "a `$ref` path item is not supported").hint("write the path item inline"));
            }
        };
        for (method_text, op) in item.iter() {
            let op_ptr = ptr.push(method_text);
            let Some(method) = Method::from_key(method_text) else {
                return Err(Error::at(
                    &op_ptr,
                    format!("HTTP method `{}` is not supported", method_text.to_uppercase()),
                )
                .hint("operations use GET, POST, PUT, PATCH or DELETE; leave this one out of the spec"));
            };
            let operation_id = op.operation_id.clone().ok_or_else(|| {
                Error::at(&op_ptr, "the operation has no operationId")
                    .hint("every operation needs an operationId; it names the request in logs")
            })?;
            l.operation(path, method, &operation_id, (&item.parameters, &ptr), op, &op_ptr)?;
        }
    }
    Ok(l.out)
}

impl Lowerer<'_> {
    fn new_type(&mut self, draft: Draft) -> TypeId {
        self.out.types.push(draft);
        TypeId(self.out.types.len() - 1)
    }

    /// The type of a component schema, lowering it on first use.
    fn component(&mut self, name: &str) -> Result<TypeRef, Error> {
        if let Some(ty) = self.components.get(name) {
            return Ok(ty.clone());
        }
        let ptr = Pointer::root().push("components").push("schemas").push(name);
        if self.in_progress.iter().any(|n| n == name) {
            let chain = self.in_progress.join(" → ");
            return Err(Error::at(&ptr, format!("`$ref`s form a cycle that never reaches a schema: {chain} → {name}"))
                .hint("one schema in the cycle must define an object, not only refer to another"));
        }
        let schema = self
            .doc
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(name))
            .ok_or_else(|| Error::at(&ptr, format!("`$ref` to `{name}`, which is not in #/components/schemas")))?;
        let schema = match schema {
            ReferenceOr::Reference { reference } => {
                self.in_progress.push(name.to_owned());
                let ty = self.reference(reference, &ptr);
                self.in_progress.pop();
                let ty = ty?;
                self.components.insert(name.to_owned(), ty.clone());
                return Ok(ty);
            }
            ReferenceOr::Item(schema) => schema,
        };
        let ctx = NameCtx { owner: Owner::Root, suffix: camel_ident(name), items: false };
        if becomes_named_type(schema) {
            // allocate first, so recursive references find the id
            let resource =
                schema.schema_data.extensions.get("x-resourceId").and_then(|v| v.as_str()).map(str::to_owned);
            let doc = self.docs.of(schema.schema_data.description.as_deref());
            let id = self.new_type(Draft {
                name: NameSpec::Component { key: name.to_owned(), resource: resource.clone() },
                doc,
                origin: ptr.to_string(),
                also: Vec::new(),
                kind: DraftKind::Pending,
                resource,
            });
            self.components.insert(name.to_owned(), TypeRef::Named(id));
            self.in_progress.push(name.to_owned());
            let kind = self.named_kind(schema, &ptr, Owner::Type(id));
            self.in_progress.pop();
            self.out.types[id.0].kind = kind?;
            Ok(TypeRef::Named(id))
        } else {
            self.in_progress.push(name.to_owned());
            let ty = self.schema(&ReferenceOr::Item(schema), &ptr, &ctx).map(|(ty, _)| ty);
            self.in_progress.pop();
            let ty = ty?;
            self.components.insert(name.to_owned(), ty.clone());
            Ok(ty)
        }
    }

    /// The type a `$ref` at `ptr` names. The place is one where the component stands, so the
    /// lock knows the component by it too: a component Stripe renames, with the same shape in
    /// the same places, keeps its published name.
    fn reference(&mut self, reference: &str, ptr: &Pointer) -> Result<TypeRef, Error> {
        let name = self.component_name(reference, ptr)?;
        let ty = self.component(&name)?;
        if let TypeRef::Named(id) = ty {
            let draft = &mut self.out.types[id.0];
            if matches!(draft.name, NameSpec::Component { .. }) && draft.origin != ptr.as_str() {
                draft.also.push(ptr.to_string());
            }
        }
        Ok(ty)
    }

    /// The component a `$ref` points to, by name; an error for one outside
    /// `#/components/schemas` or to nothing.
    fn component_name(&self, reference: &str, ptr: &Pointer) -> Result<String, Error> {
        let Some(target) = Pointer::from_ref(reference) else {
            return Err(Error::at(
                ptr,
                format!("`$ref: {reference}` points outside this document, which is not supported"),
            )
            .hint("bundle external schemas into #/components/schemas"));
        };
        match target.as_str().strip_prefix("#/components/schemas/") {
            Some(name) if !name.contains('/') => {
                let name = name.replace("~1", "/").replace("~0", "~");
                let exists = self.doc.components.as_ref().is_some_and(|c| c.schemas.contains_key(&name));
                if !exists {
                    return Err(Error::at(
                        ptr,
                        format!("`$ref: {reference}` points to nothing: there is no schema `{name}`"),
                    )
                    .hint("check the spelling, or add the schema under #/components/schemas"));
                }
                Ok(name)
            }
            _ => Err(Error::at(ptr, format!("`$ref: {reference}` must point to a schema in #/components/schemas"))),
        }
    }

    /// The kind of a schema that `becomes_named_type`.
    fn named_kind(&mut self, schema: &Schema, ptr: &Pointer, owner: Owner) -> Result<DraftKind, Error> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                self.struct_kind(&object.properties, &object.required, ptr, owner)
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                self.struct_kind(&any.properties, &any.required, ptr, owner)
            }
            SchemaKind::Type(Type::String(s)) => Ok(DraftKind::Enum(enum_values(&s.enumeration))),
            SchemaKind::AnyOf { any_of: members } | SchemaKind::OneOf { one_of: members } => {
                let key = if matches!(schema.schema_kind, SchemaKind::AnyOf { .. }) { "anyOf" } else { "oneOf" };
                let mut tys = Vec::new();
                for (i, m) in members.iter().enumerate() {
                    let mptr = ptr.push(key).push(&i.to_string());
                    let ctx = NameCtx { owner, suffix: member_suffix(m, i), items: false };
                    tys.push(self.schema(m, &mptr, &ctx)?.0);
                }
                let tag = self.union_tag(&tys);
                let discriminator = discriminator(schema, members.iter());
                Ok(DraftKind::Union { members: tys, tag, discriminator })
            }
            _ => Err(Error::at(ptr, "internal: schema classified as a named type has no named shape")),
        }
    }

    /// The one entry point for a schema at a place, a `$ref` or inline: its type, and whether
    /// it is nullable. Named shapes found inline become drafts named after `ctx`.
    fn schema<S: Borrow<Schema>>(
        &mut self,
        s: &ReferenceOr<S>,
        ptr: &Pointer,
        ctx: &NameCtx,
    ) -> Result<(TypeRef, bool), Error> {
        match s {
            ReferenceOr::Reference { reference } => Ok((self.reference(reference, ptr)?, false)),
            ReferenceOr::Item(schema) => {
                let schema = schema.borrow();
                let (ty, member_nullable) = self.inline_kind(schema, ptr, ctx)?;
                Ok((ty, schema.schema_data.nullable || member_nullable))
            }
        }
    }
}
