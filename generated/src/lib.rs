//! A typed async client for Stripe's Financial Connections API.
//!
//! Sessions, the Accounts they collect, their Owners and Transactions, and the webhook events
//! about them.
//!
//! ```no_run
//! use stripe_financial_connections::{
//!     AccountholderType, Client, CreateSession, CreateSessionAccountHolder,
//!     CreateSessionFilters, ListAccounts, Permission, RefreshAccount, RefreshAccountFeature,
//! };
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(std::env::var("STRIPE_SECRET_KEY")?);
//! let holder = CreateSessionAccountHolder::new(AccountholderType::Customer)
//!     .customer("cus_NiKSWdaFz2F6I0");
//! let session = CreateSession::new(holder, [Permission::PaymentMethod, Permission::Balances])
//!     .filters(CreateSessionFilters::new().countries(["US"]))
//!     .send(&client)
//!     .await?;
//! println!("{}", session.id); // hand session.client_secret to Stripe.js
//!
//! // once the customer has linked accounts: each account the session collected, refreshed
//! let mut accounts = ListAccounts::new().session(session.id.clone()).paginate(&client);
//! while let Some(account) = accounts.try_next().await? {
//!     RefreshAccount::new(account.id, [RefreshAccountFeature::Balance])
//!         .send(&client)
//!         .await?;
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Errors from Stripe arrive as [`Error::Api`] with the status, Stripe's error type, code and
//! message and the request id; network failures are retried as Stripe's own SDKs retry them.
//! Per request, [`RequestOptions`] sets an API key, a connected account, an idempotency key,
//! a version, retries, a timeout, or a parameter this version of the crate does not have
//! ([`RequestOptions::extra_param`]); [`Client::raw_request`] reaches any endpoint. Every object
//! keeps the fields it does not name in `extra`.
//!
//! # Webhooks
//!
//! With the `webhooks` feature, `webhook::Webhook` verifies a delivery's `Stripe-Signature`
//! and decodes the event, refusing one rendered in another API version than [`API_VERSION`]
//! unless told otherwise:
//!
//! ```text
//! let event: Event = Webhook::new(endpoint_secret).construct_event(&body, signature)?;
//! if let EventObject::Account(account) = event.object()? {
//!     println!("{:?} for {}", event.type_, account.id);
//! }
//! ```
//!
//! # Testing code that calls Stripe
//!
//! `testing::StubTransport` answers requests from fixtures (Stripe's JSON) and records what
//! was sent; give it to [`ClientBuilder::transport`] and the rest of the client runs as in
//! production.
//!
//! # Features
//!
//! - `client` (default): the HTTP client (reqwest on rustls with ring). Without it: the types,
//!   the form encoder and the request descriptions, for decoding objects.
//! - `webhooks`: signature verification and typed events (hmac, sha2); needs no `client`.
//! - `tracing`: a span per request and events per attempt and retry, never the key or a body.
//! - `blocking`: `blocking::BlockingClient`, for code without an async runtime.
//! - One feature per resource below (`financial_connections_session`): its types and requests,
//!   and the features of the resources they hold by value. `full` (default) turns all of them
//!   on; with `default-features = false, features = ["client", "financial_connections_session"]`
//!   only the Session endpoints and what they need compile. A resource behind an expandable
//!   field whose feature is off is a *stand-in* of the same name that keeps the object as JSON.
//!
#![doc = include_str!("generated/index.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The hand-written runtime (client, errors, webhooks, and the macros generated code invokes as
// `crate::…`) is the `stripe-runtime` crate; its items are this crate's too.
pub use stripe_runtime::*;

// every item is re-exported at the root, where the docs show it once
#[rustfmt::skip]
mod generated;
pub use generated::*;
