//! The client against a real HTTP server on 127.0.0.1 (wiremock): exact requests, retries,
//! idempotency, timeouts, and every kind of error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::seed_request;
use std::time::Duration;
use stripe_financial_connections::{
    API_VERSION, AccountholderType, Client, CreateSession, CreateSessionAccountHolder, CreateSessionFilters, Error,
    ErrorObject, ErrorType, FileUpload, FormEncoder, ListAccounts, Method, Permission, RequestOptions, RetrieveSession,
    StripeRequest, Subcategory,
};
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
const SEED_BODY: &str = "account_holder[type]=customer&account_holder[customer]=cus_NiKSWdaFz2F6I0\
    &permissions[0]=payment_method&permissions[1]=balances&filters[countries][0]=US";
const SESSION: &str = include_str!("fixtures/seed_session.json");

fn client(server: &MockServer) -> Client {
    Client::builder(KEY)
        .base_url(server.uri())
        .retry_delays(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .expect("client")
}

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("content-type", "application/json").set_body_string(body)
}

fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn seed_request_is_sent_exactly() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/financial_connections/sessions"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .and(header("stripe-version", API_VERSION))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(SEED_BODY))
        .respond_with(json(200, SESSION).insert_header("request-id", "req_1"))
        .expect(1)
        .mount(&server)
        .await;
    let session = seed_request().send(&client(&server)).await.unwrap();
    assert_eq!(session.id, "fcsess_1MwtnGLkdIwHu7ixs7NPQ7dq");
    assert_eq!(session.client_secret.as_deref(), Some("fcsess_client_secret_KRJTKvCY3IKoYTrW18EazcO3"));
    let requests = received(&server).await;
    let key = header_of(&requests[0], "idempotency-key").expect("a POST carries an idempotency key");
    assert_eq!(key.split('-').map(str::len).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{key}");
    let agent = header_of(&requests[0], "user-agent").unwrap();
    assert!(agent.starts_with("stripe-runtime/"), "{agent}"); // the runtime every generated crate shares
    assert_eq!(header_of(&requests[0], "stripe-account"), None);
}

#[tokio::test]
async fn every_parameter_and_per_request_options_are_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(json(200, SESSION)).mount(&server).await;
    let holder = CreateSessionAccountHolder::new(AccountholderType::Account).account("acct_1");
    let options = RequestOptions::new()
        .stripe_account("acct_connected")
        .idempotency_key("my-key-1")
        .api_version("2025-01-27.acacia");
    CreateSession::new(holder, vec![Permission::Transactions])
        .filters(
            CreateSessionFilters::new().account_subcategories(vec![Subcategory::Savings, Subcategory::LineOfCredit]),
        )
        .return_url("https://example.com/done?x=a b&y=ü")
        .send_with(&client(&server), &options)
        .await
        .unwrap();
    let request = &received(&server).await[0];
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "account_holder[type]=account&account_holder[account]=acct_1&permissions[0]=transactions\
         &filters[account_subcategories][0]=savings&filters[account_subcategories][1]=line_of_credit\
         &return_url=https%3A%2F%2Fexample.com%2Fdone%3Fx%3Da+b%26y%3D%C3%BC"
    );
    assert_eq!(header_of(request, "stripe-account"), Some("acct_connected"));
    assert_eq!(header_of(request, "idempotency-key"), Some("my-key-1"));
    assert_eq!(header_of(request, "stripe-version"), Some("2025-01-27.acacia"));
}

#[tokio::test]
async fn client_wide_account_and_version() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(json(200, SESSION)).mount(&server).await;
    let client =
        Client::builder(KEY).base_url(server.uri()).stripe_account("acct_9").api_version("2024-06-20").build().unwrap();
    RetrieveSession::new("fcsess_1").send(&client).await.unwrap();
    let request = &received(&server).await[0];
    assert_eq!(header_of(request, "stripe-account"), Some("acct_9"));
    assert_eq!(header_of(request, "stripe-version"), Some("2024-06-20"));
}

