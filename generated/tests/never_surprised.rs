//! What surprised a new application developer, each as the exact scenario: no panic from a
//! key or a setting, nothing sent that Stripe's SDKs would refuse, errors that say who
//! answered and print each cause once, and webhooks as Stripe's SDKs take them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use std::time::Duration;
use stripe_financial_connections::testing::{Failure, StubTransport};
use stripe_financial_connections::transport::HttpResponse;
use stripe_financial_connections::{Client, Error, Method, RequestOptions, RetrieveSession};

const SESSION: &str = "/v1/financial_connections/sessions/fcsess_1";

fn stubbed(key: &str, stub: &StubTransport) -> Result<Client, Error> {
    Client::builder(key).transport(stub.clone()).retry_delays(Duration::ZERO, Duration::ZERO).build()
}

fn config_message(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::Config(why)) => why,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_key_read_from_a_file_with_its_newline_is_refused_without_a_panic() {
    let key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc\n";
    let why = config_message(Client::builder(key).build());
    assert!(why.contains("whitespace (a newline at its end"), "{why}");
    assert!(!why.contains("sk_test"), "the message never shows the key: {why}");
    // `Client::new` cannot return the error: every request gives it, and nothing panics
    let client = Client::new(key);
    let why = config_message(RetrieveSession::new("fcsess_1").send(&client).await);
    assert!(why.contains("newline"), "{why}");
}

#[tokio::test]
async fn an_empty_key_is_refused_before_anything_is_sent() {
    let stub = StubTransport::new();
    stub.respond(Method::Get, SESSION, 200, json!({}));
    let client = stubbed("", &stub).unwrap();
    let why = config_message(RetrieveSession::new("fcsess_1").send(&client).await);
    assert!(why.starts_with("no API key provided"), "{why}");
    assert!(stub.requests().is_empty(), "nothing went out");
    // a request's own key is enough
    let options = RequestOptions::new().api_key("sk_test_123");
    let answered = client.send(&RetrieveSession::new("fcsess_1"), &options).await;
    assert!(!matches!(answered, Err(Error::Config(_))), "{answered:?}");
    assert_eq!(stub.requests()[0].header("authorization"), Some("Bearer sk_test_123"));
}

#[test]
fn a_base_url_that_is_not_an_absolute_http_url_is_refused_by_build() {
    for base in ["not a url", "127.0.0.1:8080", "ftp://files.example.com", "/v1"] {
        let why = config_message(Client::builder("sk_test_123").base_url(base).build());
        assert!(why.starts_with(&format!("base_url `{base}` is not an absolute http(s) URL")), "{why}");
    }
    for base in ["https://api.stripe.com", "http://127.0.0.1:12111/"] {
        assert!(Client::builder("sk_test_123").base_url(base).build().is_ok(), "{base}");
    }
}

