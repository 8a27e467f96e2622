//! The OpenAPI document into drafts: which schema becomes which kind of type, and where names
//! come from. Names, modules, usage and boxing are settled afterwards by `finish`.
//!
//! Every component schema and every inline object or enum becomes a draft type. Stripe's
//! conventions are recognised by shape, never by name: the list envelope (`object: list`,
//! `data`, `has_more`, `url`), expandable fields (`anyOf [string, $ref]` with
//! `x-expansionResources`), the empty-string branch a caller sends to clear a field, and
//! constant `object` fields.

use crate::draft::{Draft, DraftField, DraftKind, DraftOperation, DraftParam, Drafts, NameSpec, Owner};
use crate::error::{Error, Pointer};
use crate::ir::{BodyEncoding, Method, ParamLocation, PathSegment, TypeId, TypeRef, Warning};
use crate::naming::{camel_ident, singular};
use openapiv3::{
    AdditionalProperties, AnySchema, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
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
}

/// Lowers a whole document.
pub(crate) fn lower(doc: &OpenAPI) -> Result<Drafts, Error> {
    let mut l = Lowerer {
        doc,
        out: Drafts { api_version: doc.info.version.clone(), title: doc.info.title.clone(), ..Drafts::default() },
        components: BTreeMap::new(),
        in_progress: Vec::new(),
        enums: BTreeMap::new(),
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
            let id = self.new_type(Draft {
                name: NameSpec::Component { key: name.to_owned(), resource: resource.clone() },
                doc: schema.schema_data.description.as_deref().and_then(crate::docs::sanitize),
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
            let ty = self.schema_kind(schema, &ptr, &ctx);
            self.in_progress.pop();
            let ty = ty?;
            self.components.insert(name.to_owned(), ty.clone());
            Ok(ty)
        }
    }

    fn reference(&mut self, reference: &str, ptr: &Pointer) -> Result<TypeRef, Error> {
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
                self.component(&name)
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

    fn struct_kind(
        &mut self,
        properties: &Properties,
        required: &[String],
        ptr: &Pointer,
        owner: Owner,
    ) -> Result<DraftKind, Error> {
        let mut fields = Vec::with_capacity(properties.len());
        for (wire, prop) in properties {
            let pptr = ptr.push("properties").push(wire);
            let ctx = NameCtx { owner, suffix: camel_ident(wire), items: false };
            fields.push(self.field(wire, prop, required.contains(wire), &pptr, &ctx)?);
        }
        // required fields first (stable): the order a caller supplies them and the wire order
        fields.sort_by_key(|f| !f.required);
        Ok(DraftKind::Struct(fields))
    }

    fn field(
        &mut self,
        wire: &str,
        prop: &ReferenceOr<Box<Schema>>,
        required: bool,
        ptr: &Pointer,
        ctx: &NameCtx,
    ) -> Result<DraftField, Error> {
        let (doc, constant) = match prop {
            ReferenceOr::Item(s) => {
                (s.schema_data.description.as_deref().and_then(crate::docs::sanitize), constant_of(s))
            }
            ReferenceOr::Reference { .. } => (None, None),
        };
        if let (Some(value), true) = (&constant, required) {
            return Ok(DraftField {
                wire: wire.to_owned(),
                doc,
                ty: TypeRef::String,
                required: true,
                constant: Some(value.clone()),
            });
        }
        let (ty, nullable) = self.boxed_schema(prop, ptr, ctx)?;
        Ok(DraftField { wire: wire.to_owned(), doc, ty, required: required && !nullable, constant: None })
    }

    fn boxed_schema(
        &mut self,
        s: &ReferenceOr<Box<Schema>>,
        ptr: &Pointer,
        ctx: &NameCtx,
    ) -> Result<(TypeRef, bool), Error> {
        match s {
            ReferenceOr::Reference { reference } => Ok((self.reference(reference, ptr)?, false)),
            ReferenceOr::Item(schema) => self.inline(schema, ptr, ctx),
        }
    }

    /// A schema at a place: its type and whether it is nullable.
    fn schema(&mut self, s: &ReferenceOr<Schema>, ptr: &Pointer, ctx: &NameCtx) -> Result<(TypeRef, bool), Error> {
        match s {
            ReferenceOr::Reference { reference } => Ok((self.reference(reference, ptr)?, false)),
            ReferenceOr::Item(schema) => self.inline(schema, ptr, ctx),
        }
    }

    fn inline(&mut self, schema: &Schema, ptr: &Pointer, ctx: &NameCtx) -> Result<(TypeRef, bool), Error> {
        let nullable = schema.schema_data.nullable;
        let (ty, member_nullable) = self.schema_kind_nullable(schema, ptr, ctx)?;
        Ok((ty, nullable || member_nullable))
    }

    fn schema_kind(&mut self, schema: &Schema, ptr: &Pointer, ctx: &NameCtx) -> Result<TypeRef, Error> {
        Ok(self.schema_kind_nullable(schema, ptr, ctx)?.0)
    }

    /// Lowers an inline schema; named shapes become nested drafts named after `ctx`.
    fn schema_kind_nullable(
        &mut self,
        schema: &Schema,
        ptr: &Pointer,
        ctx: &NameCtx,
    ) -> Result<(TypeRef, bool), Error> {
        let doc = schema.schema_data.description.as_deref().and_then(crate::docs::sanitize);
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s))
                if matches!(s.format, VariantOrUnknownOrEmpty::Item(StringFormat::Binary)) =>
            {
                Ok((TypeRef::Binary, false))
            }
            SchemaKind::Type(Type::String(s)) => {
                let values = enum_values(&s.enumeration);
                if values.is_empty() || values == [""] {
                    return Ok((TypeRef::String, s.enumeration.contains(&None)));
                }
                Ok((TypeRef::Named(self.enum_type(values, doc, ptr, ctx)), s.enumeration.contains(&None)))
            }
            SchemaKind::Type(Type::Integer(i)) => Ok((integer_type(&i.format), false)),
            SchemaKind::Type(Type::Number(_)) => Ok((TypeRef::Number, false)),
            SchemaKind::Type(Type::Boolean(_)) => Ok((TypeRef::Bool, false)),
            SchemaKind::Type(Type::Array(a)) => {
                let items_ctx = NameCtx {
                    owner: ctx.owner,
                    suffix: camel_ident(&singular(&heck::ToSnakeCase::to_snake_case(ctx.suffix.as_str()))),
                    items: true,
                };
                let item = match &a.items {
                    Some(items) => self.boxed_schema(items, &ptr.push("items"), &items_ctx)?.0,
                    None => TypeRef::Json,
                };
                Ok((TypeRef::Vec(Box::new(item)), false))
            }
            SchemaKind::Type(Type::Object(o)) => {
                self.object(&o.properties, &o.required, &o.additional_properties, doc, ptr, ctx)
            }
            SchemaKind::AnyOf { any_of: members } => self.union(members, "anyOf", schema, doc, ptr, ctx),
            SchemaKind::OneOf { one_of: members } => self.union(members, "oneOf", schema, doc, ptr, ctx),
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                let (ty, n) = self.schema(&all_of[0], &ptr.push("allOf").push("0"), ctx)?;
                Ok((ty, n))
            }
            SchemaKind::AllOf { .. } => {
                Err(Error::at(&ptr.push("allOf"), "`allOf` with more than one schema is not supported")
                    .hint("merge the schemas into one object"))
            }
            SchemaKind::Not { .. } => Err(Error::at(&ptr.push("not"), "`not` schemas are not supported")),
            SchemaKind::Any(any) => self.any(any, doc, ptr, ctx),
        }
    }

    /// A schema without a recognised `type`: `{}` is any JSON; otherwise infer from what it has.
    fn any(
        &mut self,
        any: &AnySchema,
        doc: Option<String>,
        ptr: &Pointer,
        ctx: &NameCtx,
    ) -> Result<(TypeRef, bool), Error> {
        if !any.enumeration.is_empty() {
            if let Some(bad) = any.enumeration.iter().find(|v| !v.is_string() && !v.is_null()) {
                return Err(Error::at(
                    &ptr.push("enum"),
                    format!("enum value {bad} is not a string; only string enums are supported"),
                )
                .hint("use `type: string` with string values, or drop the `enum` and use `type: integer`/`boolean`"));
            }
        }
        if !any.one_of.is_empty() || !any.any_of.is_empty() || !any.all_of.is_empty() {
            return Err(Error::at(
                ptr,
                "a schema that mixes `type`/`properties` with `anyOf`/`oneOf`/`allOf` is not supported",
            )
            .hint("move the shared properties into each alternative"));
        }
        match any.typ.as_deref() {
            None if any.properties.is_empty() && any.items.is_none() => Ok((TypeRef::Json, false)),
            Some("object") | None if any.items.is_none() => {
                self.object(&any.properties, &any.required, &any.additional_properties, doc, ptr, ctx)
            }
            Some("array") | None => {
                let item = match &any.items {
                    Some(items) => self.boxed_schema(items, &ptr.push("items"), ctx)?.0,
                    None => TypeRef::Json,
                };
                Ok((TypeRef::Vec(Box::new(item)), false))
            }
            Some("string") => Ok((TypeRef::String, false)),
            Some("integer") => Ok((TypeRef::Integer, false)),
            Some("number") => Ok((TypeRef::Number, false)),
            Some("boolean") => Ok((TypeRef::Bool, false)),
            Some(other) => Err(Error::at(&ptr.push("type"), format!("unknown schema type `{other}`"))
                .hint("OpenAPI 3.0 types are string, integer, number, boolean, array and object")),
        }
    }

    fn object(
        &mut self,
        properties: &Properties,
        required: &[String],
        additional: &Option<AdditionalProperties>,
        doc: Option<String>,
        ptr: &Pointer,
        ctx: &NameCtx,
    ) -> Result<(TypeRef, bool), Error> {
        if properties.is_empty() {
            let value = match additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let value_ctx = NameCtx { owner: ctx.owner, suffix: format!("{}Value", ctx.suffix), items: false };
                    self.schema(s, &ptr.push("additionalProperties"), &value_ctx)?.0
                }
                _ => TypeRef::Json,
            };
            return Ok((TypeRef::Map(Box::new(value)), false));
        }
        if let Some(list) = self.list_envelope(properties, ptr, ctx)? {
            return Ok((list, false));
        }
        let id = self.new_type(Draft {
            name: NameSpec::Nested { sites: vec![(ctx.owner, ctx.suffix.clone())], items: ctx.items },
            doc,
            origin: ptr.to_string(),
            also: Vec::new(),
            kind: DraftKind::Pending,
            resource: None,
        });
        let kind = self.struct_kind(properties, required, ptr, Owner::Type(id))?;
        self.out.types[id.0].kind = kind;
        Ok((TypeRef::Named(id), false))
    }

    /// Stripe's list envelope, recognised by shape: `object` is the constant `list`, `data` is an
    /// array, `has_more` a boolean, and nothing else but `url` and `total_count`.
    fn list_envelope(
        &mut self,
        properties: &Properties,
        ptr: &Pointer,
        ctx: &NameCtx,
    ) -> Result<Option<TypeRef>, Error> {
        // `object: list` pages with `url`; `object: search_result` pages also carry `next_page`
        let kind = properties.get("object").and_then(|o| match o {
            ReferenceOr::Item(s) => constant_of(s),
            ReferenceOr::Reference { .. } => None,
        });
        let search = kind.as_deref() == Some("search_result");
        let is_list = (kind.as_deref() == Some("list") || search)
            && properties.contains_key("has_more")
            && properties.keys().all(|k| {
                matches!(k.as_str(), "object" | "data" | "has_more" | "url" | "total_count")
                    || (search && k == "next_page")
            });
        let Some(ReferenceOr::Item(data)) = properties.get("data").filter(|_| is_list) else {
            return Ok(None);
        };
        let SchemaKind::Type(Type::Array(array)) = &data.schema_kind else {
            return Ok(None);
        };
        let item_ctx = NameCtx { owner: ctx.owner, suffix: format!("{}Item", ctx.suffix), items: true };
        let item = match &array.items {
            Some(items) => self.boxed_schema(items, &ptr.push("properties").push("data").push("items"), &item_ctx)?.0,
            None => TypeRef::Json,
        };
        Ok(Some(if search { TypeRef::SearchList(Box::new(item)) } else { TypeRef::List(Box::new(item)) }))
    }

    fn union(
        &mut self,
        members: &[ReferenceOr<Schema>],
        key: &str,
        schema: &Schema,
        doc: Option<String>,
        ptr: &Pointer,
        ctx: &NameCtx,
    ) -> Result<(TypeRef, bool), Error> {
        let mut emptyable = false;
        let mut nullable = false;
        let mut kept: Vec<(usize, &ReferenceOr<Schema>)> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            match m {
                ReferenceOr::Item(s) if is_empty_string_enum(s) => emptyable = true,
                ReferenceOr::Item(s) if s.schema_data.nullable && is_empty_object(s) => nullable = true,
                _ => kept.push((i, m)),
            }
        }
        let expandable = schema.schema_data.extensions.contains_key("x-expansionResources");
        let mut tys = Vec::with_capacity(kept.len());
        let single = kept.len() == 1 || (expandable && kept.len() == 2);
        for (i, m) in &kept {
            // a member is named apart only when it has siblings it must be told from
            let suffix = if single { ctx.suffix.clone() } else { format!("{}{}", ctx.suffix, member_suffix(m, *i)) };
            let mctx = NameCtx { owner: ctx.owner, suffix, items: ctx.items };
            let (ty, n) = self.schema(m, &ptr.push(key).push(&i.to_string()), &mctx)?;
            nullable |= n;
            tys.push(ty);
        }
        let ty = if expandable && tys.len() >= 2 && tys[0] == TypeRef::String {
            let objects: Vec<TypeRef> = tys[1..].to_vec();
            let inner = if objects.len() == 1 {
                objects[0].clone()
            } else {
                let discriminator = discriminator(schema, kept[1..].iter().map(|(_, m)| *m));
                self.union_type(objects, discriminator, doc.clone(), ptr, ctx)
            };
            TypeRef::Expandable(Box::new(inner))
        } else if tys.is_empty() {
            TypeRef::String
        } else if tys.len() == 1 {
            tys.remove(0)
        } else {
            let discriminator = discriminator(schema, kept.iter().map(|(_, m)| *m));
            self.union_type(tys, discriminator, doc, ptr, ctx)
        };
        Ok((if emptyable { TypeRef::Emptyable(Box::new(ty)) } else { ty }, nullable))
    }

    fn union_type(
        &mut self,
        members: Vec<TypeRef>,
        discriminator: Option<(String, Vec<Vec<String>>)>,
        doc: Option<String>,
        ptr: &Pointer,
        ctx: &NameCtx,
    ) -> TypeRef {
        let tag = self.union_tag(&members);
        TypeRef::Named(self.new_type(Draft {
            name: NameSpec::Nested { sites: vec![(ctx.owner, ctx.suffix.clone())], items: ctx.items },
            doc,
            origin: ptr.to_string(),
            also: Vec::new(),
            kind: DraftKind::Union { members, tag, discriminator },
            resource: None,
        }))
    }

    /// The field that tells the members of a union apart, when every member is a struct with
    /// a distinct constant in the same required field.
    fn union_tag(&self, members: &[TypeRef]) -> Option<(String, Vec<String>)> {
        let mut field_name: Option<&str> = None;
        let mut values = Vec::new();
        for m in members {
            let TypeRef::Named(id) = m else { return None };
            let DraftKind::Struct(fields) = &self.out.types[id.0].kind else { return None };
            let (wire, value) =
                fields.iter().find_map(|f| f.constant.as_ref().map(|c| (f.wire.as_str(), c.clone())))?;
            if field_name.is_some_and(|n| n != wire) || values.contains(&value) {
                return None;
            }
            field_name = Some(wire);
            values.push(value);
        }
        field_name.map(|f| (f.to_owned(), values))
    }

    /// An enum type for these values; identical value sets share one type.
    fn enum_type(&mut self, values: Vec<String>, doc: Option<String>, ptr: &Pointer, ctx: &NameCtx) -> TypeId {
        let mut key = values.clone();
        key.sort();
        if let Some(&id) = self.enums.get(&key) {
            let draft = &mut self.out.types[id.0];
            if let NameSpec::Nested { sites, .. } = &mut draft.name {
                sites.push((ctx.owner, ctx.suffix.clone()));
            }
            draft.also.push(ptr.to_string());
            return id;
        }
        let id = self.new_type(Draft {
            name: NameSpec::Nested { sites: vec![(ctx.owner, ctx.suffix.clone())], items: ctx.items },
            doc,
            origin: ptr.to_string(),
            also: Vec::new(),
            kind: DraftKind::Enum(values),
            resource: None,
        });
        self.enums.insert(key, id);
        id
    }

    fn operation(
        &mut self,
        path: &str,
        method: Method,
        operation_id: &str,
        (shared_params, path_ptr): (&[ReferenceOr<Parameter>], &Pointer),
        op: &openapiv3::Operation,
        ptr: &Pointer,
    ) -> Result<(), Error> {
        let index = self.out.operations.len();
        let owner = Owner::Operation(index);
        let mut params: Vec<DraftParam> = Vec::new();
        let mut encoding = BodyEncoding::Form;
        let all: Vec<(Pointer, &ReferenceOr<Parameter>)> = shared_params
            .iter()
            .enumerate()
            .map(|(i, p)| (path_ptr.push("parameters").push(&i.to_string()), p))
            .chain(op.parameters.iter().enumerate().map(|(i, p)| (ptr.push("parameters").push(&i.to_string()), p)))
            .collect();
        for (pptr, p) in all {
            let ReferenceOr::Item(p) = p else {
                return Err(Error::at(&pptr, "`$ref` parameters are not supported").hint("write the parameter inline"));
            };
            let (data, location) = match p {
                Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
                Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path),
                Parameter::Header { parameter_data, .. } | Parameter::Cookie { parameter_data, .. } => {
                    let place = if matches!(p, Parameter::Header { .. }) { "header" } else { "cookie" };
                    return Err(Error::at(&pptr.push("in"), format!("parameter `{}` is in a {place}, which is not supported", parameter_data.name))
                        .hint("only path, query and form-body parameters are supported; the client sets Stripe's headers itself"));
                }
            };
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                return Err(Error::at(
                    &pptr.push("content"),
                    format!("parameter `{}` uses `content`, which is not supported; use `schema`", data.name),
                ));
            };
            let ctx = NameCtx { owner, suffix: camel_ident(&data.name), items: false };
            let (ty, nullable) = self.schema(schema, &pptr.push("schema"), &ctx)?;
            let doc = data.description.as_deref().and_then(crate::docs::sanitize);
            let required = data.required || location == ParamLocation::Path;
            params.push(DraftParam {
                field: DraftField { wire: data.name.clone(), doc, ty, required: required && !nullable, constant: None },
                location,
            });
        }
        if let Some(body) = &op.request_body {
            let bptr = ptr.push("requestBody");
            let ReferenceOr::Item(body) = body else {
                return Err(
                    Error::at(&bptr, "`$ref` request bodies are not supported").hint("write the request body inline")
                );
            };
            let supported = [
                ("application/x-www-form-urlencoded", BodyEncoding::Form),
                ("multipart/form-data", BodyEncoding::Multipart),
            ];
            let Some((media_type, media, chosen)) =
                supported.iter().find_map(|(t, e)| body.content.get(*t).map(|m| (*t, m, *e)))
            else {
                let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
                return Err(Error::at(
                    &bptr.push("content"),
                    format!("request body media type {} is not supported", types.join(", ")),
                )
                .hint("bodies must be application/x-www-form-urlencoded or multipart/form-data"));
            };
            encoding = chosen;
            let sptr = bptr.push("content").push(media_type).push("schema");
            if let Some(schema) = &media.schema {
                let (properties, required) = match schema {
                    ReferenceOr::Item(s) => object_parts(s),
                    ReferenceOr::Reference { reference } => {
                        let target = reference
                            .strip_prefix("#/components/schemas/")
                            .and_then(|n| self.doc.components.as_ref().and_then(|c| c.schemas.get(n)));
                        match target {
                            Some(ReferenceOr::Item(s)) => object_parts(s),
                            _ => None,
                        }
                    }
                }
                .ok_or_else(|| {
                    Error::at(&sptr, "a form body must be an object with properties")
                        .hint("describe the body as `type: object` with `properties`")
                })?;
                for (wire, prop) in properties {
                    let pptr = sptr.push("properties").push(wire);
                    if params.iter().any(|p| &p.field.wire == wire) {
                        return Err(Error::at(
                            &pptr,
                            format!("body parameter `{wire}` has the same name as a path or query parameter"),
                        ));
                    }
                    let ctx = NameCtx { owner, suffix: camel_ident(wire), items: false };
                    let field = self.field(wire, prop, required.contains(wire), &pptr, &ctx)?;
                    params.push(DraftParam { field, location: ParamLocation::Body });
                }
            }
        }
        // Stripe's spec of 2017 uses `{account}` in `POST /v1/accounts/{account}` without
        // declaring it: such a parameter is a required string, and the maintainer is told
        for name in path_template_names(path) {
            if !params.iter().any(|p| p.location == ParamLocation::Path && p.field.wire == name) {
                self.out.warnings.push(Warning {
                    pointer: ptr.to_string(),
                    message: format!(
                        "path `{path}` uses `{{{name}}}` but declares no path parameter `{name}`; it is taken as a required string"
                    ),
                });
                params.push(DraftParam {
                    field: DraftField {
                        wire: name.to_owned(),
                        doc: None,
                        ty: TypeRef::String,
                        required: true,
                        constant: None,
                    },
                    location: ParamLocation::Path,
                });
            }
        }
        // path, query, body; required before optional, otherwise in spec order
        params.sort_by_key(|p| (p.location, !p.field.required));
        let path_segments = parse_path(path, &params, ptr)?;
        let (response, error) = self.responses(op, ptr, owner)?;
        let doc = match (&op.summary, &op.description) {
            (Some(s), Some(d)) => crate::docs::sanitize(&format!("{s}\n\n{d}")),
            (Some(s), None) => crate::docs::sanitize(s),
            (None, Some(d)) => crate::docs::sanitize(d),
            (None, None) => None,
        };
        self.out.operations.push(DraftOperation {
            operation_id: operation_id.to_owned(),
            doc,
            origin: ptr.to_string(),
            method,
            path: path_segments,
            path_text: path.to_owned(),
            params,
            response,
            error,
            body: encoding,
            server: op.servers.first().map(|s| s.url.trim_end_matches('/').to_owned()),
        });
        Ok(())
    }

    fn responses(
        &mut self,
        op: &openapiv3::Operation,
        ptr: &Pointer,
        owner: Owner,
    ) -> Result<(TypeRef, Option<TypeRef>), Error> {
        let rptr = ptr.push("responses");
        let success = op.responses.responses.iter().find(|(code, _)| match code {
            openapiv3::StatusCode::Code(c) => (200..300).contains(c),
            openapiv3::StatusCode::Range(r) => *r == 2,
        });
        let Some((code, success)) = success else {
            return Err(Error::at(&rptr, "the operation has no 2xx response")
                .hint("declare the successful response's schema under `200`"));
        };
        let response = self.response_type(
            success,
            &rptr.push(&code.to_string()),
            NameCtx { owner, suffix: "Response".to_owned(), items: false },
        )?;
        let error = match &op.responses.default {
            Some(r) => Some(self.response_type(
                r,
                &rptr.push("default"),
                NameCtx { owner, suffix: "ErrorResponse".to_owned(), items: false },
            )?),
            None => None,
        };
        Ok((response, error))
    }

    fn response_type(
        &mut self,
        r: &ReferenceOr<openapiv3::Response>,
        ptr: &Pointer,
        ctx: NameCtx,
    ) -> Result<TypeRef, Error> {
        let ReferenceOr::Item(r) = r else {
            return Err(Error::at(ptr, "`$ref` responses are not supported").hint("write the response inline"));
        };
        match r.content.get("application/json").and_then(|m| m.schema.as_ref()) {
            Some(schema) => {
                Ok(self.schema(schema, &ptr.push("content").push("application/json").push("schema"), &ctx)?.0)
            }
            None => Ok(TypeRef::Json),
        }
    }
}

