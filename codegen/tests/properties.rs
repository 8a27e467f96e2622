//! Property test: on small random specs, generation returns an error or files that parse as
//! Rust, and never panics. Names, types, refs (dangling and cyclic too) and enums are random.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::{Value, json};

/// Wire names from a pool of awkward ones plus random short strings.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "type",
            "self",
            "Self",
            "crate",
            "super",
            "fn",
            "3d_secure",
            "a-b",
            "a.b",
            "a[b]",
            "with space",
            "größe",
            "a_b",
            "aB",
            "",
            "_",
            "object",
            "unknown",
            "Unknown",
            "data",
            "list",
            "id",
            "string",
            "Vec",
            "Option",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z0-9_ .-]{0,8}",
    ]
}

/// A schema, up to `depth` levels of nesting, referring to components `c0..c3`.
fn schema(depth: u32) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "integer", "format": "unix-time"})),
        Just(json!({"type": "number"})),
        Just(json!({"type": "boolean"})),
        Just(json!({})),
        Just(json!({"type": "string", "format": "binary"})),
        (0..5u8).prop_map(|i| json!({"$ref": format!("#/components/schemas/c{i}")})),
        prop::collection::vec(name(), 1..4).prop_map(|v| json!({"type": "string", "enum": v})),
        Just(json!({"type": "string", "enum": [1, 2]})),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        leaf,
        schema(depth - 1).prop_map(|s| json!({"type": "array", "items": s})),
        schema(depth - 1).prop_map(|s| json!({"type": "object", "additionalProperties": s})),
        (prop::collection::vec((name(), schema(depth - 1), any::<bool>()), 0..4), any::<bool>()).prop_map(
            |(props, nullable)| {
                let required: Vec<&String> = props.iter().filter(|p| p.2).map(|p| &p.0).collect();
                let properties: serde_json::Map<String, Value> =
                    props.iter().map(|p| (p.0.clone(), p.1.clone())).collect();
                json!({"type": "object", "properties": properties, "required": required, "nullable": nullable})
            }
        ),
        prop::collection::vec(schema(depth - 1), 1..4).prop_map(|m| json!({"anyOf": m})),
        (prop::collection::vec(schema(depth - 1), 1..4), name()).prop_map(
            |(m, tag)| json!({"oneOf": m, "discriminator": {"propertyName": tag, "mapping": {"x": "#/components/schemas/c1"}}})
        ),
        schema(depth - 1).prop_map(|s| json!({"anyOf": [{"type": "string"}, s], "x-expansionResources": {}})),
        schema(depth - 1).prop_map(|s| json!({"anyOf": [s, {"type": "string", "enum": [""]}]})),
    ]
    .boxed()
}

fn spec() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(schema(3), 1..5),
        prop::collection::vec((name(), schema(2), any::<bool>()), 0..4),
        prop::sample::select(vec!["get", "post", "put", "patch", "delete"]),
        prop::option::of(schema(2)),
    )
        .prop_map(|(components, params, method, upper_case_twin)| {
            let mut schemas: serde_json::Map<String, Value> =
                components.into_iter().enumerate().map(|(i, s)| (format!("c{i}"), s)).collect();
            // a name that differs from `c0` only in case
            if let Some(twin) = upper_case_twin {
                schemas.insert("C0".to_owned(), twin);
            }
            let post = matches!(method, "post" | "put" | "patch");
            let properties: serde_json::Map<String, Value> = params.iter().map(|p| (p.0.clone(), p.1.clone())).collect();
            let required: Vec<&String> = params.iter().filter(|p| p.2).map(|p| &p.0).collect();
            let mut op = json!({
                "operationId": "Op",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/c0"}}}}}
            });
            if post {
                op["requestBody"] = json!({"content": {"application/x-www-form-urlencoded": {"schema": {
                    "type": "object", "properties": properties, "required": required
                }}}});
            } else {
                op["parameters"] = Value::Array(params.iter().map(|p| json!({"name": p.0, "in": "query", "schema": p.1})).collect());
            }
            json!({
                "openapi": "3.0.0",
                "info": {"title": "random", "version": "2023-08-16"},
                "paths": {"/v1/things": {method: op}},
                "components": {"schemas": schemas}
            })
            .to_string()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generation_errs_or_emits_code_that_parses(text in spec()) {
        match stripe_codegen::generate("random.json", &text, &Default::default()) {
            Err(e) => {
                prop_assert!(e.pointer.starts_with('#'), "{e}");
                prop_assert!(!e.message.is_empty());
                // an internal error is the generator's fault, never the spec's
                prop_assert!(!e.message.contains("internal"), "{e}\nspec: {text}");
            }
            Ok(output) => {
                for (path, code) in output.rust_files() {
                    if let Err(e) = syn::parse_file(code) {
                        panic!("{path} does not parse: {e}\n{code}\nspec: {text}");
                    }
                }
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = stripe_codegen::generate("random.yaml", &text, &Default::default());
    }
}
