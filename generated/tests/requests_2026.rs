//! The requests of the 2026 selection against a real HTTP server on 127.0.0.1 (wiremock), as
//! `http.rs` tests the others: List Transactions (its query, every page) and Retrieve a
//! Transaction, Subscribe and Unsubscribe an Account (their form bodies, an idempotency key),
//! and a request's error typed whatever resource features are on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};
use std::time::Duration;
use stripe_financial_connections::{
    Client, ListTransactions, ListTransactionsTransactedAt, ListTransactionsTransactedAtRangeQuerySpecs,
    RetrieveTransaction, SubscribeAccount, Subscription, TransactionStatus, UnsubscribeAccount,
};
use wiremock::matchers::{body_string, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SAMPLES: &str = include_str!("fixtures/objects_2026-08-26.dahlia.json");
const ACCOUNT: &str = "fca_1MwVK82eZvKYlo2Cjw8FMxXf";

fn sample(resource: &str) -> Value {
    serde_json::from_str::<Value>(SAMPLES).unwrap()[resource].clone()
}

fn transaction(id: &str) -> Value {
    let mut t = sample("financial_connections.transaction");
    t["id"] = json!(id);
    t
}

fn client(server: &MockServer) -> Client {
    Client::builder("sk_test_123")
        .base_url(server.uri())
        .retry_delays(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap()
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn list_transactions_sends_its_query_and_walks_every_page() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], more: bool| {
        ok(json!({"object": "list", "url": "/v1/financial_connections/transactions", "has_more": more,
                  "data": ids.iter().map(|id| transaction(id)).collect::<Vec<_>>()}))
    };
    Mock::given(method("GET"))
        .and(path("/v1/financial_connections/transactions"))
        .and(query_param("starting_after", "fctxn_2"))
        .respond_with(page(&["fctxn_3"], false))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/financial_connections/transactions"))
        .and(query_param("account", ACCOUNT))
        .respond_with(page(&["fctxn_1", "fctxn_2"], true))
        .mount(&server)
        .await;
    let since = ListTransactionsTransactedAt::RangeQuerySpecs(
        ListTransactionsTransactedAtRangeQuerySpecs::default().gte(1687900000),
    );
    let mut pages = ListTransactions::new(ACCOUNT).transacted_at(since).limit(2).paginate(&client(&server));
    let mut seen = Vec::new();
    while let Some(transaction) = pages.try_next().await.unwrap() {
        assert_eq!(transaction.status, TransactionStatus::Posted);
        seen.push(transaction.id);
    }
    assert_eq!(seen, ["fctxn_1", "fctxn_2", "fctxn_3"]);
    let requests = received(&server).await;
    let first = requests[0].url.query().unwrap_or_default().to_owned();
    assert_eq!(
        first,
        format!("account={ACCOUNT}&limit=2&transacted_at[gte]=1687900000"),
        "brackets as Stripe's SDKs send them"
    );
    assert_eq!(requests.len(), 2);
}

#[tokio::test]
async fn retrieve_a_transaction() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/financial_connections/transactions/fctxn_1NScvwLkdIwHu7ix1Lj5mT1N"))
        .respond_with(ok(sample("financial_connections.transaction")))
        .expect(1)
        .mount(&server)
        .await;
    let transaction = RetrieveTransaction::new("fctxn_1NScvwLkdIwHu7ix1Lj5mT1N").send(&client(&server)).await.unwrap();
    assert_eq!((transaction.amount, transaction.currency.as_str()), (-1000, "usd"));
    assert_eq!(transaction.account, ACCOUNT);
}

#[tokio::test]
async fn subscribe_and_unsubscribe_an_account() {
    let server = MockServer::start().await;
    let mut subscribed = sample("financial_connections.account");
    let mut unsubscribed = subscribed.clone();
    subscribed["subscriptions"] = json!(["transactions"]);
    unsubscribed["subscriptions"] = json!([]);
    for (action, body) in [("subscribe", subscribed), ("unsubscribe", unsubscribed)] {
        Mock::given(method("POST"))
            .and(path(format!("/v1/financial_connections/accounts/{ACCOUNT}/{action}")))
            .and(body_string("features[0]=transactions"))
            .respond_with(ok(body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    let account = SubscribeAccount::new(ACCOUNT, vec![Subscription::Transactions]).send(&client).await.unwrap();
    assert_eq!(account.subscriptions, Some(vec![Subscription::Transactions]));
    let account = UnsubscribeAccount::new(ACCOUNT, vec![Subscription::Transactions]).send(&client).await.unwrap();
    assert_eq!(account.subscriptions, Some(vec![]));
    for request in received(&server).await {
        assert!(request.headers.get("idempotency-key").is_some(), "a POST carries an idempotency key");
    }
}
