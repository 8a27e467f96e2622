//! Webhooks: `Stripe-Signature` verification against vectors computed outside this crate,
//! each way a delivery is refused, the API-version refusal, the typed event and its object,
//! and a handler behind a server on 127.0.0.1 that a signed delivery reaches over HTTP.
//!
//! The signatures were computed with Python's `hmac` and checked with OpenSSL:
//! `printf '%s' '1700000000.{"id":"evt_1"}' | openssl dgst -sha256 -hmac whsec_test_secret`, and
//! for the fixture `python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_test_secret',
//! b'1700000000.' + open('tests/fixtures/event_refreshed_balance.json','rb').read(),
//! hashlib.sha256).hexdigest())"`.

#![cfg(feature = "webhooks")]
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};
use stripe_financial_connections::webhook::{DEFAULT_TOLERANCE, Webhook, WebhookError, signature_header};
use stripe_financial_connections::{API_VERSION, Event, EventObject, EventType};

const SECRET: &str = "whsec_test_secret";
const T: u64 = 1_700_000_000;
const SMALL: &[u8] = br#"{"id":"evt_1"}"#;
const SMALL_V1: &str = "248a374f50f943a28b0f6ab50faf9a7e7e29b710fa26df9fb1618b9bf8ea9c9a";
const FIXTURE: &[u8] = include_bytes!("fixtures/event_refreshed_balance.json");
const FIXTURE_V1: &str = "eb989eafc54c27a307252f8394206cf984542dab658e6ac064a36fc96909c33e";

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn check(payload: &[u8], header: &str, now: u64) -> Result<(), WebhookError> {
    Webhook::new(SECRET).verify_at(payload, header, at(now))
}

#[test]
fn independent_vectors_verify() {
    assert_eq!(check(SMALL, &format!("t={T},v1={SMALL_V1}"), T), Ok(()));
    assert_eq!(check(FIXTURE, &format!("t={T},v1={FIXTURE_V1}"), T + 10), Ok(()));
    // what the crate signs is what Stripe would send
    assert_eq!(signature_header(SMALL, SECRET, at(T)), format!("t={T},v1={SMALL_V1}"));
}

#[test]
fn any_v1_may_match_and_other_schemes_are_ignored() {
    let wrong = "0".repeat(64);
    assert_eq!(check(SMALL, &format!("t={T},v1={wrong},v0={SMALL_V1},v1={SMALL_V1}"), T), Ok(()));
    assert_eq!(check(SMALL, &format!("v1={wrong}, t={T}, v1={SMALL_V1}"), T), Ok(()), "order and spaces");
    // a `v0` alone is no signature
    assert_eq!(check(SMALL, &format!("t={T},v0={SMALL_V1}"), T), Err(WebhookError::NoSignature));
}

