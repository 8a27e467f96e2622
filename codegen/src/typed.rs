//! Schemas read by hand, as `openapiv3` would read them, without serde's buffers: the fast
//! path of `load`.
//!
//! `openapiv3` reads a `ReferenceOr<Schema>` through an untagged enum and two
//! `#[serde(flatten)]` fields, each of which copies the schema's whole subtree into serde's
//! buffer before reading it. Nested, a subtree is copied three times per level above it, so a
//! deep request body (Stripe's form parameters) is copied a dozen times: reading schemas here
//! instead is a tenth less work for the whole read of Stripe's spec. Here a schema is read
//! once, by a visitor ([`Node`]) that reads from the YAML (through `checked.rs`) or from a
//! value alike.
//!
//! The rules are `openapiv3` 2.2's: a mapping with a textual `$ref` is a reference (its other
//! keys ignored); any other mapping is a schema whose common fields (`SchemaData`) are read by
//! name and whose kind (`SchemaKind`) is the first of string, number, integer, boolean, object,
//! array, `oneOf`, `allOf`, `anyOf`, `not` whose keys are the only ones set (a `null` counts as
//! unset) and whose `enum` values fit, else `Any`. A list where a schema belongs is handed to
//! `openapiv3` itself (it reads a list of one text as a reference); a value of the wrong type
//! is [`Read::Failed`], as `openapiv3` fails on it, and `load` then takes the way that words
//! the error. The tests hold the two to the same result on Stripe's spec and on random schemas.
//!
//! A path item is read by `openapiv3` from its value, with each schema in it (a parameter's, a
//! header's, a media type's) lifted out first, in its place a reference to a name no document
//! holds, and the schema read here put back where `openapiv3` read that reference.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, BooleanType, IntegerType, MediaType, NumberType, ObjectType, Operation,
    Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, Schema, SchemaData, SchemaKind, StringType, Type,
};
use serde::Deserialize;
use serde::de::value::SeqAccessDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::hash::{BuildHasher, RandomState};

/// A schema or a reference to one, as `ReferenceOr::<Schema>::deserialize` reads `value`;
/// `None` where that fails.
pub(crate) fn schema(value: Value) -> Option<ReferenceOr<Schema>> {
    Seed(Node::Schema).deserialize(value).ok()?.into_schema()
}

/// A path item or a reference to one, as `ReferenceOr::<PathItem>::deserialize` reads `value`;
/// `None` where that fails, or a lifted schema is not where `openapiv3` read its placeholder.
pub(crate) fn path_item(mut value: Value) -> Option<ReferenceOr<PathItem>> {
    // a name no document holds: random, as a hash map's keys are
    let name = format!("\u{0}lifted schema {:016x} ", RandomState::new().hash_one(0));
    let mut lift = Lift { name, schemas: Vec::new() };
    if !is_reference(&value) {
        lift.path_item(&mut value);
    }
    let mut read = ReferenceOr::<PathItem>::deserialize(value).ok()?;
    let schemas = lift.schemas.into_iter().map(|s| schema(s).map(Some)).collect::<Option<Vec<_>>>()?;
    let mut put = PutBack { name: lift.name, schemas, placed: 0 };
    if let ReferenceOr::Item(item) = &mut read {
        put.path_item(item)?;
    }
    (put.placed == put.schemas.len()).then_some(read)
}

/// Whether `openapiv3` reads this value as a reference (a mapping with a textual `$ref`).
fn is_reference(value: &Value) -> bool {
    matches!(value.get("$ref"), Some(Value::String(_)))
}

/// Takes the schemas out of a path item's value, each replaced by a reference to `name` and its
/// index: a parameter's, a request body's, a response's and a response header's, where
/// `openapiv3` reads one (a mapping, in a mapping that is no reference).
struct Lift {
    name: String,
    schemas: Vec<Value>,
}

impl Lift {
    fn path_item(&mut self, item: &mut Value) {
        self.parameters(item.get_mut("parameters"));
        for method in crate::ir::PATH_ITEM_METHODS {
            if let Some(operation) = item.get_mut(method) {
                self.operation(operation);
            }
        }
    }

    fn operation(&mut self, operation: &mut Value) {
        self.parameters(operation.get_mut("parameters"));
        if let Some(body) = operation.get_mut("requestBody").filter(|b| !is_reference(b)) {
            self.content(body.get_mut("content"));
        }
        let Some(Value::Object(responses)) = operation.get_mut("responses") else { return };
        for (_, response) in responses.iter_mut().filter(|(code, r)| !code.starts_with("x-") && !is_reference(r)) {
            self.content(response.get_mut("content"));
            if let Some(Value::Object(headers)) = response.get_mut("headers") {
                headers.values_mut().filter(|h| !is_reference(h)).for_each(|h| self.schema_or_content(h));
            }
        }
    }

    fn parameters(&mut self, parameters: Option<&mut Value>) {
        if let Some(Value::Array(parameters)) = parameters {
            parameters.iter_mut().filter(|p| !is_reference(p)).for_each(|p| self.schema_or_content(p));
        }
    }

