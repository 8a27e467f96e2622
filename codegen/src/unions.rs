//! How a received union finds its alternative, decided once per union so that the generated
//! `Deserialize` never guesses.
//!
//! A union with a tag field (the spec's `discriminator`, or Stripe's distinct `object`
//! constants) decodes by the tag: a known value selects its alternative, an unknown one is
//! kept as JSON. Any other union decodes by the value's [`Shape`]: its JSON type, and for
//! objects the fields each struct alternative requires and knows and its constants (Stripe's
//! `card` and `deleted_card` share no tag value with `bank_account`s). Where two alternatives can
//! fit one value (two strings, two structs whose required fields the other also has), such a
//! value is kept as JSON, and a [`Warning`] says which alternatives and why (for the unions
//! Stripe sends; one that only requests hold is the user's own to decode). No alternative is
//! ever tried "first".

use crate::ir::{Api, Shape, TypeDef, TypeId, TypeKind, TypeRef, UnionVariant, Warning};
use std::collections::BTreeSet;

/// The field a received union is decoded by: the spec's `discriminator`'s, else Stripe's tag
/// (the field whose constant differs in every member), else none (decoded by shape).
pub(crate) fn tag_field(
    discriminator: &Option<(String, Vec<Vec<String>>)>,
    tag: &Option<(String, Vec<String>)>,
) -> Option<String> {
    discriminator.as_ref().map(|(field, _)| field).or(tag.as_ref().map(|(field, _)| field)).cloned()
}

/// The values of the tag field that select member `i`: the discriminator's (several may), else
/// the member's constant; none without a tag.
pub(crate) fn selected_by(
    discriminator: &Option<(String, Vec<Vec<String>>)>,
    tag: &Option<(String, Vec<String>)>,
    i: usize,
) -> Vec<String> {
    match (discriminator, tag) {
        (Some((_, values)), _) => values[i].clone(),
        (None, Some((_, values))) => vec![values[i].clone()],
        (None, None) => Vec::new(),
    }
}

/// Sets the shape of every alternative of the received, untagged unions, and returns what a
/// maintainer should know: alternatives no value can be told apart from, and alternatives of a
/// tagged union that no tag value selects.
pub(crate) fn decide_shapes(api: &mut Api) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for (i, decoded) in decoded_from_stripe(api).into_iter().enumerate() {
        let TypeKind::Union { variants, decode: Some(decode), .. } = &api.types[i].kind else { continue };
        let union = &api.types[i];
        if let Some(field) = &decode.tag {
            let unselected: Vec<String> =
                variants.iter().filter(|v| v.selected_by.is_empty()).map(|v| format!("`{}`", v.name)).collect();
            if !unselected.is_empty() {
                warnings.push(Warning {
                    pointer: union.origin.clone(),
                    message: format!(
                        "no value of `{field}` selects {} of `{}`; such values decode to `{}::{}`, as JSON",
                        unselected.join(", "),
                        union.name,
                        union.name,
                        decode.unknown
                    ),
                });
            }
            continue;
        }
        let has_integer = variants.iter().any(|v| shape_of(api, &v.ty, false) == Shape::Integer);
        let shapes: Vec<Shape> = variants.iter().map(|v| shape_of(api, &v.ty, has_integer)).collect();
        let mut overlaps = Vec::new();
        for a in 0..variants.len() {
            for b in a + 1..variants.len() {
                if let Some(why) = overlap(api, (&variants[a], shapes[a]), (&variants[b], shapes[b])) {
                    overlaps.push(format!("`{}` and `{}` ({why})", variants[a].name, variants[b].name));
                }
            }
        }
        // a union only requests hold is decoded by nobody but the user: no warning for it
        if !overlaps.is_empty() && decoded {
            warnings.push(Warning {
                pointer: union.origin.clone(),
                message: format!(
                    "a value that fits more than one alternative of `{}` decodes to `{}::{}`, as JSON: {}; \
                     a `discriminator`, or a field that only one alternative has and requires, tells them apart",
                    union.name,
                    union.name,
                    decode.unknown,
                    overlaps.join("; ")
                ),
            });
        }
        if let TypeKind::Union { variants, .. } = &mut api.types[i].kind {
            variants.iter_mut().zip(shapes).for_each(|(v, shape)| v.shape = shape);
        }
    }
    warnings
}

/// Which types hold values Stripe sends: those responses and error bodies reach, and those
/// no request reaches (a component is an object Stripe sends, in a webhook if nowhere else).
fn decoded_from_stripe(api: &Api) -> Vec<bool> {
    let reach = |starts: Vec<TypeId>| {
        let next = |id: TypeId| api.types[id.0].held().into_iter().map(|(id, _)| id).collect();
        crate::graph::reachable(api.types.len(), starts, next)
    };
    let received = reach(api.operations.iter().flat_map(|op| op.received()).collect());
    let sent = reach(api.operations.iter().flat_map(|op| op.sent()).collect());
    received.iter().zip(sent).map(|(&r, s)| r || !s).collect()
}