#[tokio::test]
async fn retrieve_with_expand_is_a_get_without_idempotency_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/financial_connections/sessions/fcsess_123"))
        .and(query_param("expand[0]", "accounts.data.ownership"))
        .respond_with(json(200, SESSION))
        .expect(1)
        .mount(&server)
        .await;
    let session =
        RetrieveSession::new("fcsess_123").expand(["accounts.data.ownership"]).send(&client(&server)).await.unwrap();
    assert!(!session.accounts.has_more);
    let request = &received(&server).await[0];
    assert_eq!(request.url.query(), Some("expand[0]=accounts.data.ownership"));
    assert_eq!(header_of(request, "idempotency-key"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn retries_a_500_with_the_same_key_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(500, r#"{"error":{"type":"api_error"}}"#))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(json(200, SESSION)).mount(&server).await;
    seed_request().send(&client(&server)).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(header_of(&requests[0], "idempotency-key"), header_of(&requests[1], "idempotency-key"));
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(String::from_utf8_lossy(&requests[1].body), SEED_BODY);
}

#[tokio::test]
async fn retries_a_409() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(409, r#"{"error":{"type":"idempotency_error"}}"#))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(json(200, SESSION)).mount(&server).await;
    seed_request().send(&client(&server)).await.unwrap();
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn does_not_retry_a_400() {
    let server = MockServer::start().await;
    let body = r#"{"error":{"type":"invalid_request_error","code":"parameter_missing","message":"Missing required param: permissions.","param":"permissions","doc_url":"https://stripe.com/docs/error-codes/parameter-missing"}}"#;
    Mock::given(method("POST"))
        .respond_with(json(400, body).insert_header("request-id", "req_400"))
        .mount(&server)
        .await;
    let err = seed_request().send(&client(&server)).await.unwrap_err();
    assert_eq!(received(&server).await.len(), 1);
    let Error::Api(api) = &err else { panic!("expected an API error, got {err:?}") };
    assert_eq!(api.status, 400);
    assert_eq!(api.error_type.as_ref().map(ErrorType::as_str), Some("invalid_request_error"));
    assert_eq!(api.code.as_deref(), Some("parameter_missing"));
    assert_eq!(api.param.as_deref(), Some("permissions"));
    assert_eq!(api.doc_url.as_deref(), Some("https://stripe.com/docs/error-codes/parameter-missing"));
    assert_eq!(api.request_id.as_deref(), Some("req_400"));
    assert_eq!(api.attempts, 1);
    let typed: ErrorObject = api.body_as().expect("the spec's error type decodes");
    assert_eq!(typed.error.message.as_deref(), Some("Missing required param: permissions."));
    assert_eq!(
        err.to_string(),
        "Stripe API error 400 invalid_request_error (code: parameter_missing, param: permissions): \
         Missing required param: permissions. [request req_400]"
    );
}

#[tokio::test]
async fn a_402_card_error_carries_the_decline_code() {
    let server = MockServer::start().await;
    let body = r#"{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds.","request_log_url":"https://dashboard.stripe.com/logs/req_402"}}"#;
    Mock::given(method("POST"))
        .respond_with(json(402, body).insert_header("request-id", "req_402"))
        .mount(&server)
        .await;
    let err = seed_request().send(&client(&server)).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("expected an API error, got {err:?}") };
    assert_eq!(
        (api.status, api.error_type.as_ref().map(ErrorType::as_str), api.code.as_deref()),
        (402, Some("card_error"), Some("card_declined"))
    );
    assert_eq!(api.decline_code.as_deref(), Some("insufficient_funds"));
    assert_eq!(api.message.as_deref(), Some("Your card has insufficient funds."));
    assert_eq!(api.request_log_url.as_deref(), Some("https://dashboard.stripe.com/logs/req_402"));
    assert_eq!(err.request_id(), Some("req_402"));
    assert_eq!(err.status(), Some(402));
}

#[tokio::test]
async fn stripe_should_retry_header_wins() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(503, r#"{"error":{"type":"api_error"}}"#).insert_header("stripe-should-retry", "false"))
        .mount(&server)
        .await;
    let err = seed_request().send(&client(&server)).await.unwrap_err();
    assert_eq!(received(&server).await.len(), 1, "Stripe-Should-Retry: false forbids a retry");
    assert_eq!(err.status(), Some(503));

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(400, r#"{"error":{"type":"api_error"}}"#).insert_header("stripe-should-retry", "true"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(json(200, SESSION)).mount(&server).await;
    seed_request().send(&client(&server)).await.unwrap();
    assert_eq!(received(&server).await.len(), 2, "Stripe-Should-Retry: true retries even a 400");
}

#[tokio::test]
async fn retries_are_exhausted_then_the_last_error_is_returned() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(500, r#"{"error":{"type":"api_error","message":"boom"}}"#))
        .mount(&server)
        .await;
    let err = seed_request().send(&client(&server)).await.unwrap_err();
    assert_eq!(received(&server).await.len(), 3, "one try and the two default retries");
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.attempts, 3);
    assert!(err.to_string().ends_with("(after 3 attempts)"), "{err}");

    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(json(500, "{}")).mount(&server).await;
    let _ = seed_request().send_with(&client(&server), &RequestOptions::new().max_retries(0)).await.unwrap_err();
    assert_eq!(received(&server).await.len(), 1, "max_retries(0) disables retries");
}

#[tokio::test]
async fn a_slow_server_times_out_and_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(json(200, SESSION).set_delay(Duration::from_secs(5))).mount(&server).await;
    let options = RequestOptions::new().timeout(Duration::from_millis(100)).max_retries(1);
    let err = RetrieveSession::new("fcsess_1").send_with(&client(&server), &options).await.unwrap_err();
    let Error::Transport { source, attempts } = &err else { panic!("expected a transport error, got {err:?}") };
    assert!(source.is_timeout(), "{source}");
    assert_eq!(*attempts, 2);
    assert!(err.to_string().contains("after 2 attempts"), "{err}");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // a port that was just free: nothing listens on it
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder(KEY).base_url(format!("http://127.0.0.1:{port}")).max_retries(0).build().unwrap();
    let err = RetrieveSession::new("fcsess_1").send(&client).await.unwrap_err();
    let Error::Transport { source, attempts: 1 } = &err else { panic!("{err:?}") };
    assert!(source.is_connect(), "{source}");
    assert!(err.to_string().ends_with("(not retried)"), "{err}");
}

/// A raw TCP server on 127.0.0.1 that does `answer` on each of up to 16 connections, counting them.
fn tcp_server(answer: fn(std::net::TcpStream)) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(16).flatten() {
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            answer(stream);
        }
    });
    (url, count)
}