#[test]
fn a_changed_payload_secret_or_timestamp_does_not_verify() {
    let header = format!("t={T},v1={SMALL_V1}");
    assert_eq!(check(br#"{"id":"evt_2"}"#, &header, T), Err(WebhookError::SignatureMismatch));
    assert_eq!(Webhook::new("whsec_other").verify_at(SMALL, &header, at(T)), Err(WebhookError::SignatureMismatch));
    // the timestamp is signed too: moving it breaks the signature
    assert_eq!(check(SMALL, &format!("t={},v1={SMALL_V1}", T + 1), T), Err(WebhookError::SignatureMismatch));
    // a signature that is not hex, or is cut short, matches nothing
    assert_eq!(check(SMALL, &format!("t={T},v1=zz{}", &SMALL_V1[2..]), T), Err(WebhookError::SignatureMismatch));
    assert_eq!(check(SMALL, &format!("t={T},v1={}", &SMALL_V1[..62]), T), Err(WebhookError::SignatureMismatch));
}

#[test]
fn timestamps_outside_the_tolerance_are_refused() {
    let header = format!("t={T},v1={SMALL_V1}");
    assert_eq!(DEFAULT_TOLERANCE, Duration::from_secs(300));
    assert_eq!(check(SMALL, &header, T + 300), Ok(()));
    let expired = WebhookError::Expired { timestamp: T, now: T + 301, tolerance: DEFAULT_TOLERANCE };
    assert_eq!(check(SMALL, &header, T + 301), Err(expired.clone()));
    // a timestamp in the future is accepted, as Stripe's SDKs accept it: the receiver's clock lags
    assert_eq!(check(SMALL, &header, T - 3600), Ok(()), "from the future");
    let longer = Webhook::new(SECRET).tolerance(Duration::from_secs(3600));
    assert_eq!(longer.verify_at(SMALL, &header, at(T + 3000)), Ok(()));
    assert!(expired.to_string().contains("301 s before now"), "{expired}");
}

#[test]
fn a_malformed_header_says_what_is_wrong() {
    let malformed = |header: &str| match check(SMALL, header, T) {
        Err(WebhookError::MalformedHeader(why)) => why,
        other => panic!("{header:?}: {other:?}"),
    };
    assert_eq!(malformed(""), "`` is not `key=value`");
    assert_eq!(malformed(&format!("v1={SMALL_V1}")), "it has no timestamp `t=`");
    assert_eq!(malformed("t=yesterday,v1=00"), "the timestamp `t=yesterday` is not a number of seconds");
    assert_eq!(check(SMALL, &format!("t={T}"), T), Err(WebhookError::NoSignature));
}

#[test]
fn a_verified_event_decodes_with_its_object_typed() {
    let header = format!("t={T},v1={FIXTURE_V1}");
    let webhook = Webhook::new(SECRET).tolerance(Duration::MAX);
    let event: Event = webhook.construct_event(FIXTURE, &header).unwrap();
    assert_eq!(event.id, "evt_1OxRefreshedBalance");
    assert_eq!(event.type_, EventType::FinancialConnectionsAccountRefreshedBalance);
    assert_eq!(event.api_version.as_deref(), Some(API_VERSION));
    match event.object().unwrap() {
        EventObject::Account(account) => {
            assert_eq!(account.id, "fca_1NnmXJGPxmnHQRkJEDrAh9xl");
            assert!(account.balance.is_some(), "the refreshed balance is there");
        }
        other => panic!("{other:?}"),
    }
    // a tampered delivery never reaches decoding
    let mut tampered = FIXTURE.to_vec();
    tampered[10] ^= 1;
    assert_eq!(webhook.construct_event::<Event>(&tampered, &header).unwrap_err(), WebhookError::SignatureMismatch);
}

/// The fixture with its JSON changed by `edit`, signed now.
fn signed(edit: impl FnOnce(&mut serde_json::Value)) -> (Vec<u8>, String) {
    let mut value: serde_json::Value = serde_json::from_slice(FIXTURE).unwrap();
    edit(&mut value);
    let payload = serde_json::to_vec(&value).unwrap();
    let header = signature_header(&payload, SECRET, SystemTime::now());
    (payload, header)
}

#[test]
fn an_event_of_another_api_version_is_refused_unless_accepted() {
    let (payload, header) = signed(|v| v["api_version"] = "2023-08-16".into());
    let err = Webhook::new(SECRET).construct_event::<Event>(&payload, &header).unwrap_err();
    assert_eq!(err, WebhookError::ApiVersionMismatch { event: Some("2023-08-16".to_owned()), expected: API_VERSION });
    assert!(err.to_string().contains("accept_any_api_version"), "{err}");
    let event: Event = Webhook::new(SECRET).accept_any_api_version().construct_event(&payload, &header).unwrap();
    assert_eq!(event.api_version.as_deref(), Some("2023-08-16"));

    let (payload, header) = signed(|v| v["api_version"] = serde_json::Value::Null);
    let err = Webhook::new(SECRET).construct_event::<Event>(&payload, &header).unwrap_err();
    assert_eq!(err, WebhookError::ApiVersionMismatch { event: None, expected: API_VERSION });
}

#[test]
fn an_unknown_event_type_keeps_its_name_and_its_object() {
    let (payload, header) = signed(|v| v["type"] = "financial_connections.account.renamed".into());
    let event: Event = Webhook::new(SECRET).construct_event(&payload, &header).unwrap();
    assert_eq!(event.type_, EventType::Unknown("financial_connections.account.renamed".to_owned()));
    match event.object().unwrap() {
        EventObject::Other(json) => assert_eq!(json["id"], "fca_1NnmXJGPxmnHQRkJEDrAh9xl"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_object_that_does_not_decode_says_where() {
    let (payload, header) = signed(|v| v["data"]["object"]["balance"]["current"] = "lots".into());
    let event: Event = Webhook::new(SECRET).construct_event(&payload, &header).unwrap();
    match event.object() {
        Err(WebhookError::Decode { path, message }) => {
            assert_eq!(path, "data.object.balance.current");
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let (payload, header) = signed(|v| drop(v["data"]["object"].as_object_mut().unwrap().remove("id")));
    let event: Event = Webhook::new(SECRET).construct_event(&payload, &header).unwrap();
    match event.object() {
        Err(WebhookError::Decode { path, message }) => {
            assert_eq!((path.as_str(), message.as_str()), ("data.object", "missing field `id`"));
        }
        other => panic!("{other:?}"),
    }
    let (payload, header) = signed(|v| v["created"] = "yesterday".into());
    let err = Webhook::new(SECRET).construct_event::<Event>(&payload, &header).unwrap_err();
    assert!(matches!(&err, WebhookError::Decode { path, .. } if path == "created"), "{err:?}");
}

/// A POST of `payload` to `address` as Stripe delivers it, over plain HTTP/1.1: the status and
/// the body of the answer.
async fn post(address: String, payload: Vec<u8>, signature: String) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /webhooks/stripe HTTP/1.1\r\nHost: {address}\r\nStripe-Signature: {signature}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        payload.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&payload).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, body.to_owned())
}

/// A webhook handler behind a real HTTP server on 127.0.0.1 (wiremock, answering with what
/// the handler returns): a signed delivery is accepted, a forged one refused with the reason.
#[tokio::test]
async fn a_handler_on_a_local_server_accepts_signed_deliveries_only() {
    use wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers::method};

    fn handler(request: &Request) -> ResponseTemplate {
        let signature = request.headers.get("stripe-signature").and_then(|v| v.to_str().ok()).unwrap_or_default();
        match Webhook::new(SECRET).construct_event::<Event>(&request.body, signature) {
            Ok(event) => match event.object() {
                Ok(EventObject::Account(account)) => ResponseTemplate::new(200).set_body_string(account.id.clone()),
                other => ResponseTemplate::new(422).set_body_string(format!("{other:?}")),
            },
            Err(e) => ResponseTemplate::new(400).set_body_string(e.to_string()),
        }
    }
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(handler).mount(&server).await;
    let address = server.address().to_string();
    let deliver = |payload: Vec<u8>, signature: String| post(address.clone(), payload, signature);
    let (payload, header) = signed(|_| {});
    assert_eq!(deliver(payload.clone(), header).await, (200, "fca_1NnmXJGPxmnHQRkJEDrAh9xl".to_owned()));
    let forged = signature_header(&payload, "whsec_guessed", SystemTime::now());
    let (status, body) = deliver(payload, forged).await;
    assert_eq!(status, 400);
    assert!(body.contains("no `v1` signature"), "{body}");
}

/// Every Financial Connections event type of the crate's API version decodes: the twelve of an
/// account with the account typed, the two of an authorization (a resource without a schema in
/// the spec) with its object kept as JSON.
#[test]
fn all_fourteen_financial_connections_event_types_decode() {
    const TYPES: [&str; 14] = [
        "financial_connections.account.account_numbers_updated",
        "financial_connections.account.created",
        "financial_connections.account.deactivated",
        "financial_connections.account.disconnected",
        "financial_connections.account.expected_deactivation_date_updated",
        "financial_connections.account.reactivated",
        "financial_connections.account.refreshed_balance",
        "financial_connections.account.refreshed_ownership",
        "financial_connections.account.refreshed_transactions",
        "financial_connections.account.supported_payment_method_types_updated",
        "financial_connections.account.upcoming_account_number_expiry",
        "financial_connections.account.upcoming_deactivation",
        "financial_connections.authorization.expected_deactivation_date_updated",
        "financial_connections.authorization.upcoming_deactivation",
    ];
    let samples: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/objects_2026-08-26.dahlia.json")).unwrap();
    let authorization = serde_json::json!({"id": "fcauth_1", "object": "financial_connections.authorization"});
    for kind in TYPES {
        let object = if kind.contains(".account.") {
            samples["financial_connections.account"].clone()
        } else {
            authorization.clone()
        };
        let payload = serde_json::to_vec(&serde_json::json!({
            "id": "evt_1", "object": "event", "api_version": API_VERSION, "created": T, "livemode": false,
            "pending_webhooks": 1, "request": {"id": null, "idempotency_key": null}, "type": kind,
            "data": {"object": object}
        }))
        .unwrap();
        let header = signature_header(&payload, SECRET, at(T));
        let event: Event = Webhook::new(SECRET)
            .tolerance(Duration::MAX)
            .construct_event(&payload, &header)
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(event.type_.as_str(), kind);
        assert!(!matches!(event.type_, EventType::Unknown(_)), "{kind} is a known event type");
        match (event.object().unwrap(), kind.contains(".account.")) {
            (EventObject::Account(account), true) => assert_eq!(account.id, "fca_1MwVK82eZvKYlo2Cjw8FMxXf"),
            (EventObject::Other(json), false) => assert_eq!(json["id"], "fcauth_1"),
            (other, _) => panic!("{kind}: {other:?}"),
        }
    }
}

/// A web framework gives the body as a `String`; a test replays a recorded delivery at the
/// time it was signed.
#[test]
fn an_event_constructs_from_a_string_body_and_at_a_given_time() {
    let body: String = String::from_utf8(FIXTURE.to_vec()).unwrap();
    let header = format!("t={T},v1={FIXTURE_V1}");
    let event: Event = Webhook::new(SECRET).construct_event_at(&body, &header, at(T + 10)).unwrap();
    assert_eq!(event.id, "evt_1OxRefreshedBalance");
    let late = Webhook::new(SECRET).construct_event_at::<Event>(body.clone(), &header, at(T + 301));
    assert!(matches!(late, Err(WebhookError::Expired { .. })), "{late:?}");
}
