//! Drafts into the final IR: names, modules, usage and boxing, each decided once, for all types.
//!
//! - **Names**: components and operations first, then inline types level by level (a nested
//!   type's name starts with its owner's final name), with [`crate::naming::resolve`] breaking collisions.
//! - **Modules**: a resource (`x-resourceId: a.b`) lives in `a::b`, an operation with the resource
//!   it returns; any other type lives in the one module that reaches it, or in `shared`.
//! - **Usage**: what requests reach is sent (`Serialize`), what responses reach is received.
//! - **Boxing**: fields that hold a type of their own strongly connected component by value.

use crate::draft::{Draft, DraftField, DraftKind, Drafts};
use crate::error::Error;
use crate::ir::{
    Api, Events, Field, Operation, Pagination, Param, Shape, TypeDef, TypeId, TypeKind, TypeRef, UnionDecode,
    UnionVariant, Variant,
};
use crate::lock::NameLock;
use crate::naming::Placed;
use crate::naming::{enum_variant_names, field_names, request_setter, union_variant_names, unknown_fields_name};
use std::collections::BTreeSet;

pub(crate) fn finish(drafts: Drafts, lock: &NameLock) -> Result<Api, Error> {
    let Placed { type_names, type_modules, op_names, op_modules, published } = crate::naming::place(&drafts, lock)?;
    let usage = crate::graph::usage(&drafts);
    let boxed = crate::graph::boxed(&drafts);

    let types: Vec<TypeDef> = drafts
        .types
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let kind = type_kind(d, i, &type_names, &boxed, usage[i].received);
            // nothing Stripe sends is lost: a received object keeps the fields its type does not name
            let unknown_fields = match &kind {
                TypeKind::Struct { fields } if usage[i].received && !usage[i].sent => {
                    Some(unknown_fields_name(fields.iter().map(|f| f.name.as_str())))
                }
                _ => None,
            };
            TypeDef {
                name: type_names[i].clone(),
                module: type_modules[i].clone(),
                doc: d.doc.clone(),
                origin: d.origin.clone(),
                resource: d.resource.clone(),
                kind,
                usage: usage[i],
                unknown_fields,
            }
        })
        .collect();
    let operations = drafts
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let mut fields = fields(op.params.iter().map(|p| &p.field), None, &boxed);
            let params = op
                .params
                .iter()
                .zip(fields.drain(..))
                .map(|(p, field)| {
                    let setter = request_setter(&field.name);
                    Param { field, location: p.location, setter }
                })
                .collect();
            Operation {
                name: op_names[i].clone(),
                operation_id: op.operation_id.clone(),
                shares_id_with: drafts
                    .operations
                    .iter()
                    .enumerate()
                    .filter(|&(j, other)| j != i && other.operation_id == op.operation_id)
                    .map(|(_, other)| crate::ir::endpoint(other.method, &other.path_text))
                    .collect(),
                module: op_modules[i].clone(),
                doc: op.doc.clone(),
                origin: op.origin.clone(),
                method: op.method,
                path: op.path.clone(),
                params,
                response: op.response.clone(),
                error: op.error.clone(),
                body: op.body,
                server: op.server.clone(),
                pagination: None,
            }
        })
        .collect::<Vec<Operation>>();
    let operations = operations.into_iter().map(|op| Operation { pagination: pagination(&op, &types), ..op }).collect();
    let mut api = Api {
        api_version: drafts.api_version,
        title: drafts.title,
        types,
        operations,
        warnings: drafts.warnings,
        names: published,
        features: Default::default(),
        events: None,
    };
    api.events = events(&api.types);
    crate::docs::fill(&mut api);
    let union_warnings = crate::unions::decide_shapes(&mut api);
    api.warnings.extend(union_warnings);
    api.features = crate::features::features(&api);
    Ok(api)
}

fn type_kind(d: &Draft, id: usize, names: &[String], boxed: &BTreeSet<(usize, usize)>, received: bool) -> TypeKind {
    match &d.kind {
        DraftKind::Struct(f) => TypeKind::Struct { fields: fields(f.iter(), Some(id), boxed) },
        DraftKind::Enum(values) => {
            let (vnames, unknown) = enum_variant_names(values);
            TypeKind::Enum {
                variants: vnames
                    .into_iter()
                    .zip(values)
                    .map(|(name, wire)| Variant { name, wire: wire.clone() })
                    .collect(),
                unknown,
            }
        }
        DraftKind::Union { members, tag, discriminator } => {
            let (vnames, unknown) = union_variant_names(members, names, &names[id]);
            let decode = received.then(|| UnionDecode { tag: crate::unions::tag_field(discriminator, tag), unknown });
            TypeKind::Union {
                variants: members
                    .iter()
                    .zip(vnames)
                    .enumerate()
                    .map(|(i, (ty, name))| UnionVariant {
                        name,
                        tag_value: tag.as_ref().map(|(_, values)| values[i].clone()),
                        selected_by: crate::unions::selected_by(discriminator, tag, i),
                        shape: Shape::Any,
                        ty: ty.clone(),
                        boxed: crate::graph::in_place(ty).is_some_and(|t| boxed.contains(&(id, t.0))),
                    })
                    .collect(),
                tag: tag.as_ref().map(|(field, _)| field.clone()),
                decode,
            }
        }
        DraftKind::Pending => TypeKind::Struct { fields: Vec::new() },
    }
}