/// A server that accepts connections and closes them at once.
fn closing_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    tcp_server(drop)
}

#[tokio::test]
async fn an_interrupted_connection_is_retried_only_as_the_rules_allow() {
    let (url, count) = closing_server();
    let client = Client::builder(KEY)
        .base_url(&url)
        .retry_delays(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    let err = seed_request().send(&client).await.unwrap_err();
    let Error::Transport { attempts, .. } = &err else { panic!("{err:?}") };
    assert_eq!(*attempts, 3, "a closed connection is a connection error: the default two retries");
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 3);

    let (url, count) = closing_server();
    let client = Client::builder(KEY).base_url(&url).max_retries(0).build().unwrap();
    let err = RetrieveSession::new("x").send(&client).await.unwrap_err();
    assert!(matches!(err, Error::Transport { attempts: 1, .. }), "{err:?}");
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 1, "no retries when they are off");
}

/// A server that answers with a status, headers and half a body, then closes the connection.
fn cut_off_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read, Write};
    tcp_server(|mut stream| {
        let mut request = [0u8; 8192];
        let _ = stream.read(&mut request);
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n{\"id\":");
    })
}

/// Found by the load bench: a connection that closes mid-response failed after the request
/// went out, and is retried as a refused one is (a POST with its idempotency key).
#[tokio::test]
async fn a_response_cut_off_mid_body_is_retried() {
    let (url, count) = cut_off_server();
    let client = Client::builder(KEY)
        .base_url(&url)
        .retry_delays(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    let err = seed_request().send(&client).await.unwrap_err();
    assert!(matches!(err, Error::Transport { attempts: 3, .. }), "{err:?}");
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 3);
}