/// Whether a schema, standing alone as a component, is a named Rust type (not an alias).
fn becomes_named_type(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Any(any) => {
            !any.properties.is_empty() && any.any_of.is_empty() && any.one_of.is_empty() && any.all_of.is_empty()
        }
        SchemaKind::Type(Type::String(s)) => {
            !enum_values(&s.enumeration).is_empty() && enum_values(&s.enumeration) != [""]
        }
        SchemaKind::AnyOf { any_of: m } | SchemaKind::OneOf { one_of: m } => {
            m.len() > 1
                && !schema.schema_data.extensions.contains_key("x-expansionResources")
                && !m.iter().any(|m| matches!(m, ReferenceOr::Item(s) if is_empty_string_enum(s)))
        }
        _ => false,
    }
}

/// A union's `discriminator`: its property and, for each member, the values that select it:
/// the `mapping` keys that point to the member's component (by `$ref` or by name), else the
/// component's name. A member written inline has no value unless the mapping gives one.
fn discriminator<'a>(
    schema: &Schema,
    members: impl Iterator<Item = &'a ReferenceOr<Schema>>,
) -> Option<(String, Vec<Vec<String>>)> {
    let d = schema.schema_data.discriminator.as_ref()?;
    let values = members
        .map(|m| {
            let ReferenceOr::Reference { reference } = m else { return Vec::new() };
            let name = reference.rsplit('/').next().unwrap_or(reference);
            let mapped: Vec<String> = d
                .mapping
                .iter()
                .filter(|(_, target)| *target == reference || *target == name)
                .map(|(value, _)| value.clone())
                .collect();
            if mapped.is_empty() { vec![name.to_owned()] } else { mapped }
        })
        .collect();
    Some((d.property_name.clone(), values))
}