/// The shape of a type's JSON values. `beside_integer`: a number alternative next to an
/// integer one takes only numbers with a fraction.
fn shape_of(api: &Api, ty: &TypeRef, beside_integer: bool) -> Shape {
    match ty {
        TypeRef::String => Shape::String,
        TypeRef::Integer | TypeRef::Timestamp => Shape::Integer,
        TypeRef::Number if beside_integer => Shape::Float,
        TypeRef::Number => Shape::Number,
        TypeRef::Bool => Shape::Bool,
        TypeRef::Vec(_) => Shape::Array,
        TypeRef::Map(_) | TypeRef::List(_) | TypeRef::SearchList(_) => Shape::Object,
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Enum { .. } => Shape::String,
            TypeKind::Struct { .. } => Shape::Struct,
            TypeKind::Union { .. } => Shape::Any,
        },
        // an id or an object; the empty string or a value; anything
        TypeRef::Expandable(_) | TypeRef::Emptyable(_) | TypeRef::Json | TypeRef::Binary => Shape::Any,
    }
}

/// Why some value fits both alternatives, or `None` when none can.
fn overlap(api: &Api, (a, sa): (&UnionVariant, Shape), (b, sb): (&UnionVariant, Shape)) -> Option<String> {
    match (sa, sb) {
        (Shape::Any, _) | (_, Shape::Any) => Some("one takes any JSON value".to_owned()),
        (Shape::Struct, Shape::Struct) => {
            let (ca, cb) = (constants(api, &a.ty), constants(api, &b.ty));
            if ca.iter().any(|(field, value)| cb.iter().any(|(f, v)| f == field && v != value)) {
                return None; // `object: "card"` is never `object: "bank_account"`
            }
            let (ra, fa) = keys(api, &a.ty);
            let (rb, fb) = keys(api, &b.ty);
            let both: BTreeSet<&str> = fa.intersection(&fb).copied().collect();
            let needed: BTreeSet<&str> = ra.union(&rb).copied().collect();
            needed.is_subset(&both).then(|| {
                let fields: Vec<String> = needed.iter().map(|f| format!("`{f}`")).collect();
                if fields.is_empty() {
                    "an object with only fields both have fits both".to_owned()
                } else {
                    format!("an object with {} and no field only one has fits both", fields.join(", "))
                }
            })
        }
        (Shape::Struct | Shape::Object, Shape::Struct | Shape::Object) => Some("both are objects".to_owned()),
        (Shape::Number, Shape::Float | Shape::Integer) | (Shape::Float | Shape::Integer, Shape::Number) => {
            Some("both are numbers".to_owned())
        }
        (x, y) if x == y => Some(format!("both are {}", plural(x))),
        _ => None,
    }
}

fn plural(shape: Shape) -> &'static str {
    match shape {
        Shape::String => "strings",
        Shape::Integer => "integers",
        Shape::Float | Shape::Number => "numbers",
        Shape::Bool => "booleans",
        Shape::Array => "arrays",
        Shape::Object | Shape::Struct => "objects",
        Shape::Any => "values",
    }
}

/// A struct alternative's constant fields and their values.
fn constants<'a>(api: &'a Api, ty: &TypeRef) -> Vec<(&'a str, &'a str)> {
    match ty {
        TypeRef::Named(TypeId(id)) => api.types[*id].constants(),
        _ => Vec::new(),
    }
}

/// A struct alternative's required fields and all its fields, as its `Deserialize` knows them.
fn keys<'a>(api: &'a Api, ty: &TypeRef) -> (BTreeSet<&'a str>, BTreeSet<&'a str>) {
    let TypeRef::Named(TypeId(id)) = ty else { return Default::default() };
    let def: &TypeDef = &api.types[*id];
    let fields = def.struct_fields();
    (
        fields.iter().filter(|f| f.required).map(|f| f.wire.as_str()).collect(),
        fields.iter().map(|f| f.wire.as_str()).collect(),
    )
}

#[cfg(test)]
mod tests {
    use crate::ir::Shape;

    #[test]
    fn the_discriminator_decides_before_stripes_tag() {
        let discriminator =
            Some(("kind".to_owned(), vec![vec!["a".to_owned(), "a2".to_owned()], vec!["b".to_owned()]]));
        let tag = Some(("object".to_owned(), vec!["card".to_owned(), "bank_account".to_owned()]));
        assert_eq!(super::tag_field(&discriminator, &tag).as_deref(), Some("kind"));
        assert_eq!(super::selected_by(&discriminator, &tag, 0), ["a", "a2"]);
        assert_eq!(super::tag_field(&None, &tag).as_deref(), Some("object"));
        assert_eq!(super::selected_by(&None, &tag, 1), ["bank_account"]);
        assert_eq!(super::tag_field(&None, &None), None);
        assert!(super::selected_by(&None, &None, 0).is_empty());
    }

    /// Every shape emit can write is a variant of the runtime's `UnionShape`
    /// (`runtime/src/impls.rs`), so no generated `deserialize_union!` names one that is missing.
    #[test]
    fn the_runtime_has_every_shape() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src/impls.rs");
        let runtime = std::fs::read_to_string(&path).unwrap_or_default();
        let start = runtime.find("pub enum UnionShape {").expect("UnionShape in impls.rs");
        let body = &runtime[start..start + runtime[start..].find("\n}").unwrap_or(0)];
        let variants: Vec<&str> = body
            .lines()
            .skip(1)
            .map(str::trim)
            .filter(|l| !l.starts_with("///") && !l.is_empty())
            .filter_map(|l| l.split([',', ' ', '{']).next())
            .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
            .collect();
        let ours: Vec<String> = Shape::ALL.iter().map(|s| format!("{s:?}")).collect();
        assert_eq!(variants, ours, "ir::Shape and the runtime's UnionShape must have the same variants");
    }
}