#[tokio::test]
async fn malformed_and_mistyped_bodies_are_decode_errors_with_a_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/financial_connections/sessions/bad_json"))
        .respond_with(json(200, "{\"id\": \"fcsess_1\", ").insert_header("request-id", "req_bad"))
        .mount(&server)
        .await;
    let wrong_type = SESSION.replace("\"livemode\": false", "\"livemode\": \"no\"");
    Mock::given(method("GET"))
        .and(path("/v1/financial_connections/sessions/wrong_type"))
        .respond_with(json(200, &wrong_type))
        .mount(&server)
        .await;
    let nested = SESSION.replace("\"has_more\": false", "\"has_more\": 7");
    Mock::given(method("GET"))
        .and(path("/v1/financial_connections/sessions/nested"))
        .respond_with(json(200, &nested))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/financial_connections/sessions/html"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>gateway</html>"))
        .mount(&server)
        .await;

    let client = client(&server);
    let err = RetrieveSession::new("bad_json").send(&client).await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert_eq!(d.request_id.as_deref(), Some("req_bad"));
    assert!(d.message.contains("EOF"), "{}", d.message);

    let err = RetrieveSession::new("wrong_type").send(&client).await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert_eq!(d.path, "livemode");
    assert!(err.to_string().contains("at `livemode`"), "{err}");

    let err = RetrieveSession::new("nested").send(&client).await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert_eq!(d.path, "accounts.has_more");

    let err = RetrieveSession::new("html").send(&client).await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert_eq!(d.snippet, "<html>gateway</html>");
}

#[tokio::test]
async fn an_error_body_that_is_not_json_keeps_its_text() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_string("Bad Gateway"))
        .mount(&server)
        .await;
    let err =
        RetrieveSession::new("x").send_with(&client(&server), &RequestOptions::new().max_retries(0)).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(
        (api.status, api.message.as_deref(), api.error_type.as_ref().map(ErrorType::as_str)),
        (502, Some("Bad Gateway"), None)
    );
}

#[tokio::test]
async fn a_huge_body_is_refused_not_buffered() {
    let server = MockServer::start().await;
    let huge = format!("{{\"id\": \"{}\"}}", "x".repeat(64 * 1024));
    Mock::given(method("GET")).respond_with(json(200, &huge)).mount(&server).await;
    let client = Client::builder(KEY).base_url(server.uri()).max_body_bytes(16 * 1024).build().unwrap();
    let err = RetrieveSession::new("x").send(&client).await.unwrap_err();
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert!(d.message.contains("larger than 16384 bytes"), "{}", d.message);
}

#[tokio::test]
async fn unknown_fields_and_values_in_a_response_are_fine() {
    let server = MockServer::start().await;
    let body = SESSION
        .replace("\"payment_method\"", "\"payment_method\", \"new_permission\"")
        .replace("\"livemode\"", "\"added_later\": [1, 2], \"livemode\"");
    Mock::given(method("GET")).respond_with(json(200, &body)).mount(&server).await;
    let session = RetrieveSession::new("fcsess_1").send(&client(&server)).await.unwrap();
    assert_eq!(session.permissions.last(), Some(&Permission::Unknown("new_permission".into())));
}

/// A hand-written upload request, as the generator writes one for `multipart/form-data` bodies.
struct Upload(FileUpload);

impl StripeRequest for Upload {
    type Response = serde_json::Value;
    type ErrorBody = serde_json::Value;
    const API_VERSION: &'static str = API_VERSION;
    const METHOD: Method = Method::Post;
    const OPERATION_ID: &'static str = "PostFiles";
    const MULTIPART: bool = true;
    const SERVER: Option<&'static str> = Some("https://files.stripe.com");
    fn path(&self) -> Result<String, Error> {
        Ok("/v1/files".to_owned())
    }
    fn encode_body(&self, form: &mut FormEncoder) {
        form.field("purpose", "dispute_evidence");
        form.file("file", Some(&self.0));
    }
}

