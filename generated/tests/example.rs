//! The `create_session` example as a user runs it: against a local Stripe stand-in it prints
//! the session's id and client secret and exits 0; against nothing it prints the error and
//! exits 1. `cargo test` builds examples before it runs tests, so the binary is there.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `target/<profile>/examples/create_session`, found from this test's own binary in `deps/`.
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let binary = profile_dir.join("examples").join(format!("create_session{}", std::env::consts::EXE_SUFFIX));
    assert!(binary.exists(), "{} is missing: cargo test builds examples first", binary.display());
    binary
}

fn run(base: &str) -> std::process::Output {
    Command::new(example_binary())
        .env("STRIPE_SECRET_KEY", "sk_test_example")
        .env("STRIPE_API_BASE", base)
        .output()
        .unwrap()
}

#[tokio::test]
async fn prints_the_created_session() {
    let server = MockServer::start().await;
    let seed_body = "account_holder[type]=customer&account_holder[customer]=cus_NiKSWdaFz2F6I0\
                     &permissions[0]=payment_method&permissions[1]=balances&filters[countries][0]=US";
    Mock::given(method("POST"))
        .and(path("/v1/financial_connections/sessions"))
        .and(header("authorization", "Bearer sk_test_example"))
        .and(body_string(seed_body))
        .respond_with(ResponseTemplate::new(200).set_body_string(include_str!("fixtures/seed_session.json")))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(&server.uri());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.starts_with("id: fcsess_"), "{stdout}");
    assert!(stdout.contains("client_secret: received"), "{stdout}");
    assert!(!stdout.contains("fcsess_client_secret_"), "the credential is not printed: {stdout}");
}

#[tokio::test]
async fn prints_the_error_and_fails_when_stripe_refuses() {
    let server = MockServer::start().await;
    let error = r#"{"error": {"type": "invalid_request_error", "code": "resource_missing",
        "message": "No such customer: 'cus_NiKSWdaFz2F6I0'", "param": "account_holder[customer]"}}"#;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_string(error).insert_header("request-id", "req_123"))
        .mount(&server)
        .await;
    let out = run(&server.uri());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("No such customer"), "{stderr}");
    assert!(stderr.contains("req_123"), "{stderr}");
    assert!(out.stdout.is_empty());
}
