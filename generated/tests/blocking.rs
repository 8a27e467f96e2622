//! The blocking client against a server on 127.0.0.1, from plain threads with no runtime of
//! their own: a request, a retried request, pagination as an iterator, use from two threads
//! at once, and a call from inside an async runtime refused with an error, not a panic.
#![cfg(feature = "blocking")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;
use stripe_financial_connections::blocking::BlockingClient;
use stripe_financial_connections::{Client, Error, ListAccounts, RequestOptions, RetrieveSession};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SESSION: &str = include_str!("fixtures/seed_session.json");

/// A server on its own runtime, which the test thread does not run in.
fn server() -> (tokio::runtime::Runtime, MockServer) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = runtime.block_on(MockServer::start());
    (runtime, server)
}

fn client(server: &MockServer) -> BlockingClient {
    let builder = Client::builder("sk_test_123")
        .base_url(server.uri())
        .retry_delays(Duration::from_millis(1), Duration::from_millis(1));
    BlockingClient::from_builder(builder).unwrap()
}

fn accounts(ids: &[&str], has_more: bool) -> serde_json::Value {
    let data: Vec<serde_json::Value> = ids
        .iter()
        .map(|id| {
            serde_json::json!({
                "id": id, "object": "financial_connections.account", "category": "cash", "created": 1,
                "institution_name": "StripeBank", "livemode": false, "status": "active",
                "subcategory": "checking", "supported_payment_method_types": ["us_bank_account"]
            })
        })
        .collect();
    serde_json::json!({"object": "list", "url": "/v1/financial_connections/accounts", "has_more": has_more, "data": data})
}

#[test]
fn a_request_blocks_until_stripe_answers_and_retries_as_async_does() {
    let (runtime, server) = server();
    runtime.block_on(async {
        Mock::given(method("GET"))
            .and(path("/v1/financial_connections/sessions/fcsess_1"))
            .respond_with(ResponseTemplate::new(500))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/financial_connections/sessions/fcsess_1"))
            .respond_with(ResponseTemplate::new(200).insert_header("request-id", "req_2").set_body_string(SESSION))
            .mount(&server)
            .await;
    });
    let response = client(&server).send_full(&RetrieveSession::new("fcsess_1"), &RequestOptions::new()).unwrap();
    assert_eq!(response.value.id, "fcsess_1MwtnGLkdIwHu7ixs7NPQ7dq");
    assert_eq!(response.request_id.as_deref(), Some("req_2"));
    assert_eq!(runtime.block_on(server.received_requests()).unwrap().len(), 2);
}

#[test]
fn pagination_is_an_iterator_and_two_threads_share_a_client() {
    let (runtime, server) = server();
    runtime.block_on(async {
        Mock::given(method("GET"))
            .and(path("/v1/financial_connections/accounts"))
            .and(query_param("starting_after", "fca_2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(accounts(&["fca_3"], false)))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/v1/financial_connections/accounts"))
            .respond_with(ResponseTemplate::new(200).set_body_json(accounts(&["fca_1", "fca_2"], true)))
            .mount(&server)
            .await;
    });
    let client = client(&server);
    let walk = |client: &BlockingClient| -> Vec<String> {
        client.paginate(&ListAccounts::new().session("fcsess_1")).map(|a| a.unwrap().id).collect()
    };
    assert_eq!(walk(&client), ["fca_1", "fca_2", "fca_3"]);
    let other = client.clone();
    let thread = std::thread::spawn(move || walk(&other));
    assert_eq!(walk(&client), ["fca_1", "fca_2", "fca_3"]);
    assert_eq!(thread.join().unwrap(), ["fca_1", "fca_2", "fca_3"]);
}

#[test]
fn a_blocking_call_inside_an_async_runtime_is_an_error_not_a_panic() {
    let (runtime, server) = server();
    let client = client(&server);
    let result = runtime.block_on(async { client.send(&RetrieveSession::new("fcsess_1"), &RequestOptions::new()) });
    match result {
        Err(Error::Config(message)) => assert!(message.contains("use `Client` and `.await`"), "{message}"),
        other => panic!("{other:?}"),
    }
}

/// Dropped inside an async runtime, the client's own runtime shuts down without blocking:
/// made in sync code and dropped in async code, and made and dropped in a `#[tokio::test]`.
#[test]
fn a_blocking_client_dropped_inside_an_async_runtime_does_not_panic() {
    let made_outside = BlockingClient::new("sk_test_123").unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async move { drop(made_outside) });
    runtime.block_on(async {
        let made_inside = BlockingClient::new("sk_test_123").unwrap();
        let clone = made_inside.clone();
        drop(made_inside);
        drop(clone);
    });
}

#[tokio::test]
async fn a_blocking_client_made_and_dropped_in_a_tokio_test_does_not_panic() {
    let client = BlockingClient::new("sk_test_123").unwrap();
    drop(client);
}