#[tokio::test]
async fn a_502_page_from_a_proxy_is_not_called_a_stripe_error() {
    let stub = StubTransport::new();
    let page = HttpResponse::new(502, b"<html><body>Bad Gateway</body></html>".to_vec());
    stub.respond_with(Method::Get, SESSION, page);
    let client = stubbed("sk_test_123", &stub).unwrap();
    let err = RetrieveSession::new("fcsess_1").send(&client).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert!(!api.is_from_stripe());
    let text = err.to_string();
    assert!(
        text.starts_with(
            "HTTP 502 with a body that is not a Stripe API error (a proxy or load balancer may have answered): <html>"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn a_transport_failure_prints_each_cause_once() {
    let stub = StubTransport::new();
    stub.fail(Method::Get, SESSION, Failure::Timeout);
    let client = stubbed("sk_test_123", &stub).unwrap();
    let err = RetrieveSession::new("fcsess_1").send(&client).await.unwrap_err();
    // what an error reporter prints (anyhow's `{:#}`): the error, then each source
    let mut chain = vec![err.to_string()];
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    assert!(chain[0].starts_with("request failed: timed out (after 3 attempts)"), "{chain:?}");
    assert!(chain.len() >= 2, "the cause is the source: {chain:?}");
    for (i, cause) in chain.iter().enumerate().skip(1) {
        assert!(!chain[..i].iter().any(|before| before.contains(cause.as_str())), "printed twice: {chain:?}");
    }
}

/// Stripe adds parameters before a crate catches up: a typed request takes them as extra
/// parameters, encoded as Stripe's form, in the body of a POST and the query of a GET.
#[tokio::test]
async fn a_parameter_the_crate_does_not_have_goes_out_with_extra_param() {
    let stub = StubTransport::new();
    stub.respond(Method::Get, SESSION, 200, json!({}));
    let client = stubbed("sk_test_123", &stub).unwrap();
    let options = RequestOptions::new()
        .extra_param("hosted", json!({"return_url": "https://example.com/done"}))
        .extra_param("ui_mode", "hosted");
    let _ = client.send(&RetrieveSession::new("fcsess_1"), &options).await;
    let sent = &stub.requests()[0];
    assert_eq!(sent.query("hosted[return_url]"), Some("https://example.com/done"));
    assert_eq!(sent.query("ui_mode"), Some("hosted"));
}

/// Any endpoint, typed or not, with the client's headers, retries and errors.
#[tokio::test]
async fn raw_request_reaches_any_endpoint_as_the_typed_requests_do() {
    let stub = StubTransport::new();
    let path = "/v1/financial_connections/accounts/fca_1/inferred_balances";
    stub.fail(Method::Post, path, Failure::ConnectionRefused).respond(
        Method::Post,
        path,
        200,
        json!({"object": "list", "data": []}),
    );
    let client = stubbed("sk_test_123", &stub).unwrap();
    let params = json!({"limit": 3, "expand": ["data.account"], "filter": {"currency": "usd"}});
    let answer = client.raw_request(Method::Post, path, &params, &RequestOptions::new()).await.unwrap();
    assert_eq!(answer.value["object"], "list");
    let requests = stub.requests();
    assert_eq!(requests.len(), 2, "the network failure was retried");
    let first = &requests[0];
    assert_eq!(first.form("limit"), Some("3"));
    assert_eq!(first.form("expand[0]"), Some("data.account"));
    assert_eq!(first.form("filter[currency]"), Some("usd"));
    // a raw request is of no crate's types: the account's default version unless one is named
    assert_eq!(first.header("stripe-version"), None);
    let key = first.header("idempotency-key");
    assert!(key.is_some() && key == requests[1].header("idempotency-key"), "the retry repeats the key");
    let versioned = RequestOptions::new().api_version(stripe_financial_connections::API_VERSION);
    client.raw_request(Method::Post, path, &params, &versioned).await.unwrap();
    let last = stub.requests().pop().unwrap();
    assert_eq!(last.header("stripe-version"), Some(stripe_financial_connections::API_VERSION));

    stub.respond(
        Method::Get,
        "/v1/nowhere",
        404,
        json!({"error": {"type": "invalid_request_error", "message": "Unrecognized request URL"}}),
    );
    let err = client.raw_request(Method::Get, "/v1/nowhere", &json!(null), &RequestOptions::new()).await.unwrap_err();
    assert!(matches!(&err, Error::Api(api) if api.status == 404 && api.is_from_stripe()), "{err:?}");
    let err = client.raw_request(Method::Get, "v1/x", &json!({}), &RequestOptions::new()).await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("does not start with `/`")), "{err:?}");
}

/// Beside Stripe's SDKs: `Stripe-Context` per client and per request, and
/// `X-Stripe-Client-Telemetry` (the previous request's id and duration), on by default and
/// off on request.
#[tokio::test]
async fn stripe_context_and_telemetry_are_sent_as_stripes_sdks_send_them() {
    let stub = StubTransport::new();
    stub.respond(Method::Get, SESSION, 200, json!({}));
    let client = Client::builder("sk_test_123").transport(stub.clone()).stripe_context("ctx_client").build().unwrap();
    let _ = RetrieveSession::new("fcsess_1").send(&client).await;
    let _ = client.send(&RetrieveSession::new("fcsess_1"), &RequestOptions::new().stripe_context("ctx_request")).await;
    let requests = stub.requests();
    assert_eq!(requests[0].header("stripe-context"), Some("ctx_client"));
    assert_eq!(requests[1].header("stripe-context"), Some("ctx_request"));
    assert_eq!(requests[0].header("x-stripe-client-telemetry"), None, "no request before the first");
    let telemetry: serde_json::Value =
        serde_json::from_str(requests[1].header("x-stripe-client-telemetry").expect("telemetry")).unwrap();
    assert_eq!(telemetry["last_request_metrics"]["request_id"], "req_stub");
    assert!(telemetry["last_request_metrics"]["request_duration_ms"].is_u64(), "{telemetry}");

    let quiet = StubTransport::new();
    quiet.respond(Method::Get, SESSION, 200, json!({}));
    let client = Client::builder("sk_test_123").transport(quiet.clone()).telemetry(false).build().unwrap();
    let _ = RetrieveSession::new("fcsess_1").send(&client).await;
    let _ = RetrieveSession::new("fcsess_1").send(&client).await;
    assert!(quiet.requests().iter().all(|r| r.header("x-stripe-client-telemetry").is_none()));
}
