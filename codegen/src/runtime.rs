//! The contract between generated code and the runtime crate (`stripe-runtime`, `runtime/` in
//! this workspace), said once: the runtime's package name, the features a generated crate
//! forwards to it, and the names generated code uses from it at the crate's root (a generated
//! crate re-exports the runtime there). `codegen/tests/runtime_contract.rs` checks each against
//! the runtime's sources, so a rename on either side fails a test that names it.

/// The runtime's package name, as a generated crate's manifest depends on it.
pub const CRATE: &str = "stripe-runtime";

/// The runtime's features with the other runtime features each turns on. A generated crate
/// has each and forwards it (`client = ["stripe-runtime/client"]`), under the same name,
/// because the runtime's macros expand `#[cfg(feature = "client")]` in the generated crate.
pub const FEATURES: &[(&str, &[&str])] =
    &[("client", &[]), ("webhooks", &[]), ("tracing", &[]), ("blocking", &["client"])];

/// The feature of webhook verification and typed events, which the event's objects need.
pub(crate) const WEBHOOKS: &str = "webhooks";

/// The runtime's public types and traits, at a generated crate's root beside its own types:
/// generated code names some of them there, and no generated type may take any of their names.
pub const TYPES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "ErrorType",
    "ApiError",
    "TransportError",
    "DecodeError",
    "Expandable",
    "List",
    "Emptyable",
    "FileUpload",
    "Timestamp",
    "RequestOptions",
    "Response",
    "Pages",
    "ListRequest",
    "Identified",
    "StripeRequest",
    "Method",
    "FormEncoder",
    "SearchList",
    // hidden: what the macros' expansions name
    "FieldKey",
    "ObjectKeys",
    "UnionShape",
];

/// The runtime's public modules, at a generated crate's root beside its own: no generated
/// module at the root takes their names (a glob re-export of each would make the name
/// ambiguous for users).
pub const MODULES: &[&str] = &["blocking", "testing", "transport", "webhook"];

/// The runtime's macros generated code invokes (`crate::deserialize_object! { .. }`), each
/// written once there: a struct's `Deserialize`, a string enum's impls, a received union's
/// `Deserialize`, a request's `send`/`paginate` methods, an event's typed objects.
pub const MACROS: &[&str] =
    &["deserialize_object", "string_enum", "deserialize_union", "request_methods", "event_objects"];

/// The runtime's functions generated code calls (`crate::encode_path_segment`).
pub const FUNCTIONS: &[&str] = &["encode_path_segment"];

/// The lines a generated crate's `[features]` table has for the runtime's features.
pub(crate) fn feature_forwards() -> String {
    FEATURES
        .iter()
        .map(|(name, turns_on)| {
            let entries: Vec<String> =
                turns_on.iter().map(|f| format!("\"{f}\"")).chain([format!("\"{CRATE}/{name}\"")]).collect();
            format!("{name} = [{}]\n", entries.join(", "))
        })
        .collect()
}