fn fields<'a>(
    drafts: impl Iterator<Item = &'a DraftField>,
    owner: Option<usize>,
    boxed: &BTreeSet<(usize, usize)>,
) -> Vec<Field> {
    let drafts: Vec<&DraftField> = drafts.collect();
    let wires: Vec<String> = drafts.iter().map(|f| f.wire.clone()).collect();
    let names = field_names(&wires);
    drafts
        .into_iter()
        .zip(names)
        .map(|(f, name)| Field {
            name,
            wire: f.wire.clone(),
            doc: f.doc.clone(),
            ty: f.ty.clone(),
            required: f.required,
            boxed: owner.is_some_and(|o| crate::graph::in_place(&f.ty).is_some_and(|t| boxed.contains(&(o, t.0)))),
            constant: f.constant.clone(),
        })
        .collect()
}

/// The webhook event, when the spec has the `event` resource with a `type` enum and a `data`
/// whose `object` is any JSON (object); each event type's object is the resource its name starts with.
fn events(types: &[TypeDef]) -> Option<Events> {
    let event = types.iter().position(|t| t.resource.as_deref() == Some("event"))?;
    let required = |ty: &TypeDef, wire: &str| -> Option<Field> {
        ty.struct_fields().into_iter().find(|f| f.wire == wire && f.required).cloned()
    };
    let kind_field = required(&types[event], "type")?;
    let data_field = required(&types[event], "data")?;
    let (TypeRef::Named(kind), TypeRef::Named(data)) = (&kind_field.ty, &data_field.ty) else { return None };
    let any_object = |ty: &TypeRef| match ty {
        TypeRef::Json => true,
        TypeRef::Map(value) => **value == TypeRef::Json,
        _ => false,
    };
    let object_field = required(&types[data.0], "object").filter(|f| any_object(&f.ty))?;
    let TypeKind::Enum { variants, .. } = &types[kind.0].kind else { return None };
    let mut objects: Vec<(TypeId, Vec<String>)> = Vec::new();
    for variant in variants {
        let Some((resource, _)) = variant.wire.rsplit_once('.') else { continue };
        let Some(object) = types.iter().position(|t| t.resource.as_deref() == Some(resource) && t.usage.received)
        else {
            continue;
        };
        match objects.iter_mut().find(|(id, _)| id.0 == object) {
            Some((_, names)) => names.push(variant.name.clone()),
            None => objects.push((TypeId(object), vec![variant.name.clone()])),
        }
    }
    Some(Events {
        event: TypeId(event),
        kind: *kind,
        fields: [kind_field.name, data_field.name, object_field.name],
        objects,
    })
}

/// The objects a list request pages through, when it pages by cursor: its response is a
/// `List` of structs with a required string `id`, and it has the optional string parameters
/// `starting_after` and `ending_before`.
fn pagination(op: &Operation, types: &[TypeDef]) -> Option<Pagination> {
    let TypeRef::List(item) = &op.response else { return None };
    let TypeRef::Named(item) = **item else { return None };
    let id = types[item.0].id_field().filter(|f| f.required && f.ty == TypeRef::String)?;
    let cursor = |wire: &str| {
        let param =
            op.params.iter().find(|p| p.field.wire == wire && !p.field.required && p.field.ty == TypeRef::String);
        param.map(|p| p.field.name.clone())
    };
    Some(Pagination {
        item,
        id: id.name.clone(),
        starting_after: cursor("starting_after")?,
        ending_before: cursor("ending_before")?,
    })
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, Pagination};

    /// A spec with one list request of `widget`s, taking the cursors in `cursors`, and `id`
    /// declared as given (`{type: string}` is Stripe's).
    fn lists(cursors: &[&str], id: &str) -> Api {
        let params: String = cursors
            .iter()
            .map(|c| format!("        - {{name: {c}, in: query, required: false, schema: {{type: string}}}}\n"))
            .collect();
        let spec = format!(
            "openapi: 3.0.0
info: {{title: t, version: '2023-08-16'}}
paths:
  /v1/widgets:
    get:
      operationId: GetWidgets
      parameters:
{params}      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [data, has_more, object, url]
                properties:
                  data: {{type: array, items: {{$ref: '#/components/schemas/widget'}}}}
                  has_more: {{type: boolean}}
                  object: {{type: string, enum: [list]}}
                  url: {{type: string}}
components:
  schemas:
    widget:
      type: object
      required: [id]
      properties:
        id: {id}
"
        );
        crate::Spec::parse("t.yaml", &spec).and_then(|s| s.lower(&Default::default())).expect("the spec lowers")
    }

    #[test]
    fn a_list_pages_by_cursor_with_both_cursors_and_a_string_id() {
        let api = lists(&["starting_after", "ending_before"], "{type: string}");
        let widget = api.types.iter().position(|t| t.name == "Widget").expect("Widget");
        let expected = Pagination {
            item: crate::ir::TypeId(widget),
            id: "id".to_owned(),
            starting_after: "starting_after".to_owned(),
            ending_before: "ending_before".to_owned(),
        };
        assert_eq!(api.operations[0].pagination, Some(expected));
    }

    #[test]
    fn a_list_without_both_cursors_or_a_string_id_does_not_page() {
        assert_eq!(lists(&["starting_after"], "{type: string}").operations[0].pagination, None);
        assert_eq!(lists(&["starting_after", "ending_before"], "{type: integer}").operations[0].pagination, None);
    }
}
