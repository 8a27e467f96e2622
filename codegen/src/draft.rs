//! The drafts: what `lower` reads from the spec, before anything is named or placed. Plain
//! data, like the IR it becomes: `share` merges identical drafts, `naming` names and places
//! them, and `finish` turns them into the IR.

use crate::ir::{BodyEncoding, Method, ParamLocation, PathSegment, TypeId, TypeRef, Warning};

/// Who an inline type is named after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Owner {
    Type(TypeId),
    Operation(usize),
    /// No one: the suffix is the whole name. The inline types of an alias component (an array
    /// or map of inline objects) are named after the component (`tags` → `Tag`, `TagsValue`).
    Root,
}

/// How a draft type gets its name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NameSpec {
    /// A component: its key in `components/schemas`, and its `x-resourceId` when it is an API
    /// resource (`naming::component_candidates` makes its candidates).
    Component { key: String, resource: Option<String> },
    /// The owner's final name followed by a suffix, for each place the type is used; the first
    /// site is canonical. `items` is set when the type is the item of an array property.
    Nested { sites: Vec<(Owner, String)>, items: bool },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DraftField {
    pub wire: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    /// The only value a required string property can have (`object: "session"`).
    pub constant: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DraftKind {
    Struct(Vec<DraftField>),
    Enum(Vec<String>),
    Union {
        members: Vec<TypeRef>,
        /// Stripe's convention: every member a struct with a distinct constant in one field
        /// (`object`), which also goes on the wire when the union is serialized.
        tag: Option<(String, Vec<String>)>,
        /// The spec's `discriminator`: its property, and the values that select each member
        /// (from its `mapping`, else the name of the member's component).
        discriminator: Option<(String, Vec<Vec<String>>)>,
    },
    /// Placeholder while a component is being lowered.
    Pending,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Draft {
    pub name: NameSpec,
    pub doc: Option<String>,
    pub origin: String,
    /// The other places the same type stands (identical enums, shared inline types): a name
    /// published for any of them is this type's.
    pub also: Vec<String>,
    pub kind: DraftKind,
    /// `x-resourceId`, for components that are API resources.
    pub resource: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DraftParam {
    pub field: DraftField,
    pub location: ParamLocation,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DraftOperation {
    pub operation_id: String,
    pub doc: Option<String>,
    pub origin: String,
    pub method: Method,
    pub path: Vec<PathSegment>,
    pub path_text: String,
    pub params: Vec<DraftParam>,
    pub response: TypeRef,
    pub error: Option<TypeRef>,
    pub body: BodyEncoding,
    pub server: Option<String>,
}

/// What lowering produces: drafts for `finish` to name and place.
#[derive(Debug, Default)]
pub(crate) struct Drafts {
    pub types: Vec<Draft>,
    pub operations: Vec<DraftOperation>,
    pub api_version: String,
    pub title: String,
    /// What the maintainer should know about how the spec was read.
    pub warnings: Vec<Warning>,
}