#[tokio::test]
async fn multipart_uploads_go_to_the_configured_server_and_are_retried_intact() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(json(500, "{}")).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST"))
        .and(path("/v1/files"))
        .respond_with(json(200, r#"{"id":"file_1"}"#))
        .mount(&server)
        .await;
    let file = FileUpload::new("evidence.pdf", b"%PDF-1.4 binary \x00\xff".to_vec()).content_type("application/pdf");
    let response = client(&server).send(&Upload(file), &RequestOptions::new()).await.unwrap();
    assert_eq!(response["id"], "file_1");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body, "a retry resends the same bytes");
    assert_eq!(header_of(&requests[0], "idempotency-key"), header_of(&requests[1], "idempotency-key"));
    let content_type = header_of(&requests[1], "content-type").unwrap();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(content_type);
    let body = &requests[1].body;
    assert!(body.starts_with(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"").as_bytes()));
    assert!(body.windows(4).any(|w| w == b"\x00\xff\r\n"), "binary contents are sent untouched");
    assert!(body.ends_with(format!("--{boundary}--\r\n").as_bytes()));
}

/// A hand-written PUT request, as the generator writes one for `PUT /v1/account/logout`
/// (Stripe's specs of 2019–2021).
struct Logout;

impl StripeRequest for Logout {
    type Response = serde_json::Value;
    type ErrorBody = serde_json::Value;
    const API_VERSION: &'static str = API_VERSION;
    const METHOD: Method = Method::Put;
    const OPERATION_ID: &'static str = "PutAccountLogout";
    fn path(&self) -> Result<String, Error> {
        Ok("/v1/account/logout".to_owned())
    }
    fn encode_query(&self, form: &mut FormEncoder) {
        form.field("expand[0]", "account");
    }
    fn encode_body(&self, form: &mut FormEncoder) {
        form.field("account", "acct_1");
    }
}

/// A hand-written PATCH request.
struct Patch;

impl StripeRequest for Patch {
    type Response = serde_json::Value;
    type ErrorBody = serde_json::Value;
    const API_VERSION: &'static str = API_VERSION;
    const METHOD: Method = Method::Patch;
    const OPERATION_ID: &'static str = "PatchThing";
    fn path(&self) -> Result<String, Error> {
        Ok("/v1/things/th_1".to_owned())
    }
    fn encode_body(&self, form: &mut FormEncoder) {
        form.field("name", "new");
    }
}

