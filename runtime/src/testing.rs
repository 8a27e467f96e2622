//! Testing code that calls Stripe, without Stripe and without a server: a [`StubTransport`]
//! answers each request from fixtures (Stripe's JSON, as the API reference shows it) and
//! records what was sent, for assertions.
//!
//! The seam is the transport, not the request types: the client's whole path still runs
//! (encoding, headers, retries, decoding into the generated types, Stripe's errors), so a
//! test sees what production does, and responses are written as Stripe's JSON rather than
//! built by hand (the generated types are `#[non_exhaustive]` and come from JSON).
//!
//! ```text
//! let stub = StubTransport::new();
//! stub.respond(Method::Get, "/v1/financial_connections/accounts", 200, json!({
//!     "object": "list", "url": "/v1/financial_connections/accounts", "has_more": false, "data": [],
//! }));
//! let client = Client::builder("sk_test_123").transport(stub.clone()).build()?;
//! my_handler(&client).await?;
//! assert_eq!(stub.requests()[0].query("session"), Some("fcsess_123"));
//! ```

use crate::Method;
use crate::error::TransportError;
use crate::transport::{BoxFuture, HttpRequest, HttpResponse, Transport};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

/// A [`Transport`] that answers from fixtures and records every request. Clones share both,
/// so a test keeps one and gives the other to [`ClientBuilder::transport`](crate::ClientBuilder::transport).
///
/// Answers are kept per method and path (the query string aside) and given in the order they
/// were added; the last one is given again for every later request. A request with no answer
/// gets a 404 in Stripe's error format that says which request it was.
#[derive(Clone, Debug, Default)]
pub struct StubTransport {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    answers: Vec<(Method, String, VecDeque<Answer>)>,
    requests: Vec<RecordedRequest>,
}

#[derive(Debug, Clone)]
enum Answer {
    Response(HttpResponse),
    /// A simulated network failure.
    Failure(Failure),
}

impl StubTransport {
    /// A stub with no answers.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // a test that panicked while holding the lock left nothing half-written
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn push(&self, method: Method, path: &str, answer: Answer) -> &Self {
        let mut state = self.state();
        match state.answers.iter_mut().find(|(m, p, _)| *m == method && p == path) {
            Some((_, _, queue)) => queue.push_back(answer),
            None => state.answers.push((method, path.to_owned(), VecDeque::from([answer]))),
        }
        drop(state);
        self
    }

    /// Answers `method path` with `status` and `body` (JSON, such as Stripe's example
    /// response, or Stripe's `{"error": {..}}` for an error).
    pub fn respond(&self, method: Method, path: &str, status: u16, body: serde_json::Value) -> &Self {
        let response = HttpResponse::new(status, body.to_string())
            .with_header("Content-Type", "application/json")
            .with_header("Request-Id", "req_stub");
        self.push(method, path, Answer::Response(response))
    }

    /// Answers `method path` with `response` as it is (headers such as `Stripe-Should-Retry`,
    /// a body that is not JSON).
    pub fn respond_with(&self, method: Method, path: &str, response: HttpResponse) -> &Self {
        self.push(method, path, Answer::Response(response))
    }

    /// Fails `method path` as a network failure would. The client retries it as it would the
    /// real one.
    pub fn fail(&self, method: Method, path: &str, failure: Failure) -> &Self {
        self.push(method, path, Answer::Failure(failure))
    }

    /// Every request sent so far, oldest first (each attempt of a retried request).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }
}

impl Transport for StubTransport {
    fn send(
        &self,
        request: HttpRequest,
        _max_body_bytes: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let recorded = RecordedRequest::new(request);
        let mut state = self.state();
        let answer = state
            .answers
            .iter_mut()
            .find(|(m, p, _)| *m == recorded.method && *p == recorded.path)
            .and_then(|(_, _, queue)| if queue.len() > 1 { queue.pop_front() } else { queue.front().cloned() });
        let answer = answer.unwrap_or_else(|| Answer::Response(no_answer(&recorded)));
        state.requests.push(recorded);
        drop(state);
        Box::pin(async move {
            match answer {
                Answer::Response(response) => Ok(response),
                Answer::Failure(Failure::Timeout) => Err(TransportError::timeout("the stub timed out")),
                Answer::Failure(Failure::ConnectionRefused) => {
                    Err(TransportError::connect("the stub refused the connection"))
                }
            }
        })
    }
}

/// A network failure [`StubTransport::fail`] simulates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// The attempt runs out of time ([`TransportError::is_timeout`]).
    Timeout,
    /// No connection can be made ([`TransportError::is_connect`]).
    ConnectionRefused,
}

/// The 404 for a request the stub has no answer for, in Stripe's error format.
fn no_answer(request: &RecordedRequest) -> HttpResponse {
    let message =
        format!("StubTransport has no answer for {} {}: add one with `respond`", request.method.as_str(), request.path);
    let body = serde_json::json!({ "error": { "type": "invalid_request_error", "message": message } });
    HttpResponse::new(404, body.to_string()).with_header("Request-Id", "req_stub_no_answer")
}

/// A request as the stub saw it, with its query and form parameters decoded. `Debug` shows
/// every header but `Authorization`.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path, without the query string (`/v1/financial_connections/accounts`).
    pub path: String,
    /// The query parameters, in order (`account_holder[customer]` as Stripe spells it); one
    /// by name with [`RecordedRequest::query`].
    pub query_params: Vec<(String, String)>,
    /// The form parameters of the body, in order; one by name with [`RecordedRequest::form`].
    pub form_params: Vec<(String, String)>,
    /// The headers, `Authorization` included.
    pub headers: Vec<(String, String)>,
}

impl std::fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query_params", &self.query_params)
            .field("form_params", &self.form_params)
            .field("headers", &crate::transport::Redacted(&self.headers))
            .finish()
    }
}

impl RecordedRequest {
    fn new(request: HttpRequest) -> Self {
        let after_host = request.url.split_once("://").map_or(request.url.as_str(), |(_, rest)| rest);
        let path_and_query = after_host.find('/').map_or("/", |at| &after_host[at..]);
        let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
        let pairs = |bytes: &[u8]| form_urlencoded::parse(bytes).into_owned().collect::<Vec<_>>();
        let is_form =
            request.header("content-type").is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        RecordedRequest {
            method: request.method,
            path: path.to_owned(),
            query_params: pairs(query.as_bytes()),
            form_params: if is_form { request.body.as_deref().map(pairs).unwrap_or_default() } else { Vec::new() },
            headers: request.headers,
        }
    }

    /// The first value of the query parameter `name`.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query_params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The first value of the form parameter `name`.
    pub fn form(&self, name: &str) -> Option<&str> {
        self.form_params.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The value of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::transport::header_value(&self.headers, name)
    }
}
