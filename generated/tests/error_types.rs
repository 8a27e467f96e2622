//! A request's error decodes as the spec's `ErrorObject` whatever resource features are on: the
//! error types are in `shared`, compiled with every resource's feature. CI runs this file with
//! only `financial_connections_transaction` on (`--no-default-features --features
//! client,financial_connections_transaction`), where they were once an untyped stand-in.
#![cfg(all(feature = "client", feature = "financial_connections_transaction"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use std::time::Duration;
use stripe_financial_connections::{Client, Error, ErrorObject, RetrieveTransaction};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_transaction_requests_error_decodes_typed() {
    let server = MockServer::start().await;
    let body = json!({"error": {"type": "invalid_request_error", "code": "resource_missing",
                                "message": "No such transaction: 'fctxn_404'", "param": "transaction"}});
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(404).set_body_json(body)).mount(&server).await;
    let client = Client::builder("sk_test_123")
        .base_url(server.uri())
        .retry_delays(Duration::ZERO, Duration::ZERO)
        .build()
        .unwrap();
    let err = RetrieveTransaction::new("fctxn_404").send(&client).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    let typed: ErrorObject = api.body_as().unwrap();
    assert_eq!(typed.error.message.as_deref(), Some("No such transaction: 'fctxn_404'"));
    assert_eq!(typed.error.code.as_deref(), Some("resource_missing"));
}