#[tokio::test]
async fn put_and_patch_send_a_form_body_with_an_idempotency_key_and_retry_it_intact() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(json(503, "{}")).up_to_n_times(1).mount(&server).await;
    Mock::given(method("PUT"))
        .and(path("/v1/account/logout"))
        .and(query_param("expand[0]", "account"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("account=acct_1"))
        .respond_with(json(200, r#"{"object":"light_account_logout"}"#))
        .mount(&server)
        .await;
    let response = client(&server).send(&Logout, &RequestOptions::new()).await.unwrap();
    assert_eq!(response["object"], "light_account_logout");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2, "a 503 is retried");
    let key = header_of(&requests[0], "idempotency-key").expect("a PUT carries an idempotency key");
    assert_eq!(header_of(&requests[1], "idempotency-key"), Some(key), "the retry keeps the key");

    Mock::given(method("PATCH"))
        .and(path("/v1/things/th_1"))
        .and(body_string("name=new"))
        .respond_with(json(200, r#"{"id":"th_1"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let response = client(&server).send(&Patch, &RequestOptions::new()).await.unwrap();
    assert_eq!(response["id"], "th_1");
    let requests = received(&server).await;
    assert!(header_of(&requests[2], "idempotency-key").is_some(), "a PATCH carries an idempotency key");
    assert!(Method::Patch.has_body() && Method::Put.has_body() && !Method::Delete.has_body());
}

#[test]
fn debug_never_shows_the_secret_key() {
    let client = Client::new(KEY);
    let text = format!("{client:?}");
    assert!(!text.contains(KEY) && !text.contains("4eC39"), "{text}");
    let builder = format!("{:?}", Client::builder(KEY));
    assert!(!builder.contains("4eC39"), "{builder}");
}

#[test]
fn a_key_that_cannot_be_a_header_is_a_config_error_without_the_key() {
    let err = Client::builder("sk_test_abc\nInjected: yes").build().unwrap_err();
    assert!(matches!(err, Error::Config(_)));
    assert!(!err.to_string().contains("sk_test_abc"), "{err}");
}

#[tokio::test]
async fn a_per_request_api_key_replaces_the_clients_and_is_never_shown() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(json(200, SESSION)).mount(&server).await;
    let options = RequestOptions::new().api_key("rk_test_restricted");
    assert!(!format!("{options:?}").contains("rk_test_restricted"), "{options:?}");
    let client = client(&server);
    RetrieveSession::new("fcsess_1").send_with(&client, &options).await.unwrap();
    RetrieveSession::new("fcsess_1").send(&client).await.unwrap();
    let requests = received(&server).await;
    assert_eq!(header_of(&requests[0], "authorization"), Some("Bearer rk_test_restricted"));
    assert_eq!(header_of(&requests[1], "authorization"), Some(format!("Bearer {KEY}").as_str()));
    // a key that cannot be a header is refused before anything is sent, without showing it
    let bad = RequestOptions::new().api_key("rk_test\nx");
    let err = RetrieveSession::new("fcsess_1").send_with(&client, &bad).await.unwrap_err();
    assert!(matches!(err, Error::Config(_)) && !err.to_string().contains("rk_test"), "{err}");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_successful_response_gives_its_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json(200, SESSION).insert_header("request-id", "req_ok_123"))
        .mount(&server)
        .await;
    let response =
        client(&server).send_full(&RetrieveSession::new("fcsess_1"), &RequestOptions::default()).await.unwrap();
    assert_eq!(response.request_id.as_deref(), Some("req_ok_123"));
    assert_eq!(response.status, 200);
    assert_eq!(response.value.id, "fcsess_1MwtnGLkdIwHu7ixs7NPQ7dq");
}

#[tokio::test]
async fn app_info_is_sent_as_stripes_sdks_send_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(json(200, SESSION)).mount(&server).await;
    let with_app = Client::builder(KEY)
        .base_url(server.uri())
        .app_info("MyPlugin", Some("1.2.3"), Some("https://example.com/plugin"))
        .build()
        .unwrap();
    RetrieveSession::new("fcsess_1").send(&with_app).await.unwrap();
    RetrieveSession::new("fcsess_1").send(&client(&server)).await.unwrap();
    let requests = received(&server).await;
    let agent = header_of(&requests[0], "user-agent").unwrap();
    assert!(agent.ends_with(" (Rust) MyPlugin/1.2.3 (https://example.com/plugin)"), "{agent}");
    let client_agent: serde_json::Value =
        serde_json::from_str(header_of(&requests[0], "x-stripe-client-user-agent").unwrap()).unwrap();
    assert_eq!(client_agent["lang"], "rust");
    assert_eq!(client_agent["publisher"], "stripe-runtime");
    assert_eq!(
        client_agent["application"],
        serde_json::json!({"name": "MyPlugin", "version": "1.2.3", "url": "https://example.com/plugin"})
    );
    // without app info: the SDK's own, and no application
    let plain: serde_json::Value =
        serde_json::from_str(header_of(&requests[1], "x-stripe-client-user-agent").unwrap()).unwrap();
    assert!(plain.get("application").is_none(), "{plain}");
    assert!(header_of(&requests[1], "user-agent").unwrap().ends_with("(Rust)"));
}

/// A Financial Connections account as Stripe lists it.
fn account(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "object": "financial_connections.account", "category": "cash", "created": 1681412208,
        "institution_name": "StripeBank", "livemode": false, "status": "active", "subcategory": "checking",
        "supported_payment_method_types": ["us_bank_account"]
    })
}

fn page(ids: &[&str], has_more: bool) -> ResponseTemplate {
    let data: Vec<serde_json::Value> = ids.iter().map(|id| account(id)).collect();
    let body = serde_json::json!({"object": "list", "data": data, "has_more": has_more, "url": "/v1/financial_connections/accounts"});
    json(200, &body.to_string())
}

