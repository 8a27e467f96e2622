//! The intermediate representation: every naming and typing decision, as plain data.
//!
//! `finish` assembles it from the drafts `lower` read and the names `naming` gave them; `emit`
//! maps it to syntax trees without looking anything up.
//! Type references point into [`Api::types`] by index, so a type has exactly one name.

/// Index of a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// Everything the generated crate contains.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The spec's `info.version`: Stripe's API version, sent as `Stripe-Version`.
    pub api_version: String,
    /// The spec's `info.title`.
    pub title: String,
    /// Named types, in a stable order.
    pub types: Vec<TypeDef>,
    /// Operations, in a stable order.
    pub operations: Vec<Operation>,
    /// What the spec asks for that the generated code can only approximate; printed by xtask.
    pub warnings: Vec<Warning>,
    /// Every public item's module and name by its place in the spec: the lock to keep them.
    pub names: crate::lock::NameLock,
    /// Which cargo feature compiles each type and operation.
    pub features: Features,
    /// The webhook event the spec describes, when it does.
    pub events: Option<Events>,
}

/// A webhook event (the `event` resource) and what its `data.object` is for each event type,
/// by Stripe's convention that an event type is its object's resource, a dot, and what
/// happened (`financial_connections.account.created`).
#[derive(Debug, Clone, PartialEq)]
pub struct Events {
    /// The event type: a struct with a `type` enum and `data.object` any JSON object.
    pub event: TypeId,
    /// The enum of its `type`.
    pub kind: TypeId,
    /// The Rust names of the event's `type` and `data` fields and of the data's `object`.
    pub fields: [String; 3],
    /// Each resource with event types, and the variants of `kind` whose object it is.
    pub objects: Vec<(TypeId, Vec<String>)>,
}

/// Something a maintainer should know about the generated code, with where in the spec it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// JSON pointer of the schema concerned.
    pub pointer: String,
    /// What the generated code does about it.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at {}: {}", self.pointer, self.message)
    }
}

/// A Rust module path under the generated root, such as `["financial_connections", "session"]`.
pub type ModulePath = Vec<String>;

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust identifier, unique across the crate.
    pub name: String,
    /// Where it lives.
    pub module: ModulePath,
    /// Doc text (markdown), if the spec has any.
    pub doc: Option<String>,
    /// The JSON pointer of the schema it came from.
    pub origin: String,
    /// The API resource it is (`x-resourceId`, such as `financial_connections.session`).
    pub resource: Option<String>,
    /// What kind of type.
    pub kind: TypeKind,
    /// Whether it is sent (derives `Serialize`) and whether it is received (derives `Deserialize`).
    pub usage: Usage,
    /// For a struct only received: the name of its field that keeps the fields Stripe sent and
    /// the type does not name (added after this version of the crate), as JSON, written back
    /// when it is encoded.
    pub unknown_fields: Option<String>,
}

impl TypeDef {
    /// The fields its Rust struct has (none for an enum or a union): a received-only type
    /// leaves out constant fields, which carry no information.
    pub fn struct_fields(&self) -> Vec<&Field> {
        match &self.kind {
            TypeKind::Struct { fields } => fields.iter().filter(|f| f.constant.is_none() || self.usage.sent).collect(),
            TypeKind::Enum { .. } | TypeKind::Union { .. } => Vec::new(),
        }
    }

    /// The field that holds the object's id: Stripe's objects carry it in `id`.
    pub fn id_field(&self) -> Option<&Field> {
        self.struct_fields().into_iter().find(|f| f.wire == "id")
    }

    /// The constant a received-only struct writes when encoded, as `#[serde(tag, rename)]`
    /// (`"object": "card"`): its one constant field, which is not a field of the Rust struct.
    /// What Stripe sent encodes back whole.
    pub fn written_tag(&self) -> Option<(&str, &str)> {
        match self.constants()[..] {
            [only] if !self.usage.sent => Some(only),
            _ => None,
        }
    }

    /// The constant fields of a struct and their values (`object: "card"`).
    pub fn constants(&self) -> Vec<(&str, &str)> {
        match &self.kind {
            TypeKind::Struct { fields } => {
                fields.iter().filter_map(|f| Some((f.wire.as_str(), f.constant.as_deref()?))).collect()
            }
            TypeKind::Enum { .. } | TypeKind::Union { .. } => Vec::new(),
        }
    }
}

/// Which directions a type travels in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Part of a request.
    pub sent: bool,
    /// Part of a response.
    pub received: bool,
}