    /// A parameter's or a header's schema, or its content's.
    fn schema_or_content(&mut self, parameter: &mut Value) {
        if let Some(schema) = parameter.get_mut("schema") {
            self.take(schema);
        }
        self.content(parameter.get_mut("content"));
    }

    fn content(&mut self, content: Option<&mut Value>) {
        if let Some(Value::Object(media_types)) = content {
            media_types.values_mut().filter_map(|m| m.get_mut("schema")).for_each(|s| self.take(s));
        }
    }

    fn take(&mut self, schema: &mut Value) {
        if schema.is_object() {
            let placeholder = Value::Object(Map::from_iter([(
                "$ref".to_owned(),
                Value::String(format!("{}{}", self.name, self.schemas.len())),
            )]));
            self.schemas.push(std::mem::replace(schema, placeholder));
        }
    }
}

/// Puts each lifted schema back where `openapiv3` read its placeholder, in the places [`Lift`]
/// takes them from. `None` when a placeholder names no schema left to put back.
struct PutBack {
    name: String,
    schemas: Vec<Option<ReferenceOr<Schema>>>,
    placed: usize,
}

impl PutBack {
    fn path_item(&mut self, item: &mut PathItem) -> Option<()> {
        self.parameters(&mut item.parameters)?;
        let PathItem { get, put, post, delete, options, head, patch, trace, .. } = item;
        for operation in [get, put, post, delete, options, head, patch, trace].into_iter().flatten() {
            self.operation(operation)?;
        }
        Some(())
    }

    fn operation(&mut self, operation: &mut Operation) -> Option<()> {
        self.parameters(&mut operation.parameters)?;
        if let Some(ReferenceOr::Item(body)) = &mut operation.request_body {
            self.content(&mut body.content)?;
        }
        let responses = &mut operation.responses;
        for response in responses.default.iter_mut().chain(responses.responses.values_mut()) {
            if let ReferenceOr::Item(response) = response {
                self.content(&mut response.content)?;
                for header in response.headers.values_mut() {
                    if let ReferenceOr::Item(header) = header {
                        self.schema_or_content(&mut header.format)?;
                    }
                }
            }
        }
        Some(())
    }

    fn parameters(&mut self, parameters: &mut [ReferenceOr<Parameter>]) -> Option<()> {
        for parameter in parameters {
            if let ReferenceOr::Item(
                Parameter::Query { parameter_data, .. }
                | Parameter::Header { parameter_data, .. }
                | Parameter::Path { parameter_data, .. }
                | Parameter::Cookie { parameter_data, .. },
            ) = parameter
            {
                self.schema_or_content(&mut parameter_data.format)?;
            }
        }
        Some(())
    }

    fn schema_or_content(&mut self, format: &mut ParameterSchemaOrContent) -> Option<()> {
        match format {
            ParameterSchemaOrContent::Schema(schema) => self.put(schema),
            ParameterSchemaOrContent::Content(content) => self.content(content),
        }
    }

    fn content(&mut self, content: &mut IndexMap<String, MediaType>) -> Option<()> {
        content.values_mut().filter_map(|m| m.schema.as_mut()).try_for_each(|s| self.put(s))
    }

    fn put(&mut self, slot: &mut ReferenceOr<Schema>) -> Option<()> {
        if let ReferenceOr::Reference { reference } = slot {
            if let Some(index) = reference.strip_prefix(&self.name) {
                *slot = self.schemas.get_mut(index.parse::<usize>().ok()?)?.take()?;
                self.placed += 1;
            }
        }
        Some(())
    }
}

/// The keywords that decide a schema's kind, one bit each, for [`Keywords::kind`].
mod bit {
    pub(super) const TYPE: u32 = 1;
    pub(super) const PATTERN: u32 = 1 << 1;
    pub(super) const MULTIPLE_OF: u32 = 1 << 2;
    pub(super) const EXCLUSIVE_MINIMUM: u32 = 1 << 3;
    pub(super) const EXCLUSIVE_MAXIMUM: u32 = 1 << 4;
    pub(super) const MINIMUM: u32 = 1 << 5;
    pub(super) const MAXIMUM: u32 = 1 << 6;
    pub(super) const PROPERTIES: u32 = 1 << 7;
    pub(super) const REQUIRED: u32 = 1 << 8;
    pub(super) const ADDITIONAL_PROPERTIES: u32 = 1 << 9;
    pub(super) const MIN_PROPERTIES: u32 = 1 << 10;
    pub(super) const MAX_PROPERTIES: u32 = 1 << 11;
    pub(super) const ITEMS: u32 = 1 << 12;
    pub(super) const MIN_ITEMS: u32 = 1 << 13;
    pub(super) const MAX_ITEMS: u32 = 1 << 14;
    pub(super) const UNIQUE_ITEMS: u32 = 1 << 15;
    pub(super) const ENUM: u32 = 1 << 16;
    pub(super) const FORMAT: u32 = 1 << 17;
    pub(super) const MIN_LENGTH: u32 = 1 << 18;
    pub(super) const MAX_LENGTH: u32 = 1 << 19;
    pub(super) const ONE_OF: u32 = 1 << 20;
    pub(super) const ALL_OF: u32 = 1 << 21;
    pub(super) const ANY_OF: u32 = 1 << 22;
    pub(super) const NOT: u32 = 1 << 23;