fn object_parts(s: &Schema) -> Option<(&Properties, &[String])> {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required)),
        SchemaKind::Any(a) if a.typ.as_deref().is_none_or(|t| t == "object") => Some((&a.properties, &a.required)),
        _ => None,
    }
}

/// The distinct values of a string enum, in spec order (`null` is nullability, not a value).
fn enum_values(values: &[Option<String>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values.iter().flatten() {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

fn integer_type(format: &VariantOrUnknownOrEmpty<openapiv3::IntegerFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Unknown(f) if f == "unix-time" => TypeRef::Timestamp,
        _ => TypeRef::Integer,
    }
}

/// The single value of a string property that can have only one (`enum: [list]`).
fn constant_of(s: &Schema) -> Option<String> {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) if st.enumeration.len() == 1 && !s.schema_data.nullable => {
            st.enumeration[0].clone().filter(|v| !v.is_empty())
        }
        _ => None,
    }
}

/// `enum: [""]`: the branch with which Stripe lets a caller clear a field.
fn is_empty_string_enum(s: &Schema) -> bool {
    matches!(&s.schema_kind, SchemaKind::Type(Type::String(st))
        if st.enumeration.len() == 1 && st.enumeration[0].as_deref() == Some("")
            && !matches!(st.format, VariantOrUnknownOrEmpty::Item(StringFormat::Binary)))
}