impl Usage {
    /// Both directions a type travels in.
    pub fn merge(&mut self, other: Usage) {
        self.sent |= other.sent;
        self.received |= other.received;
    }
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct {
        /// Fields in wire order.
        fields: Vec<Field>,
    },
    /// A string enum, with a catch-all variant for values the spec does not list.
    Enum {
        /// Known values.
        variants: Vec<Variant>,
        /// Name of the catch-all `Name(String)` variant.
        unknown: String,
    },
    /// One of several types (`anyOf`/`oneOf`).
    Union {
        /// The alternatives.
        variants: Vec<UnionVariant>,
        /// `Some(field)` when every alternative is an object told apart by a constant in `field`
        /// (Stripe's `object`); serialized with it.
        tag: Option<String>,
        /// How a received value finds its alternative; `None` for a union that is only sent.
        decode: Option<UnionDecode>,
    },
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust identifier (already escaped; emit uses it as is).
    pub name: String,
    /// Wire name in JSON and form bodies.
    pub wire: String,
    /// Doc text.
    pub doc: Option<String>,
    /// Type of the value when present.
    pub ty: TypeRef,
    /// `false` makes it an `Option` (absent from `required`, or `nullable`).
    pub required: bool,
    /// Wrap in `Box` to break a cycle of structs holding each other by value.
    pub boxed: bool,
    /// The only value the field can have (`object: "list"`): received-only types leave it out.
    pub constant: Option<String>,
}

/// A variant of a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Rust identifier.
    pub name: String,
    /// Wire spelling.
    pub wire: String,
}

/// How a received union decodes (decided in `unions.rs`): by a tag field when it has one,
/// else by what each alternative's JSON looks like ([`Shape`]). Never by trying alternatives
/// in order: a value goes to the one alternative that fits, is an error when none does, and
/// is kept as JSON in the `unknown` variant when its tag is unknown or several fit.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDecode {
    /// The field whose value selects the alternative (a `discriminator`, or Stripe's `object`
    /// constants); the values are [`UnionVariant::selected_by`].
    pub tag: Option<String>,
    /// Name of the variant that keeps a value as JSON.
    pub unknown: String,
}

/// What a JSON value must look like to be an alternative of an untagged union. emit writes a
/// variant's name into `deserialize_union!`, which names the runtime's `UnionShape` variant
/// of the same name (the generated crate cannot depend on this one; a test keeps them equal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A string.
    String,
    /// A number without a fraction.
    Integer,
    /// A number with a fraction (beside an integer alternative).
    Float,
    /// Any number.
    Number,
    /// `true` or `false`.
    Bool,
    /// An array.
    Array,
    /// Any object (a map, a list envelope).
    Object,
    /// An object with the struct's required fields and constants, and no field that only other
    /// alternatives have.
    Struct,
    /// Anything (JSON, or a type whose values take several shapes).
    Any,
}

impl Shape {
    /// Every shape, for the test that the runtime has each.
    pub const ALL: [Shape; 9] = [
        Shape::String,
        Shape::Integer,
        Shape::Float,
        Shape::Number,
        Shape::Bool,
        Shape::Array,
        Shape::Object,
        Shape::Struct,
        Shape::Any,
    ];
}

/// An alternative of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// Rust identifier.
    pub name: String,
    /// The value for a tagged union's tag field.
    pub tag_value: Option<String>,
    /// The values of [`UnionDecode::tag`] that select this alternative.
    pub selected_by: Vec<String>,
    /// What its JSON looks like, for an untagged union.
    pub shape: Shape,
    /// Payload type.
    pub ty: TypeRef,
    /// Wrap in `Box` to break a cycle.
    pub boxed: bool,
}

/// A reference to a type, as used in fields and parameters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `bool`.
    Bool,
    /// Seconds since the Unix epoch (`format: unix-time`).
    Timestamp,
    /// Arbitrary JSON.
    Json,
    /// File contents (`format: binary`), sent as a multipart file part.
    Binary,
    /// A named type.
    Named(TypeId),
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// A string-keyed map (`additionalProperties`).
    Map(Box<TypeRef>),
    /// Either an id or the expanded object.
    Expandable(Box<TypeRef>),
    /// Stripe's list envelope around items of this type.
    List(Box<TypeRef>),
    /// Stripe's search result envelope (`object: search_result`, with `next_page`).
    SearchList(Box<TypeRef>),
    /// A value, or the empty string a caller sends to clear a field.
    Emptyable(Box<TypeRef>),
}

impl TypeRef {
    /// Appends every named type this reference mentions, however deeply wrapped.
    pub fn named_types(&self, out: &mut Vec<TypeId>) {
        self.visit_named(false, &mut |id, _| out.push(id));
    }

    /// Calls `f` with every named type this reference mentions and whether it is behind an
    /// `Expandable` (`expandable` says whether this reference already is).
    pub fn visit_named(&self, expandable: bool, f: &mut impl FnMut(TypeId, bool)) {
        match self {
            TypeRef::Named(id) => f(*id, expandable),
            TypeRef::Expandable(t) => t.visit_named(true, f),
            TypeRef::Vec(t) | TypeRef::Map(t) | TypeRef::List(t) | TypeRef::SearchList(t) | TypeRef::Emptyable(t) => {
                t.visit_named(expandable, f)
            }
            TypeRef::String
            | TypeRef::Integer
            | TypeRef::Number
            | TypeRef::Bool
            | TypeRef::Timestamp
            | TypeRef::Json
            | TypeRef::Binary => {}
        }
    }
}

