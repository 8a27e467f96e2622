//! The `tracing` feature against a server on 127.0.0.1: a span per request with its method,
//! path, operation, final status, request id and attempts; an event per attempt and per retry;
//! and never the API key, the query string or a body in anything recorded.
#![cfg(all(feature = "tracing", feature = "client"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::{Debug, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use stripe_financial_connections::{Client, ListAccounts, RequestOptions};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A subscriber that writes every span, record and event as a line; an event's line ends
/// with the span it happened in (`in=stripe.request`).
#[derive(Clone, Default)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
    ids: Arc<AtomicU64>,
    names: Arc<Mutex<Vec<&'static str>>>,
    entered: Arc<Mutex<Vec<u64>>>,
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Recorder {
    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields(String::new());
        span.record(&mut fields);
        self.push(format!("span {}{}", span.metadata().name(), fields.0));
        self.names.lock().unwrap().push(span.metadata().name());
        Id::from_u64(self.ids.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut fields = Fields(String::new());
        values.record(&mut fields);
        self.push(format!("record{}", fields.0));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        let inside = self.entered.lock().unwrap().last().map(|id| self.names.lock().unwrap()[*id as usize - 1]);
        self.push(format!("event {}{} in={}", event.metadata().level(), fields.0, inside.unwrap_or("-")));
    }
    fn enter(&self, id: &Id) {
        self.entered.lock().unwrap().push(id.into_u64());
    }
    fn exit(&self, _: &Id) {
        self.entered.lock().unwrap().pop();
    }
}

const KEY: &str = "sk_test_never_logged";
const OTHER_KEY: &str = "rk_test_never_logged_either";

#[tokio::test(flavor = "current_thread")]
async fn a_retried_request_is_one_span_with_an_event_per_attempt_and_retry() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let server = MockServer::start().await;
    let accounts = serde_json::json!({"object": "list", "url": "/v1/financial_connections/accounts", "has_more": false, "data": []});
    Mock::given(method("GET"))
        .and(path("/v1/financial_connections/accounts"))
        .respond_with(ResponseTemplate::new(503).insert_header("request-id", "req_first"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/financial_connections/accounts"))
        .respond_with(ResponseTemplate::new(200).insert_header("request-id", "req_second").set_body_json(&accounts))
        .mount(&server)
        .await;
    let client = Client::builder(KEY)
        .base_url(server.uri())
        .retry_delays(Duration::from_millis(1), Duration::from_millis(1))
        .build()
        .unwrap();
    let options = RequestOptions::new().api_key(OTHER_KEY);
    client.send(&ListAccounts::new().session("fcsess_secret_filter"), &options).await.unwrap();

    let lines = recorder.lines.lock().unwrap().clone();
    let text = lines.join("\n");
    let find =
        |prefix: &str| lines.iter().position(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("{prefix}:\n{text}"));
    let span = find(
        r#"span stripe.request method="GET" path="/v1/financial_connections/accounts" operation="GetFinancialConnectionsAccounts""#,
    );
    let first =
        find(r#"event DEBUG message=Stripe answered attempt=1 status=503 request_id="req_first" in=stripe.request"#);
    let retry = find("event INFO message=retrying attempt=1 delay_ms=1 in=stripe.request");
    let second =
        find(r#"event DEBUG message=Stripe answered attempt=2 status=200 request_id="req_second" in=stripe.request"#);
    assert!(span < first && first < retry && retry < second, "in order:\n{text}");
    // the span ends with the final status, request id and attempts
    for record in ["record status=200", "record attempts=2", r#"record request_id="req_second""#] {
        assert!(lines[retry..].iter().any(|l| l == record), "{record}:\n{text}");
    }
    for secret in [KEY, OTHER_KEY, "fcsess_secret_filter", "has_more"] {
        assert!(!text.contains(secret), "`{secret}` was recorded:\n{text}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_failed_attempt_is_an_event_without_the_url() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    // nothing listens on this port: every attempt is refused
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder(KEY).base_url(format!("http://{address}")).max_retries(0).build().unwrap();
    let err = client.send(&ListAccounts::new().session("fcsess_secret_filter"), &RequestOptions::new()).await;
    assert!(err.is_err());
    let text = recorder.lines.lock().unwrap().join("\n");
    assert!(text.contains("event DEBUG message=no answer attempt=1 timeout=false connect=true error=error sending request in=stripe.request"), "{text}");
    assert!(!text.contains("fcsess_secret_filter") && !text.contains(KEY), "{text}");
}
