//! Every way a spec can be wrong gives one error naming the file, the JSON pointer, the line and
//! column where the parser knows them, what is wrong and what to do; each message is snapshotted.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

const HEAD: &str = "openapi: 3.0.0\ninfo: {title: t, version: '2023-08-16'}\n";

/// A spec with one operation whose 200 response is `schema` and with `components`.
fn with_response(schema: &str, components: &str) -> String {
    format!(
        "{HEAD}paths:\n  /v1/things:\n    get:\n      operationId: GetThings\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\ncomponents:\n  schemas:\n{components}"
    )
}

fn error_of(file: &str, spec: &str) -> String {
    match stripe_codegen::generate(file, spec, &Default::default()) {
        Ok(_) => panic!("{file}: expected an error, the spec generated"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_specs_get_one_clear_error_each() {
    let cases: Vec<(&str, &str, String)> = vec![
        ("invalid_yaml", "spec.yaml", format!("{HEAD}paths:\n  /v1/x: [unclosed\n")),
        ("invalid_json", "spec.json", "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\",, }}".to_owned()),
        ("swagger_2", "spec.yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n".to_owned()),
        ("openapi_3_1", "spec.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n".to_owned()),
        ("not_openapi", "spec.yaml", "hello: world\n".to_owned()),
        ("no_paths", "spec.yaml", "openapi: 3.0.0\ninfo: {title: t, version: '1'}\n".to_owned()),
        ("paths_not_a_map", "spec.yaml", format!("{HEAD}paths: [1, 2]\n")),
        ("wrong_shape", "spec.yaml", format!("{HEAD}paths:\n  /v1/x:\n    get:\n      responses: 7\n")),
        (
            "wrong_shape_in_schema",
            "spec.yaml",
            format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    thing:\n      type: object\n      properties:\n        x: {{type: string, maxLength: many}}\n"),
        ),
        (
            "ref_to_nothing",
            "spec.yaml",
            with_response(
                "{$ref: '#/components/schemas/thing'}",
                "    thing:\n      type: object\n      properties:\n        other: {$ref: '#/components/schemas/missing'}\n",
            ),
        ),
        (
            "form_body_ref_to_nothing",
            "spec.yaml",
            format!("{HEAD}paths:\n  /v1/things:\n    post:\n      operationId: PostThings\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema: {{$ref: '#/components/schemas/missing'}}\n      responses:\n        '200':\n          description: ok\ncomponents:\n  schemas: {{}}\n"),
        ),
        (
            "ref_outside_document",
            "spec.yaml",
            with_response("{$ref: 'other.yaml#/components/schemas/thing'}", "    thing: {type: string}\n"),
        ),
        (
            "ref_cycle",
            "spec.yaml",
            with_response(
                "{$ref: '#/components/schemas/a'}",
                "    a: {$ref: '#/components/schemas/b'}\n    b: {$ref: '#/components/schemas/a'}\n",
            ),
        ),
        (
            "non_string_enum",
            "spec.yaml",
            with_response(
                "{$ref: '#/components/schemas/level'}",
                "    level:\n      type: object\n      properties:\n        n: {type: string, enum: [1, 2]}\n",
            ),
        ),
        (
            "header_parameter",
            "spec.yaml",
            format!(
                "{HEAD}paths:\n  /v1/a:\n    get:\n      operationId: GetA\n      parameters:\n        - {{name: X-Trace, in: header, schema: {{type: string}}}}\n      responses: {{'200': {{description: ok}}}}\n"
            ),
        ),
        (
            "cookie_parameter",
            "spec.yaml",
            format!(
                "{HEAD}paths:\n  /v1/a:\n    get:\n      operationId: GetA\n      parameters:\n        - {{name: session, in: cookie, schema: {{type: string}}}}\n      responses: {{'200': {{description: ok}}}}\n"
            ),
        ),
        (
            "unsupported_method",
            "spec.yaml",
            format!(
                "{HEAD}paths:\n  /v1/a:\n    options:\n      operationId: OptionsA\n      responses: {{'200': {{description: ok}}}}\n"
            ),
        ),
        (
            "unsupported_body",
            "spec.yaml",
            format!(
                "{HEAD}paths:\n  /v1/a:\n    post:\n      operationId: PostA\n      requestBody:\n        content:\n          application/xml: {{schema: {{type: object}}}}\n      responses: {{'200': {{description: ok}}}}\n"
            ),
        ),
        (
            "duplicate_key",
            "spec.yaml",
            format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    thing:\n      type: object\n      type: object\n      properties: {{x: {{type: string}}}}\n"),
        ),
        ("duplicate_key_json", "spec.json", "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"t\", \"version\": \"1\", \"title\": \"u\"}, \"paths\": {}}".to_owned()),
        (
            "all_of",
            "spec.yaml",
            with_response(
                "{$ref: '#/components/schemas/merged'}",
                "    merged:\n      type: object\n      properties:\n        x:\n          allOf:\n            - {type: object, properties: {a: {type: string}}}\n            - {type: object, properties: {b: {type: string}}}\n",
            ),
        ),
    ];
    for (name, file, spec) in cases {
        insta::assert_snapshot!(name, error_of(file, &spec));
    }
}

/// Inputs the fuzzer found that once panicked; each must now give an error or code.
#[test]
fn fuzz_regressions_do_not_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    inputs.sort();
    assert!(!inputs.is_empty());
    for input in inputs {
        let text = std::fs::read_to_string(&input).unwrap();
        if let Ok(output) = stripe_codegen::generate("regression.yaml", &text, &Default::default()) {
            for (_, code) in output.rust_files() {
                syn::parse_file(code).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
            }
        }
    }
}

#[test]
fn every_error_names_the_file_and_a_pointer() {
    let err = stripe_codegen::generate(
        "spec/x.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        &Default::default(),
    )
    .unwrap_err();
    assert_eq!(err.file, "spec/x.yaml");
    assert_eq!(err.pointer, "#/openapi");
    assert!(err.hint.is_some());
}
