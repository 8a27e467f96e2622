//! The names inside a type: a struct's fields, an enum's variants, a union's variants, and the
//! catch-all variant beside them. `finish` asks for them once every type has its name (a union
//! variant is named from its type's).

use super::words::{camel_ident, dedupe_members, resolve, snake_ident};
use crate::ir::TypeRef;
use std::collections::BTreeSet;

/// The field names of `wires`, in order: snake_case identifiers, a repeat numbered `_2`, `_3`
/// (an exact spelling keeps its name first: `self` stays `self_`, `Self` becomes `self_2`).
pub(crate) fn field_names(wires: &[String]) -> Vec<String> {
    let mut names: Vec<String> = wires.iter().map(|w| snake_ident(w)).collect();
    dedupe_members(&mut names, wires, "_");
    names
}

/// The variant names of a string enum's `values`, in order, and the name of its catch-all.
pub(crate) fn enum_variant_names(values: &[String]) -> (Vec<String>, String) {
    let mut names: Vec<String> = values.iter().map(|v| camel_ident(v)).collect();
    dedupe_members(&mut names, values, "");
    let unknown = unknown_variant(&names);
    (names, unknown)
}

/// The variant names of a union of `members`, in order, and the name of its catch-all: a
/// named member by its type's name without the union's own in front
/// (`ListWidgetsCreated` + `ListWidgetsCreatedRangeQuerySpecs` → `RangeQuerySpecs`), any
/// other by its kind of value (`String`, `Array`, …). `type_names` are every type's names.
pub(crate) fn union_variant_names(members: &[TypeRef], type_names: &[String], union: &str) -> (Vec<String>, String) {
    let mut names: Vec<String> = members.iter().map(|m| variant_name(m, type_names, union)).collect();
    let wires = names.clone();
    dedupe_members(&mut names, &wires, "");
    let unknown = unknown_variant(&names);
    (names, unknown)
}

/// The name of a catch-all variant beside `names`: `Unknown`, unless a variant has it.
fn unknown_variant(names: &[String]) -> String {
    let mut taken: BTreeSet<String> = names.iter().cloned().collect();
    resolve(&[vec!["Unknown".to_owned(), "UnknownValue".to_owned()]], &mut taken).remove(0)
}

fn variant_name(ty: &TypeRef, type_names: &[String], union: &str) -> String {
    match ty {
        TypeRef::Named(id) => match type_names[id.0].strip_prefix(union) {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest.to_owned(),
            _ => type_names[id.0].clone(),
        },
        TypeRef::String => "String".to_owned(),
        TypeRef::Integer => "Integer".to_owned(),
        TypeRef::Number => "Number".to_owned(),
        TypeRef::Bool => "Bool".to_owned(),
        TypeRef::Timestamp => "Timestamp".to_owned(),
        TypeRef::Json => "Json".to_owned(),
        TypeRef::Binary => "File".to_owned(),
        TypeRef::Vec(_) => "Array".to_owned(),
        TypeRef::Map(_) => "Map".to_owned(),
        TypeRef::Expandable(_) => "Expandable".to_owned(),
        TypeRef::List(_) => "List".to_owned(),
        TypeRef::SearchList(_) => "SearchList".to_owned(),
        TypeRef::Emptyable(_) => "Emptyable".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::TypeId;

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn fields_are_snake_case_keywords_escaped_and_repeats_numbered() {
        assert_eq!(
            field_names(&strings(&["type", "accountHolder", "self", "Self"])),
            ["type_", "account_holder", "self_", "self_2"]
        );
        // the exact spelling keeps the plain name, whichever comes first
        assert_eq!(field_names(&strings(&["Amount", "amount"])), ["amount_2", "amount"]);
    }

    #[test]
    fn an_enums_catch_all_is_unknown_unless_a_value_is_called_so() {
        assert_eq!(
            enum_variant_names(&strings(&["active", "past_due"])),
            (strings(&["Active", "PastDue"]), "Unknown".to_owned())
        );
        let (names, unknown) = enum_variant_names(&strings(&["unknown", "known"]));
        assert_eq!((names, unknown.as_str()), (strings(&["Unknown", "Known"]), "UnknownValue"));
        // values that meet in CamelCase stay apart
        assert_eq!(enum_variant_names(&strings(&["a_b", "a-b"])).0, ["AB", "AB2"]);
    }

    #[test]
    fn union_variants_drop_the_unions_name_and_name_values_by_kind() {
        let types = strings(&["ListCreated", "ListCreatedRange", "Card"]);
        let members = [
            TypeRef::Named(TypeId(1)),
            TypeRef::Named(TypeId(2)),
            TypeRef::Integer,
            TypeRef::Vec(Box::new(TypeRef::String)),
        ];
        let (names, unknown) = union_variant_names(&members, &types, "ListCreated");
        assert_eq!(names, ["Range", "Card", "Integer", "Array"]);
        assert_eq!(unknown, "Unknown");
        // a type named like the union plus a lower-case rest keeps its whole name
        let (names, _) = union_variant_names(&[TypeRef::Named(TypeId(0))], &strings(&["Listing"]), "List");
        assert_eq!(names, ["Listing"]);
    }
}
