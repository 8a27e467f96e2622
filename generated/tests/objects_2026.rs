//! Stripe's objects as the crate's API version (`2026-08-26.dahlia`) renders them decode into
//! their types, and encode back with every key they had that is not null: nothing Stripe sends
//! of these resources is dropped. The samples hold every property of the dahlia schemas (written
//! from them; `cargo test -p xtask samples_hold_every_property` checks they still do).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use stripe_financial_connections::{API_VERSION, Account, AccountOwner, AccountOwnership, Session, Transaction};

const SAMPLES: &str = include_str!("fixtures/objects_2026-08-26.dahlia.json");

fn sample(resource: &str) -> Value {
    let samples: Value = serde_json::from_str(SAMPLES).unwrap();
    samples.get(resource).cloned().unwrap_or_else(|| panic!("no sample of {resource}"))
}

/// The value without its null members, at any depth: what Stripe's omitting or nulling a field
/// both mean.
fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

fn round_trips<T: DeserializeOwned + Serialize>(resource: &str) -> T {
    let sent = sample(resource);
    let typed: T = serde_json::from_value(sent.clone()).unwrap_or_else(|e| panic!("{resource}: {e}"));
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(without_nulls(back), without_nulls(sent), "{resource}: encoded back, keys or values differ");
    typed
}

#[test]
fn the_samples_are_of_the_crates_api_version() {
    assert_eq!(API_VERSION, "2026-08-26.dahlia");
}

#[test]
fn a_2026_session_round_trips() {
    let session: Session = round_trips("financial_connections.session");
    assert_eq!(session.limits.map(|l| l.accounts), Some(10));
    assert!(session.bank_account_token.is_some(), "an untyped resource is kept as JSON");
}

#[test]
fn a_2026_account_round_trips() {
    let account: Account = round_trips("financial_connections.account");
    assert_eq!(account.transaction_refresh.map(|r| r.id).as_deref(), Some("fctxnref_1MwVK82eZvKYlo2Cz6NeHIbT"));
    assert_eq!(account.subscriptions.map(|s| s.len()), Some(1));
    assert_eq!(account.account_numbers.map(|n| n.len()), Some(1));
}

#[test]
fn a_2026_account_owner_and_ownership_round_trip() {
    let owner: AccountOwner = round_trips("financial_connections.account_owner");
    assert_eq!(owner.name, "Jane Smith");
    let ownership: AccountOwnership = round_trips("financial_connections.account_ownership");
    assert_eq!(ownership.owners.data.len(), 1);
}

#[test]
fn a_2026_transaction_round_trips() {
    let transaction: Transaction = round_trips("financial_connections.transaction");
    assert_eq!(transaction.amount, -1000);
    assert_eq!(transaction.status_transitions.posted_at, Some(1687982592));
}

/// A field Stripe adds after this version of the crate is kept, readable by its name, and
/// written back when the object is encoded; the object's constant is not kept twice.
#[test]
fn fields_stripe_adds_later_are_kept_and_encoded_back() {
    let mut sent = sample("financial_connections.account");
    sent["inferred_balances_refresh"] = serde_json::json!({"status": "pending", "last_attempted_at": 1681420195});
    sent["balance"]["future_note"] = serde_json::json!("nested too");
    let account: Account = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(account.extra["inferred_balances_refresh"]["status"], "pending");
    assert_eq!(account.balance.as_ref().unwrap().extra["future_note"], "nested too");
    assert!(!account.extra.contains_key("object"), "the constant is the type's, not an unknown field");
    assert_eq!(without_nulls(serde_json::to_value(&account).unwrap()), without_nulls(sent));
}