    /// What each typed kind may have besides `type`.
    pub(super) const STRING: u32 = PATTERN | ENUM | FORMAT | MIN_LENGTH | MAX_LENGTH;
    pub(super) const NUMBER: u32 =
        MULTIPLE_OF | EXCLUSIVE_MINIMUM | EXCLUSIVE_MAXIMUM | MINIMUM | MAXIMUM | ENUM | FORMAT;
    pub(super) const OBJECT: u32 = PROPERTIES | REQUIRED | ADDITIONAL_PROPERTIES | MIN_PROPERTIES | MAX_PROPERTIES;
    pub(super) const ARRAY: u32 = ITEMS | MIN_ITEMS | MAX_ITEMS | UNIQUE_ITEMS;
}

/// The keywords of a schema that decide its kind, each `None` when absent or `null`.
#[derive(Default)]
struct Keywords {
    set: u32,
    typ: Option<String>,
    pattern: Option<String>,
    multiple_of: Option<Number>,
    exclusive_minimum: Option<bool>,
    exclusive_maximum: Option<bool>,
    minimum: Option<Number>,
    maximum: Option<Number>,
    properties: Option<IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: Option<Vec<String>>,
    additional_properties: Option<AdditionalProperties>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    items: Option<ReferenceOr<Box<Schema>>>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    unique_items: Option<bool>,
    enumeration: Option<Vec<Value>>,
    format: Option<String>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    one_of: Option<Vec<ReferenceOr<Schema>>>,
    all_of: Option<Vec<ReferenceOr<Schema>>>,
    any_of: Option<Vec<ReferenceOr<Schema>>>,
    not: Option<Box<ReferenceOr<Schema>>>,
}

/// Where a schema (or several) is read, which decides what else the value there may be.
#[derive(Clone, Copy)]
pub(crate) enum Node {
    /// One schema: a mapping (or a list `openapiv3` reads as a reference); anything else fails.
    Schema,
    /// `items`, `not`: one schema, or `null` for none.
    Optional,
    /// `additionalProperties`: one schema, a boolean, or `null` for none.
    Additional,
    /// `oneOf`, `allOf`, `anyOf`: a list of schemas, or `null` for none.
    List,
    /// `properties`: a mapping of names to schemas, or `null` for none.
    Properties,
}

/// What a [`Node`] read.
pub(crate) enum Read {
    /// `null` where that means none.
    Unset,
    /// What `openapiv3` fails on.
    Failed,
    /// Boxed as built: a schema is a kilobyte, moved several times on its way up.
    Schema(ReferenceOr<Box<Schema>>),
    Any(bool),
    List(Vec<ReferenceOr<Schema>>),
    Properties(IndexMap<String, ReferenceOr<Box<Schema>>>),
}

/// A visitor as a seed: asks the deserializer for whatever it holds (as a value does).
pub(crate) struct Seed<V>(pub(crate) V);

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for Seed<V> {
    type Value = V::Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        deserializer.deserialize_any(self.0)
    }
}