/// HTTP method of an operation: the ones Stripe's specs have used (PUT in 2019–2021's
/// `/v1/account/logout`), and PATCH, which OpenAPI documents may use like them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

/// An endpoint as the spec and Stripe's docs write it, and as the lock, the docs and the
/// change report name an operation: `POST /v1/financial_connections/sessions`.
pub fn endpoint(method: Method, path: &str) -> String {
    format!("{} {path}", method.as_str())
}

impl Operation {
    /// The path as the spec writes it, each parameter in braces (`/v1/accounts/{account}`).
    pub fn path_text(&self) -> String {
        self.path
            .iter()
            .map(|s| match s {
                PathSegment::Literal(l) => l.clone(),
                PathSegment::Param(i) => format!("{{{}}}", self.params[*i].field.wire),
            })
            .collect()
    }

    /// Its [`endpoint`]: `POST /v1/financial_connections/sessions`.
    pub fn endpoint(&self) -> String {
        endpoint(self.method, &self.path_text())
    }
}

/// Every operation key of an OpenAPI 3.0 path item (`get`, …, `trace`), also those the
/// generated client does not send ([`Method::from_key`] says which it does).
pub const PATH_ITEM_METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

impl Method {
    /// The method of a path item's key (`get`, `post`, ...), or `None` for one the generated
    /// client does not send (`head`, `options`, `trace`).
    pub fn from_key(key: &str) -> Option<Method> {
        Some(match key {
            "get" => Method::Get,
            "post" => Method::Post,
            "put" => Method::Put,
            "patch" => Method::Patch,
            "delete" => Method::Delete,
            _ => return None,
        })
    }

    /// As HTTP spells it: `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// The runtime's variant (`crate::Method::Get`), which has the same names.
    pub fn runtime_variant(self) -> &'static str {
        match self {
            Method::Get => "crate::Method::Get",
            Method::Post => "crate::Method::Post",
            Method::Put => "crate::Method::Put",
            Method::Patch => "crate::Method::Patch",
            Method::Delete => "crate::Method::Delete",
        }
    }
}

/// One endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Rust identifier of the request type (`CreateSession`).
    pub name: String,
    /// The spec's operationId.
    pub operation_id: String,
    /// The other operations the spec gives the same operationId (`POST /v1/account/bank_accounts`):
    /// Stripe's early specs reuse one for alias paths; each path is an operation of its own.
    pub shares_id_with: Vec<String>,
    /// Module the request type lives in.
    pub module: ModulePath,
    /// Doc text.
    pub doc: Option<String>,
    /// JSON pointer of the operation.
    pub origin: String,
    /// HTTP method.
    pub method: Method,
    /// Path template split into literal text and parameter names.
    pub path: Vec<PathSegment>,
    /// Parameters, each with where it goes; the order of fields in the request type.
    pub params: Vec<Param>,
    /// Type of the successful response.
    pub response: TypeRef,
    /// Type of the `default` (error) response, when the spec declares one.
    pub error: Option<TypeRef>,
    /// How the body parameters are encoded.
    pub body: BodyEncoding,
    /// The operation's own server (`servers[0].url`), when it differs from the API's.
    pub server: Option<String>,
    /// For a list that pages by cursor: how (`finish::pagination` decides). Such a request
    /// can walk every page.
    pub pagination: Option<Pagination>,
}

/// How a list request pages by cursor: its `List`'s objects carry an `id`, and the request asks
/// for the page after one (`starting_after`) or before one (`ending_before`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// The type of the list's objects.
    pub item: TypeId,
    /// The Rust name of the object's id field.
    pub id: String,
    /// The Rust name of the request's `starting_after` field.
    pub starting_after: String,
    /// The Rust name of the request's `ending_before` field.
    pub ending_before: String,
}

/// How body parameters are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`, for operations that upload files.
    Multipart,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq)]
pub enum PathSegment {
    /// Literal text, sent as is.
    Literal(String),
    /// The value of a path parameter (by index into [`Operation::params`]), percent-encoded.
    Param(usize),
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// In the URL path.
    Path,
    /// In the query string.
    Query,
    /// In the form body.
    Body,
}

/// A request parameter: a field of the request type.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The field (name, wire name, type, optionality, docs).
    pub field: Field,
    /// Where it is sent.
    pub location: ParamLocation,
    /// Name of the builder method that sets it, when optional.
    pub setter: String,
}

/// Which cargo feature compiles what (decided by `features.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Features {
    /// Every resource feature → the features it turns on, all sorted.
    pub features: std::collections::BTreeMap<String, Vec<String>>,
    /// For each type (by index): when it is compiled.
    pub types: Vec<Gate>,
    /// For each operation (by index): the feature that compiles it.
    pub operations: Vec<String>,
}

/// When a type is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// With its module's feature; with a stand-in in its place otherwise, when other modules name it.
    Feature {
        /// The feature.
        name: String,
        /// Whether a stand-in takes the type's place while the feature is off.
        stand_in: bool,
    },
    /// With any of these features (a shared type: the features whose items reach it).
    Any(Vec<String>),
}
