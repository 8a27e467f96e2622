//! How users test their own code against this crate without Stripe and without a server: a
//! `StubTransport` answers from fixtures (Stripe's JSON) and records what was sent. The code
//! under test is an application's handler, written as an application would write it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::json;
use std::time::Duration;
use stripe_financial_connections::testing::{Failure, StubTransport};
use stripe_financial_connections::transport::HttpResponse;
use stripe_financial_connections::{Client, Error, ListAccounts, Method, RefreshAccount, RefreshAccountFeature};

// ---- the application's code ----

/// After Stripe.js returns: refresh the balance of every account the session collected, and
/// say which ones.
async fn refresh_balances(client: &Client, session: &str) -> Result<Vec<String>, Error> {
    let mut accounts = ListAccounts::new().session(session).paginate(client);
    let mut refreshed = Vec::new();
    while let Some(account) = accounts.try_next().await? {
        RefreshAccount::new(account.id.clone(), vec![RefreshAccountFeature::Balance]).send(client).await?;
        refreshed.push(account.id);
    }
    Ok(refreshed)
}

// ---- its tests ----

const ACCOUNTS: &str = "/v1/financial_connections/accounts";

/// A Financial Connections account as Stripe's API reference shows it.
fn account(id: &str) -> serde_json::Value {
    json!({
        "id": id, "object": "financial_connections.account",
        "account_holder": {"customer": "cus_NiKSWdaFz2F6I0", "type": "customer"},
        "balance": null, "balance_refresh": {"status": "pending", "last_attempted_at": 1681422295},
        "category": "cash", "created": 1681412208, "display_name": "Sample Checking Account",
        "institution_name": "StripeBank", "last4": "6789", "livemode": false, "ownership": null,
        "ownership_refresh": null, "permissions": ["balances"], "status": "active",
        "subcategory": "checking", "supported_payment_method_types": ["us_bank_account"]
    })
}

fn page(ids: &[&str], has_more: bool) -> serde_json::Value {
    json!({"object": "list", "url": ACCOUNTS, "has_more": has_more, "data": ids.iter().map(|id| account(id)).collect::<Vec<_>>()})
}

fn client(stub: &StubTransport) -> Client {
    Client::builder("sk_test_123")
        .transport(stub.clone())
        .retry_delays(Duration::from_millis(1), Duration::from_millis(1))
        .build()
        .unwrap()
}

#[tokio::test]
async fn refreshes_every_account_of_the_session() {
    let stub = StubTransport::new();
    stub.respond(Method::Get, ACCOUNTS, 200, page(&["fca_1", "fca_2"], true)).respond(
        Method::Get,
        ACCOUNTS,
        200,
        page(&["fca_3"], false),
    );
    for id in ["fca_1", "fca_2", "fca_3"] {
        stub.respond(Method::Post, &format!("{ACCOUNTS}/{id}/refresh"), 200, account(id));
    }

    let refreshed = refresh_balances(&client(&stub), "fcsess_123").await.unwrap();

    assert_eq!(refreshed, ["fca_1", "fca_2", "fca_3"]);
    let sent = stub.requests();
    let summary: Vec<String> = sent.iter().map(|r| format!("{} {}", r.method.as_str(), r.path)).collect();
    assert_eq!(
        summary,
        [
            "GET /v1/financial_connections/accounts",
            "POST /v1/financial_connections/accounts/fca_1/refresh",
            "POST /v1/financial_connections/accounts/fca_2/refresh",
            "GET /v1/financial_connections/accounts",
            "POST /v1/financial_connections/accounts/fca_3/refresh",
        ]
    );
    assert_eq!(sent[0].query("session"), Some("fcsess_123"));
    assert_eq!(sent[3].query("starting_after"), Some("fca_2"), "the second page continues after the first");
    assert_eq!(sent[1].form("features[0]"), Some("balance"));
    assert_eq!(sent[1].header("authorization"), Some("Bearer sk_test_123"));
    let shown = format!("{:?}", sent[1]);
    assert!(!shown.contains("sk_test_123") && shown.contains("[redacted]"), "Debug hides the key: {shown}");
    assert!(sent[1].header("idempotency-key").is_some());
}

#[tokio::test]
async fn stripes_error_reaches_the_caller_as_an_api_error() {
    let stub = StubTransport::new();
    stub.respond(Method::Get, ACCOUNTS, 200, page(&["fca_1"], false)).respond(
        Method::Post,
        &format!("{ACCOUNTS}/fca_1/refresh"),
        400,
        json!({"error": {"type": "invalid_request_error", "code": "resource_missing", "message": "No such account"}}),
    );
    let err = refresh_balances(&client(&stub), "fcsess_123").await.unwrap_err();
    match &err {
        Error::Api(e) => {
            assert_eq!((e.status, e.code.as_deref()), (400, Some("resource_missing")));
            assert_eq!(e.request_id.as_deref(), Some("req_stub"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_network_failure_is_retried_like_the_real_one() {
    let stub = StubTransport::new();
    stub.fail(Method::Get, ACCOUNTS, Failure::ConnectionRefused).respond(Method::Get, ACCOUNTS, 200, page(&[], false));
    assert_eq!(refresh_balances(&client(&stub), "fcsess_123").await.unwrap(), Vec::<String>::new());
    assert_eq!(stub.requests().len(), 2, "refused once, then answered");

    // `Stripe-Should-Retry: false` on a 500 is not retried
    let stub = StubTransport::new();
    let response = HttpResponse::new(500, r#"{"error": {"type": "api_error", "message": "down"}}"#)
        .with_header("Stripe-Should-Retry", "false");
    stub.respond_with(Method::Get, ACCOUNTS, response);
    let err = refresh_balances(&client(&stub), "fcsess_123").await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(stub.requests().len(), 1);
}

#[tokio::test]
async fn a_request_without_an_answer_says_which_it_was() {
    let stub = StubTransport::new();
    let err = refresh_balances(&client(&stub), "fcsess_123").await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    let text = err.to_string();
    assert!(text.contains("StubTransport has no answer for GET /v1/financial_connections/accounts"), "{text}");
}