fn is_empty_object(s: &Schema) -> bool {
    matches!(&s.schema_kind, SchemaKind::Any(a) if a.typ.is_none() && a.properties.is_empty() && a.items.is_none() && a.enumeration.is_empty() && a.any_of.is_empty() && a.one_of.is_empty() && a.all_of.is_empty())
}

/// Name suffix for an inline member of a union: its title, or its position.
fn member_suffix(m: &ReferenceOr<Schema>, i: usize) -> String {
    match m {
        ReferenceOr::Item(s) => match &s.schema_data.title {
            Some(t) => camel_ident(t),
            None => format!("Variant{}", i + 1),
        },
        ReferenceOr::Reference { .. } => format!("Variant{}", i + 1),
    }
}

/// The names in a path template's `{...}` slots (`/v1/x/{id}` → `id`); an unclosed `{` ends it.
fn path_template_names(path: &str) -> impl Iterator<Item = &str> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

/// Splits `/v1/x/{id}` into literals and parameter slots, checking every slot has a path parameter.
fn parse_path(path: &str, params: &[DraftParam], ptr: &Pointer) -> Result<Vec<PathSegment>, Error> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(PathSegment::Literal(rest[..open].to_owned()));
        }
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| Error::at(ptr, format!("path `{path}` has an unclosed `{{`")))?;
        let name = &rest[open + 1..close];
        let index =
            params.iter().position(|p| p.location == ParamLocation::Path && p.field.wire == name).ok_or_else(|| {
                Error::at(ptr, format!("path `{path}` uses `{{{name}}}` but declares no path parameter `{name}`"))
            })?;
        out.push(PathSegment::Param(index));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(PathSegment::Literal(rest.to_owned()));
    }
    for (i, p) in params.iter().enumerate() {
        if p.location == ParamLocation::Path && !out.contains(&PathSegment::Param(i)) {
            return Err(Error::at(ptr, format!("path parameter `{}` does not appear in path `{path}`", p.field.wire)));
        }
    }
    Ok(out)
}
