//! Inline schemas into types: scalars, arrays, objects and maps, Stripe's list envelope, unions
//! and enums. The entry point is `Lowerer::schema` (in `mod.rs`).

use super::*;

impl Lowerer<'_> {
    /// An inline schema's type by its kind, and whether a member makes it nullable (its own
    /// `nullable` is `schema`'s to read).
    pub(super) fn inline_kind(
        &mut self,
        schema: &Schema,
        ptr: &Pointer,
        ctx: &NameCtx,
    ) -> Result<(TypeRef, bool), Error> {
        let doc = self.docs.of(schema.schema_data.description.as_deref());
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
                    Some(items) => self.schema(items, &ptr.push("items"), &items_ctx)?.0,
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
    pub(super) fn any(
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
                    Some(items) => self.schema(items, &ptr.push("items"), ctx)?.0,
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

    pub(super) fn object(
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
                    let value_ctx = NameCtx { owner: ctx.owner, suffix: suffix::map_value(&ctx.suffix), items: false };
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
    pub(super) fn list_envelope(
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
        let item_ctx = NameCtx { owner: ctx.owner, suffix: suffix::item(&ctx.suffix), items: true };
        let item = match &array.items {
            Some(items) => self.schema(items, &ptr.push("properties").push("data").push("items"), &item_ctx)?.0,
            None => TypeRef::Json,
        };
        Ok(Some(if search { TypeRef::SearchList(Box::new(item)) } else { TypeRef::List(Box::new(item)) }))
    }

    pub(super) fn union(
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

    pub(super) fn union_type(
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
    pub(super) fn union_tag(&self, members: &[TypeRef]) -> Option<(String, Vec<String>)> {
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
    pub(super) fn enum_type(
        &mut self,
        values: Vec<String>,
        doc: Option<String>,
        ptr: &Pointer,
        ctx: &NameCtx,
    ) -> TypeId {
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

    pub(super) fn struct_kind(
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

    pub(super) fn field(
        &mut self,
        wire: &str,
        prop: &ReferenceOr<Box<Schema>>,
        required: bool,
        ptr: &Pointer,
        ctx: &NameCtx,
    ) -> Result<DraftField, Error> {
        let (doc, constant) = match prop {
            ReferenceOr::Item(s) => (self.docs.of(s.schema_data.description.as_deref()), constant_of(s)),
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
        let (ty, nullable) = self.schema(prop, ptr, ctx)?;
        Ok(DraftField { wire: wire.to_owned(), doc, ty, required: required && !nullable, constant: None })
    }
}
