//! Stripe's shapes, recognised by what a schema is, never by its name: pure functions on a
//! schema (an object that becomes a named type, a constant `object` field, the empty-string
//! enum a caller sends to clear a field, a `discriminator`, the parts of an object).

use super::Properties;
use crate::ir::TypeRef;
use crate::naming::suffix;
use openapiv3::{ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

/// Whether a schema, standing alone as a component, is a named Rust type (not an alias).
pub(super) fn becomes_named_type(schema: &Schema) -> bool {
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
pub(super) fn discriminator<'a>(
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

pub(super) fn object_parts(s: &Schema) -> Option<(&Properties, &[String])> {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required)),
        SchemaKind::Any(a) if a.typ.as_deref().is_none_or(|t| t == "object") => Some((&a.properties, &a.required)),
        _ => None,
    }
}

/// The distinct values of a string enum, in spec order (`null` is nullability, not a value).
pub(super) fn enum_values(values: &[Option<String>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values.iter().flatten() {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

pub(super) fn integer_type(format: &VariantOrUnknownOrEmpty<openapiv3::IntegerFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Unknown(f) if f == "unix-time" => TypeRef::Timestamp,
        _ => TypeRef::Integer,
    }
}

/// The single value of a string property that can have only one (`enum: [list]`).
pub(super) fn constant_of(s: &Schema) -> Option<String> {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) if st.enumeration.len() == 1 && !s.schema_data.nullable => {
            st.enumeration[0].clone().filter(|v| !v.is_empty())
        }
        _ => None,
    }
}

/// `enum: [""]`: the branch with which Stripe lets a caller clear a field.
pub(super) fn is_empty_string_enum(s: &Schema) -> bool {
    matches!(&s.schema_kind, SchemaKind::Type(Type::String(st))
        if st.enumeration.len() == 1 && st.enumeration[0].as_deref() == Some("")
            && !matches!(st.format, VariantOrUnknownOrEmpty::Item(StringFormat::Binary)))
}

pub(super) fn is_empty_object(s: &Schema) -> bool {
    matches!(&s.schema_kind, SchemaKind::Any(a) if a.typ.is_none() && a.properties.is_empty() && a.items.is_none() && a.enumeration.is_empty() && a.any_of.is_empty() && a.one_of.is_empty() && a.all_of.is_empty())
}

/// Name suffix for an inline member of a union (`i` from 0): its title, or its position.
pub(super) fn member_suffix(m: &ReferenceOr<Schema>, i: usize) -> String {
    let title = match m {
        ReferenceOr::Item(s) => s.schema_data.title.as_deref(),
        ReferenceOr::Reference { .. } => None,
    };
    suffix::member(title, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(yaml: &str) -> Schema {
        serde_yaml::from_str(yaml).expect("a schema")
    }

    #[test]
    fn objects_with_properties_and_string_enums_are_named_types_plain_values_are_not() {
        assert!(becomes_named_type(&schema("{type: object, properties: {id: {type: string}}}")));
        assert!(becomes_named_type(&schema("{type: string, enum: [active, inactive]}")));
        assert!(!becomes_named_type(&schema("{type: string}")));
        assert!(!becomes_named_type(&schema("{type: object}")));
        // the empty-string enum Stripe uses to clear a field is no type of its own
        assert!(!becomes_named_type(&schema("{type: string, enum: ['']}")));
        // an expandable reference is `Expandable<T>`, not a union of its own
        assert!(!becomes_named_type(&schema(
            "{anyOf: [{type: string}, {$ref: '#/components/schemas/account'}], x-expansionResources: {oneOf: []}}"
        )));
        assert!(becomes_named_type(&schema("{anyOf: [{type: string}, {type: integer}]}")));
    }

    #[test]
    fn a_single_value_string_enum_is_a_constant_unless_nullable_or_empty() {
        assert_eq!(constant_of(&schema("{type: string, enum: [card]}")).as_deref(), Some("card"));
        assert_eq!(constant_of(&schema("{type: string, enum: [card, bank_account]}")), None);
        assert_eq!(constant_of(&schema("{type: string, enum: [card], nullable: true}")), None);
        assert_eq!(constant_of(&schema("{type: string, enum: ['']}")), None);
    }

    #[test]
    fn the_empty_string_enum_clears_a_field() {
        assert!(is_empty_string_enum(&schema("{type: string, enum: ['']}")));
        assert!(!is_empty_string_enum(&schema("{type: string, enum: [a]}")));
        assert!(!is_empty_string_enum(&schema("{type: string, enum: ['', a]}")));
    }

    #[test]
    fn enum_values_keep_spec_order_once_each_without_null() {
        let values = [Some("b".to_owned()), None, Some("a".to_owned()), Some("b".to_owned())];
        assert_eq!(enum_values(&values), ["b", "a"]);
    }

    #[test]
    fn a_discriminator_selects_members_by_mapping_else_by_component_name() {
        let union = schema(
            "{oneOf: [{$ref: '#/components/schemas/card'}, {$ref: '#/components/schemas/bank'}, {type: object}], \
             discriminator: {propertyName: kind, mapping: {c: '#/components/schemas/card', c2: card}}}",
        );
        let SchemaKind::OneOf { one_of } = &union.schema_kind else { panic!("a oneOf") };
        let (field, values) = discriminator(&union, one_of.iter()).expect("a discriminator");
        assert_eq!(field, "kind");
        assert_eq!(values, [vec!["c".to_owned(), "c2".to_owned()], vec!["bank".to_owned()], Vec::<String>::new()]);
    }

    #[test]
    fn an_inline_union_member_is_named_by_its_title_else_its_position() {
        let titled: ReferenceOr<Schema> = ReferenceOr::Item(schema("{title: range_query_specs, type: object}"));
        assert_eq!(member_suffix(&titled, 0), "RangeQuerySpecs");
        let reference: ReferenceOr<Schema> = ReferenceOr::Reference { reference: "#/components/schemas/x".to_owned() };
        assert_eq!(member_suffix(&reference, 2), "Variant3");
    }
}