/// Reads the value where it is, as a value (`Value::deserialize`) would: every scalar, list and
/// mapping is taken whole, whether it fits or not, so that a misfit is `Read::Failed`, never
/// an error of the deserializer (which would stop the document's read).
impl<'de> Visitor<'de> for Node {
    type Value = Read;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a schema")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Read, E> {
        Ok(if let Node::Schema = self { Read::Failed } else { Read::Unset })
    }
    fn visit_none<E: de::Error>(self) -> Result<Read, E> {
        self.visit_unit()
    }
    fn visit_bool<E: de::Error>(self, any: bool) -> Result<Read, E> {
        Ok(if let Node::Additional = self { Read::Any(any) } else { Read::Failed })
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Read, E> {
        Ok(Read::Failed)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Read, E> {
        Ok(Read::Failed)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Read, E> {
        Ok(Read::Failed)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Read, E> {
        Ok(Read::Failed)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Read, A::Error> {
        match self {
            Node::List => {
                let mut schemas = Some(Vec::new());
                while let Some(read) = seq.next_element_seed(Seed(Node::Schema))? {
                    match (read, &mut schemas) {
                        (Read::Schema(schema), Some(schemas)) => schemas.push(unboxed(schema)),
                        _ => schemas = None,
                    }
                }
                Ok(schemas.map_or(Read::Failed, Read::List))
            }
            // a list of one text is a reference to `openapiv3` (serde reads a struct from a list)
            Node::Schema | Node::Optional | Node::Additional => {
                let value = Value::deserialize(SeqAccessDeserializer::new(seq))?;
                Ok(ReferenceOr::<Box<Schema>>::deserialize(value).map_or(Read::Failed, Read::Schema))
            }
            Node::Properties => {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Read::Failed)
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read, A::Error> {
        match self {
            Node::Properties => {
                let mut properties = Some(IndexMap::new());
                while let Some(name) = map.next_key::<String>()? {
                    match (map.next_value_seed(Seed(Node::Schema))?, &mut properties) {
                        (Read::Schema(schema), Some(properties)) => {
                            properties.insert(name, schema);
                        }
                        _ => properties = None,
                    }
                }
                Ok(properties.map_or(Read::Failed, Read::Properties))
            }
            Node::List => {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Read::Failed)
            }
            Node::Schema | Node::Optional | Node::Additional => schema_map(map),
        }
    }
}

/// A schema's mapping: a reference when it holds a textual `$ref` (whatever else it holds),
/// else a schema, [`Read::Failed`] when a value has the wrong type.
fn schema_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Read, A::Error> {
    let (mut data, mut k) = (SchemaData::default(), Keywords::default());
    let (mut reference, mut fits) = (None, true);
    while let Some(field) = map.next_key_seed(Seed(FieldName))? {
        let read = match field {
            Field::Reference => {
                // a `$ref` that is not text is ignored, as `openapiv3` then reads a schema
                if let Value::String(text) = map.next_value()? {
                    reference = Some(text);
                }
                Some(())
            }
            Field::Properties => map
                .next_value_seed(Seed(Node::Properties))?
                .properties()
                .map(|p| k.properties = k.note(bit::PROPERTIES, p)),
            Field::Items => {
                map.next_value_seed(Seed(Node::Optional))?.schema().map(|s| k.items = k.note(bit::ITEMS, s))
            }
            Field::Not => map
                .next_value_seed(Seed(Node::Optional))?
                .schema()
                .map(|s| k.not = k.note(bit::NOT, s.map(|s| Box::new(unboxed(s))))),
            Field::AdditionalProperties => map
                .next_value_seed(Seed(Node::Additional))?
                .additional()
                .map(|a| k.additional_properties = k.note(bit::ADDITIONAL_PROPERTIES, a)),
            Field::OneOf => map.next_value_seed(Seed(Node::List))?.list().map(|l| k.one_of = k.note(bit::ONE_OF, l)),
            Field::AllOf => map.next_value_seed(Seed(Node::List))?.list().map(|l| k.all_of = k.note(bit::ALL_OF, l)),
            Field::AnyOf => map.next_value_seed(Seed(Node::List))?.list().map(|l| k.any_of = k.note(bit::ANY_OF, l)),
            Field::Scalar(name) => scalar(&mut data, &mut k, name, map.next_value()?),
            Field::Extension(name) => {
                data.extensions.insert(name, map.next_value()?);
                Some(())
            }
            Field::Ignored => {
                map.next_value::<IgnoredAny>()?; // openapiv3 ignores what it does not know
                Some(())
            }
        };
        fits &= read.is_some();
    }
    Ok(match (reference, fits.then(|| k.kind()).flatten()) {
        (Some(reference), _) => Read::Schema(ReferenceOr::Reference { reference }),
        (None, Some(kind)) => {
            Read::Schema(ReferenceOr::Item(Box::new(Schema { schema_data: data, schema_kind: kind })))
        }
        (None, None) => Read::Failed,
    })
}

/// A schema's scalar keyword (or a small value `openapiv3` reads itself) into `data` or `k`;
/// `None` when the value has the wrong type.
fn scalar(data: &mut SchemaData, k: &mut Keywords, name: &str, value: Value) -> Option<()> {
    match name {
        "nullable" => data.nullable = value.as_bool()?,
        "readOnly" => data.read_only = value.as_bool()?,
        "writeOnly" => data.write_only = value.as_bool()?,
        "deprecated" => data.deprecated = value.as_bool()?,
        "externalDocs" => data.external_docs = Option::deserialize(value).ok()?,
        "example" => data.example = unless_null(value),
        "title" => data.title = text(value)?,
        "description" => data.description = text(value)?,
        "discriminator" => data.discriminator = Option::deserialize(value).ok()?,
        "default" => data.default = unless_null(value),
        "type" => k.typ = k.note(bit::TYPE, text(value)?),
        "pattern" => k.pattern = k.note(bit::PATTERN, text(value)?),
        "multipleOf" => k.multiple_of = k.note(bit::MULTIPLE_OF, number(value)?),
        "exclusiveMinimum" => k.exclusive_minimum = k.note(bit::EXCLUSIVE_MINIMUM, flag(value)?),
        "exclusiveMaximum" => k.exclusive_maximum = k.note(bit::EXCLUSIVE_MAXIMUM, flag(value)?),
        "minimum" => k.minimum = k.note(bit::MINIMUM, number(value)?),
        "maximum" => k.maximum = k.note(bit::MAXIMUM, number(value)?),
        "required" => k.required = k.note(bit::REQUIRED, list(value, |name| name.as_str().map(str::to_owned))?),
        "minProperties" => k.min_properties = k.note(bit::MIN_PROPERTIES, count(value)?),
        "maxProperties" => k.max_properties = k.note(bit::MAX_PROPERTIES, count(value)?),
        "minItems" => k.min_items = k.note(bit::MIN_ITEMS, count(value)?),
        "maxItems" => k.max_items = k.note(bit::MAX_ITEMS, count(value)?),
        "uniqueItems" => k.unique_items = k.note(bit::UNIQUE_ITEMS, flag(value)?),
        "enum" => k.enumeration = k.note(bit::ENUM, list(value, Some)?),
        "format" => k.format = k.note(bit::FORMAT, text(value)?),
        "minLength" => k.min_length = k.note(bit::MIN_LENGTH, count(value)?),
        "maxLength" => k.max_length = k.note(bit::MAX_LENGTH, count(value)?),
        _ => return None, // not a scalar keyword: `FieldName` never says so
    }
    Some(())
}

/// A key of a schema's mapping, by what reads its value.
enum Field {
    Reference,
    Properties,
    Items,
    Not,
    AdditionalProperties,
    OneOf,
    AllOf,
    AnyOf,
    /// A keyword [`scalar`] reads.
    Scalar(&'static str),
    Extension(String),
    Ignored,
}

impl Field {
    fn of(name: &str) -> Option<Field> {
        const SCALARS: [&str; 27] = [
            "nullable",
            "readOnly",
            "writeOnly",
            "deprecated",
            "externalDocs",
            "example",
            "title",
            "description",
            "discriminator",
            "default",
            "type",
            "pattern",
            "multipleOf",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "minimum",
            "maximum",
            "required",
            "minProperties",
            "maxProperties",
            "minItems",
            "maxItems",
            "uniqueItems",
            "enum",
            "format",
            "minLength",
            "maxLength",
        ];
        Some(match name {
            "$ref" => Field::Reference,
            "properties" => Field::Properties,
            "items" => Field::Items,
            "not" => Field::Not,
            "additionalProperties" => Field::AdditionalProperties,
            "oneOf" => Field::OneOf,
            "allOf" => Field::AllOf,
            "anyOf" => Field::AnyOf,
            _ => return SCALARS.iter().find(|s| **s == name).map(|s| Field::Scalar(s)),
        })
    }
}

/// Reads a key as a [`Field`], allocating only an extension's name.
struct FieldName;

impl<'de> Visitor<'de> for FieldName {
    type Value = Field;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, name: &str) -> Result<Field, E> {
        Ok(Field::of(name)
            .unwrap_or_else(|| if name.starts_with("x-") { Field::Extension(name.to_owned()) } else { Field::Ignored }))
    }
    fn visit_string<E: de::Error>(self, name: String) -> Result<Field, E> {
        Ok(Field::of(&name)
            .unwrap_or_else(|| if name.starts_with("x-") { Field::Extension(name) } else { Field::Ignored }))
    }
}

impl Read {
    /// The schema read, unboxed, as `openapiv3` keeps one at the top of a document or a list.
    pub(crate) fn into_schema(self) -> Option<ReferenceOr<Schema>> {
        match self {
            Read::Schema(schema) => Some(unboxed(schema)),
            _ => None,
        }
    }
    fn schema(self) -> Option<Option<ReferenceOr<Box<Schema>>>> {
        match self {
            Read::Unset => Some(None),
            Read::Schema(schema) => Some(Some(schema)),
            _ => None,
        }
    }
    fn additional(self) -> Option<Option<AdditionalProperties>> {
        match self {
            Read::Any(any) => Some(Some(AdditionalProperties::Any(any))),
            other => other.schema().map(|s| s.map(|s| AdditionalProperties::Schema(Box::new(unboxed(s))))),
        }
    }
    fn list(self) -> Option<Option<Vec<ReferenceOr<Schema>>>> {
        match self {
            Read::Unset => Some(None),
            Read::List(schemas) => Some(Some(schemas)),
            _ => None,
        }
    }
    fn properties(self) -> Option<Option<IndexMap<String, ReferenceOr<Box<Schema>>>>> {
        match self {
            Read::Unset => Some(None),
            Read::Properties(properties) => Some(Some(properties)),
            _ => None,
        }
    }
}

/// A schema out of its box, where `openapiv3` keeps it unboxed.
fn unboxed(schema: ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match schema {
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
        ReferenceOr::Item(schema) => ReferenceOr::Item(*schema),
    }
}

impl Keywords {
    /// Records that a keyword is set (when it is), and passes it on.
    fn note<T>(&mut self, bit: u32, value: Option<T>) -> Option<T> {
        if value.is_some() {
            self.set |= bit;
        } else {
            self.set &= !bit;
        }
        value
    }

    /// Whether only `type` and keywords of `allowed` are set, `type` being `name`.
    fn is_typed(&self, name: &str, allowed: u32) -> bool {
        self.typ.as_deref() == Some(name) && self.set & !(bit::TYPE | allowed) == 0
    }

    /// Whether every `enum` value is `null` or passes `fits`.
    fn enum_fits(&self, fits: fn(&Value) -> bool) -> bool {
        self.enumeration.iter().flatten().all(|v| v.is_null() || fits(v))
    }

    /// The enum's values, each `null` as `None`, the others converted (all fit: `enum_fits`).
    fn enum_of<T>(&mut self, convert: fn(&Value) -> Option<T>) -> Vec<Option<T>> {
        self.enumeration
            .take()
            .unwrap_or_default()
            .iter()
            .map(|v| if v.is_null() { None } else { convert(v) })
            .collect()
    }

    /// The kind `openapiv3` gives a schema with these keywords; `None` only where `openapiv3`
    /// would panic (a number that passed its check and does not convert, which it unwraps).
    fn kind(mut self) -> Option<SchemaKind> {
        let as_f64 = |n: Option<Number>| n.map(|n| n.as_f64()).map_or(Some(None), |n| n.map(Some));
        let as_i64 = |n: Option<Number>| n.map(|n| n.as_i64()).map_or(Some(None), |n| n.map(Some));
        let is_int = |n: &Option<Number>| n.as_ref().is_none_or(Number::is_i64);
        let kind = if self.is_typed("string", bit::STRING) && self.enum_fits(Value::is_string) {
            SchemaKind::Type(Type::String(StringType {
                enumeration: self.enum_of(|v| v.as_str().map(str::to_owned)),
                format: self.format.into(),
                pattern: self.pattern,
                min_length: self.min_length,
                max_length: self.max_length,
            }))
        } else if self.is_typed("number", bit::NUMBER) && self.enum_fits(Value::is_number) {
            SchemaKind::Type(Type::Number(NumberType {
                enumeration: self.enum_of(Value::as_f64),
                format: self.format.into(),
                multiple_of: as_f64(self.multiple_of)?,
                exclusive_minimum: self.exclusive_minimum.unwrap_or_default(),
                exclusive_maximum: self.exclusive_maximum.unwrap_or_default(),
                minimum: as_f64(self.minimum)?,
                maximum: as_f64(self.maximum)?,
            }))
        } else if self.is_typed("integer", bit::NUMBER)
            && self.enum_fits(Value::is_i64)
            && is_int(&self.multiple_of)
            && is_int(&self.minimum)
            && is_int(&self.maximum)
        {
            SchemaKind::Type(Type::Integer(IntegerType {
                enumeration: self.enum_of(Value::as_i64),
                format: self.format.into(),
                multiple_of: as_i64(self.multiple_of)?,
                exclusive_minimum: self.exclusive_minimum.unwrap_or_default(),
                exclusive_maximum: self.exclusive_maximum.unwrap_or_default(),
                minimum: as_i64(self.minimum)?,
                maximum: as_i64(self.maximum)?,
            }))
        } else if self.is_typed("boolean", bit::ENUM) && self.enum_fits(Value::is_boolean) {
            SchemaKind::Type(Type::Boolean(BooleanType { enumeration: self.enum_of(Value::as_bool) }))
        } else if self.is_typed("object", bit::OBJECT) {
            SchemaKind::Type(Type::Object(ObjectType {
                properties: self.properties.unwrap_or_default(),
                required: self.required.unwrap_or_default(),
                additional_properties: self.additional_properties,
                min_properties: self.min_properties,
                max_properties: self.max_properties,
            }))
        } else if self.is_typed("array", bit::ARRAY) {
            SchemaKind::Type(Type::Array(ArrayType {
                items: self.items,
                min_items: self.min_items,
                max_items: self.max_items,
                unique_items: self.unique_items.unwrap_or_default(),
            }))
        } else if self.set == bit::ONE_OF {
            SchemaKind::OneOf { one_of: self.one_of? }
        } else if self.set == bit::ALL_OF {
            SchemaKind::AllOf { all_of: self.all_of? }
        } else if self.set == bit::ANY_OF {
            SchemaKind::AnyOf { any_of: self.any_of? }
        } else if self.set == bit::NOT {
            SchemaKind::Not { not: self.not? }
        } else {
            SchemaKind::Any(AnySchema {
                typ: self.typ,
                pattern: self.pattern,
                multiple_of: as_f64(self.multiple_of)?,
                exclusive_minimum: self.exclusive_minimum,
                exclusive_maximum: self.exclusive_maximum,
                minimum: as_f64(self.minimum)?,
                maximum: as_f64(self.maximum)?,
                properties: self.properties.unwrap_or_default(),
                required: self.required.unwrap_or_default(),
                additional_properties: self.additional_properties,
                min_properties: self.min_properties,
                max_properties: self.max_properties,
                items: self.items,
                min_items: self.min_items,
                max_items: self.max_items,
                unique_items: self.unique_items,
                enumeration: self.enumeration.unwrap_or_default(),
                format: self.format,
                min_length: self.min_length,
                max_length: self.max_length,
                one_of: self.one_of.unwrap_or_default(),
                all_of: self.all_of.unwrap_or_default(),
                any_of: self.any_of.unwrap_or_default(),
                not: self.not,
            })
        };
        Some(kind)
    }
}

/// An optional field's value: `None` for `null`, as serde reads an `Option`.
fn unless_null(value: Value) -> Option<Value> {
    (!value.is_null()).then_some(value)
}

/// An optional field: `Some(None)` for `null` (unset, as serde reads an `Option`), the value
/// through `of` otherwise, `None` when `of` refuses it (the wrong type).
fn optional<T>(value: Value, of: impl FnOnce(Value) -> Option<T>) -> Option<Option<T>> {
    if value.is_null() { Some(None) } else { of(value).map(Some) }
}

fn text(value: Value) -> Option<Option<String>> {
    optional(value, |v| if let Value::String(s) = v { Some(s) } else { None })
}

fn flag(value: Value) -> Option<Option<bool>> {
    optional(value, |v| v.as_bool())
}

fn number(value: Value) -> Option<Option<Number>> {
    optional(value, |v| if let Value::Number(n) = v { Some(n) } else { None })
}

/// A `usize` (a count or a length).
fn count(value: Value) -> Option<Option<usize>> {
    optional(value, |v| usize::try_from(v.as_u64()?).ok())
}

/// An optional list, each item through `item`, which may refuse one.
fn list<T>(value: Value, item: impl Fn(Value) -> Option<T>) -> Option<Option<Vec<T>>> {
    optional(value, |v| match v {
        Value::Array(items) => items.into_iter().map(item).collect(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::{path_item, schema};
    use openapiv3::{PathItem, ReferenceOr, Schema};
    use proptest::prelude::*;
    use serde::Deserialize;
    use serde_json::{Value, json};

    /// What `openapiv3` itself reads.
    fn read<T: for<'de> Deserialize<'de>>(value: &Value) -> Option<ReferenceOr<T>> {
        ReferenceOr::deserialize(value.clone()).ok()
    }

    #[test]
    fn kinds_are_openapiv3s() {
        for value in [
            json!({"type": "string", "enum": ["a", null], "format": "date-time", "maxLength": 5}),
            json!({"type": "string", "enum": ["a", 1]}), // an enum that does not fit: any
            json!({"type": "integer", "minimum": 1.5}),  // not an integer: any
            json!({"type": "integer", "minimum": 1, "format": "int64", "enum": [1, null]}),
            json!({"type": "number", "minimum": 1, "multipleOf": 0.5, "format": "x"}),
            json!({"type": "boolean", "enum": [true]}),
            json!({"type": "object", "properties": {"a": {"$ref": "#/a"}}, "required": ["a"], "additionalProperties": false}),
            json!({"type": "object", "additionalProperties": {"type": "string"}, "items": {}}), // items: any
            json!({"type": "array", "items": {"anyOf": [{"type": "string"}, {"$ref": "#/b"}]}, "uniqueItems": null}),
            json!({"anyOf": [{"type": "string"}], "nullable": true, "x-a": [1]}),
            json!({"oneOf": [], "allOf": []}), // two: any
            json!({"not": {"type": "string"}, "description": "d", "title": null, "default": null}),
            json!({"$ref": "#/a", "type": 5}),    // a reference, whatever else it holds
            json!({"$ref": 5, "type": "string"}), // no reference: its `$ref` ignored
            json!({"externalDocs": {"url": "u"}, "discriminator": {"propertyName": "p"}}),
            json!({"unknown": 1, "type": null}),
            json!({"type": "string", "nullable": null}), // fails
            json!({"properties": {"a": 1}}),             // fails
            json!(["#/a"]),                              // a reference, as a list
            json!("a"),                                  // fails
        ] {
            assert_eq!(schema(value.clone()), read::<Schema>(&value), "{value}");
        }
    }

    #[test]
    fn path_item_schemas_are_read_where_openapiv3_reads_them() {
        let item = json!({
            "parameters": [{"in": "path", "name": "id", "required": true, "schema": {"type": "string"}}],
            "get": {
                "parameters": [
                    {"in": "query", "name": "q", "content": {"application/json": {"schema": {"type": "object"}}}},
                    {"$ref": "#/p", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"$ref": "#/a"}}},
                    "headers": {"h": {"schema": {"type": "integer"}}}},
                    "x-a": {"content": {"a": {"schema": {"type": "string"}}}}},
            },
            "post": {
                "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
                    "type": "object", "properties": {"a": {"type": "array", "items": {"type": "string"}}}}}}},
                "responses": {"default": {"description": "e", "content": {"a": {"schema": null}}}},
            },
        });
        assert!(read::<PathItem>(&item).is_some());
        assert_eq!(path_item(item.clone()), read::<PathItem>(&item));
        // a schema where openapiv3 reads none (a parameter holding the first of `schema` and
        // `content`): not put back, so not read here
        let both = json!({"get": {"parameters": [{"in": "query", "name": "q",
            "content": {"a": {"schema": {"type": "string"}}}, "schema": {"type": "string"}}], "responses": {}}});
        assert!(read::<PathItem>(&both).is_some());
        assert_eq!(path_item(both), None);
        let item = json!({"get": {"parameters": [{"in": "query", "name": "q", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"a": {"schema": {"type": "object"}}}}}}});
        assert_eq!(path_item(item.clone()), read::<PathItem>(&item));
        assert_eq!(path_item(json!({"$ref": "#/x"})), read::<PathItem>(&json!({"$ref": "#/x"})));
    }

    fn scalar() -> impl Strategy<Value = Value> {
        let texts = ["string", "number", "integer", "boolean", "object", "array", "date", "int64", "#/a", "x"];
        prop_oneof![
            prop::sample::select(texts.to_vec()).prop_map(Value::from),
            (-2i64..3).prop_map(Value::from),
            Just(json!(1.5)),
            any::<bool>().prop_map(Value::from),
            Just(Value::Null),
        ]
    }

    /// Schema-like values: mappings of the keywords `openapiv3` reads (and one it does not),
    /// each mostly with a value of its type, sometimes with any scalar.
    fn node() -> impl Strategy<Value = Value> {
        let text = || {
            prop::sample::select(vec![
                "string", "number", "integer", "boolean", "object", "array", "date", "int32", "x",
            ])
            .prop_map(Value::from)
        };
        let leaf =
            prop_oneof![Just(json!({})), Just(json!({"$ref": "#/a"})), Just(json!({"type": "string"})), scalar()];
        leaf.prop_recursive(4, 40, 6, move |inner| {
            let count = prop_oneof![4 => (0i64..4).prop_map(Value::from), 1 => scalar()];
            let number = prop_oneof![(-2i64..3).prop_map(Value::from), Just(json!(0.5)), scalar()];
            let flag = prop_oneof![4 => any::<bool>().prop_map(Value::from), 1 => scalar()];
            let texts = prop_oneof![4 => prop::collection::vec(text(), 0..3).prop_map(Value::from), 1 => scalar()];
            let list = prop_oneof![4 => prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from), 1 => scalar()];
            let map = prop::collection::btree_map(prop::sample::select(vec!["a", "b"]), inner.clone(), 0..3)
                .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()));
            let keyword = prop_oneof![
                4 => text().prop_map(|t| ("type", t)),
                1 => (prop::sample::select(vec!["pattern", "format", "title", "description"]), text()),
                1 => (prop::sample::select(vec!["multipleOf", "minimum", "maximum"]), number),
                1 => (prop::sample::select(vec!["exclusiveMinimum", "exclusiveMaximum", "uniqueItems", "nullable", "readOnly", "writeOnly", "deprecated"]), flag.clone()),
                1 => (prop::sample::select(vec!["minProperties", "maxProperties", "minItems", "maxItems", "minLength", "maxLength"]), count),
                1 => (Just("required"), texts),
                1 => (Just("enum"), prop::collection::vec(scalar(), 0..3).prop_map(Value::from)),
                2 => (Just("properties"), map),
                2 => (prop::sample::select(vec!["items", "not", "additionalProperties"]), inner.clone()),
                1 => (Just("additionalProperties"), flag),
                2 => (prop::sample::select(vec!["oneOf", "allOf", "anyOf"]), list),
                1 => (prop::sample::select(vec!["$ref", "default", "example", "x-a", "other"]), scalar()),
                1 => (Just("externalDocs"), prop_oneof![Just(json!({"url": "u"})), scalar()]),
                1 => (Just("discriminator"), prop_oneof![Just(json!({"propertyName": "p"})), scalar()]),
            ];
            prop::collection::vec(keyword, 0..4)
                .prop_map(|pairs| Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Whatever the value, it reads as `openapiv3` reads it.
        #[test]
        fn a_schema_is_what_openapiv3_reads(value in node()) {
            prop_assert_eq!(schema(value.clone()), read::<Schema>(&value), "{}", value);
        }

        /// A path item with random schemas in the places they are lifted from reads as
        /// `openapiv3` reads it, or not at all.
        #[test]
        fn a_path_item_is_what_openapiv3_reads_or_nothing(a in node(), b in node(), c in node()) {
            let item = json!({
                "parameters": [{"in": "query", "name": "q", "schema": a}],
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": b}}},
                    "responses": {"200": {"description": "ok", "headers": {"h": {"schema": c}}}},
                },
            });
            if let Some(typed) = path_item(item.clone()) {
                prop_assert_eq!(Some(typed), read::<PathItem>(&item), "{}", item);
            }
        }
    }
}