#[tokio::test]
async fn pagination_walks_every_page_and_an_error_skips_nothing() {
    let server = MockServer::start().await;
    let list = || {
        Mock::given(method("GET"))
            .and(path("/v1/financial_connections/accounts"))
            .and(query_param("session", "fcsess_1"))
    };
    // page two fails once (a 400 is not retried), then answers
    list()
        .and(query_param("starting_after", "fca_2"))
        .respond_with(json(400, r#"{"error": {"type": "invalid_request_error", "message": "try again"}}"#))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    list()
        .and(query_param("starting_after", "fca_2"))
        .respond_with(page(&["fca_3", "fca_4"], true))
        .mount(&server)
        .await;
    list().and(query_param("starting_after", "fca_4")).respond_with(page(&["fca_5"], false)).mount(&server).await;
    list().respond_with(page(&["fca_1", "fca_2"], true)).with_priority(10).mount(&server).await;

    let client = client(&server);
    let mut pages = ListAccounts::new().session("fcsess_1").limit(2).paginate(&client);
    let mut seen = Vec::new();
    let mut errors = 0;
    loop {
        match pages.try_next().await {
            Ok(Some(account)) => seen.push(account.id),
            Ok(None) => break,
            Err(Error::Api(e)) => {
                assert_eq!(e.status, 400);
                errors += 1;
            }
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!(seen, ["fca_1", "fca_2", "fca_3", "fca_4", "fca_5"], "nothing skipped or repeated");
    assert_eq!(errors, 1);
    let queries: Vec<String> = received(&server).await.iter().map(|r| r.url.query().unwrap_or("").to_owned()).collect();
    assert_eq!(queries.len(), 4, "page one, page two failing, page two, page three: {queries:?}");
    assert!(queries.iter().all(|q| q.contains("limit=2") && q.contains("session=fcsess_1")), "{queries:?}");
}

#[tokio::test]
async fn pagination_of_an_empty_list_ends_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(page(&[], false)).mount(&server).await;
    let mut pages = ListAccounts::new().paginate(&client(&server));
    assert!(pages.try_next().await.unwrap().is_none());
    assert!(pages.try_next().await.unwrap().is_none());
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn pagination_backwards_from_ending_before() {
    let server = MockServer::start().await;
    // Stripe lists newest first (fca_6, fca_7, fca_8, fca_9, ..): the page before fca_9 is
    // fca_7, fca_8 in list order, and the one before fca_7 is fca_6
    Mock::given(method("GET"))
        .and(query_param("ending_before", "fca_9"))
        .respond_with(page(&["fca_7", "fca_8"], true))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("ending_before", "fca_7"))
        .respond_with(page(&["fca_6"], false))
        .mount(&server)
        .await;
    let mut pages = ListAccounts::new().ending_before("fca_9").paginate(&client(&server));
    let mut seen = Vec::new();
    while let Some(account) = pages.try_next().await.unwrap() {
        seen.push(account.id);
    }
    // walking away from the cursor, as Stripe's SDKs walk backwards
    assert_eq!(seen, ["fca_8", "fca_7", "fca_6"]);
}

#[tokio::test]
async fn pagination_is_a_stream_and_a_dropped_call_loses_no_page() {
    use futures_core::Stream;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("starting_after", "fca_1"))
        .respond_with(page(&["fca_2"], false).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(page(&["fca_1"], true)).with_priority(10).mount(&server).await;
    let mut pages = ListAccounts::new().paginate(&client(&server));
    // as a Stream
    let first = std::future::poll_fn(|cx| std::pin::Pin::new(&mut pages).poll_next(cx)).await;
    assert_eq!(first.unwrap().unwrap().id, "fca_1");
    // a caller that gives up on page two while it is in flight (a `select!`, a timeout)...
    let gave_up = tokio::time::timeout(Duration::from_millis(50), pages.try_next()).await;
    assert!(gave_up.is_err());
    // ...and asks again gets it, without sending it twice
    assert_eq!(pages.try_next().await.unwrap().unwrap().id, "fca_2");
    assert!(pages.try_next().await.unwrap().is_none());
    assert_eq!(received(&server).await.len(), 2, "page one and page two, each once");
}
