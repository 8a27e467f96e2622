//! A typed async client for Stripe's Financial Connections API: Sessions and the Accounts they collect.
//!
//! The request and response types in [`generated`] (re-exported here) are generated from
//! `spec/` by `cargo xtask codegen`; the client runtime beside them is hand-written:
//! [`Client`] (authentication, retries, idempotency, timeouts), the [`Error`] type, the form
//! encoding Stripe expects, and the generic [`Expandable`], [`List`] and [`Emptyable`].
//!
//! ```no_run
//! use stripe_financial_connections::{
//!     AccountholderType, Client, CreateSession, CreateSessionAccountHolder, CreateSessionFilters,
//!     ListAccounts, Permission, RefreshAccount, RefreshAccountFeature,
//! };
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(std::env::var("STRIPE_SECRET_KEY")?);
//! let holder = CreateSessionAccountHolder::new(AccountholderType::Customer).customer("cus_NiKSWdaFz2F6I0");
//! let session = CreateSession::new(holder, [Permission::PaymentMethod, Permission::Balances])
//!     .filters(CreateSessionFilters::new().countries(["US"]))
//!     .send(&client)
//!     .await?;
//! println!("{}", session.id); // hand session.client_secret to Stripe.js
//!
//! // once the customer has linked accounts in Stripe.js: the accounts the session collected,
//! // each refreshed (Stripe announces the new balance with a webhook)
//! let accounts = ListAccounts::new().session(session.id.clone()).send(&client).await?;
//! for account in &accounts.data {
//!     RefreshAccount::new(account.id.clone(), vec![RefreshAccountFeature::Balance]).send(&client).await?;
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Errors from Stripe arrive as [`Error::Api`] with the status, Stripe's error type, code and
//! message and the request id; transport failures are retried as Stripe's own SDKs retry them.
//! A list request's `paginate` walks every page: `while let Some(account) =
//! pages.try_next().await? { .. }`.
//!
//! # Webhooks
//!
//! Stripe announces a finished refresh with an event. With the `webhooks` feature,
//! `webhook::Webhook` verifies the delivery's `Stripe-Signature` and decodes the event, refusing
//! one rendered in another API version than [`API_VERSION`] unless told otherwise:
//!
//! ```text
//! let event: Event = Webhook::new(endpoint_secret).construct_event(&body, signature_header)?;
//! if let EventObject::Account(account) = event.object()? {
//!     println!("{:?} for {}", event.type_, account.id); // FinancialConnectionsAccountRefreshedBalance
//! }
//! ```
//!
//! # Testing code that calls Stripe
//!
//! `testing::StubTransport` answers requests from fixtures (Stripe's JSON) and records what
//! was sent; give it to [`ClientBuilder::transport`] and the rest of the client runs as in
//! production (`tests/stub_transport.rs` is a worked example).
//!
//! # Features
//!
//! - `client` (default): the HTTP client (reqwest on rustls with ring). Without it: the types,
//!   the form encoder and the request descriptions, for decoding objects.
//! - `webhooks`: signature verification and typed events (hmac, sha2); needs no `client`.
//! - `tracing`: a span per request and events per attempt and retry, never the key or a body.
//! - `blocking`: `blocking::BlockingClient`, for code without an async runtime.
//! - One feature per resource module of [`generated`], named by its path with dots
//!   (`financial_connections.session`): its types and requests, and the features of the
//!   resources they hold by value. `full` (default) turns all of them on; with
//!   `default-features = false, features = ["client", "financial_connections.session"]` only
//!   the Session endpoints and what they need compile. A resource behind an expandable field
//!   whose feature is off is a *stand-in* of the same name that keeps the object as JSON
//!   (`serde_json::to_value` reads it); turning its feature on gives the typed fields without
//!   breaking code written against the stand-in.

#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "client")]
mod client;
mod error;
mod form;
mod impls;
#[cfg(feature = "client")]
mod observe;
#[rustfmt::skip]
pub mod generated;
mod request;
#[cfg(feature = "client")]
pub mod testing;
#[cfg(feature = "client")]
pub mod transport;
mod types;
#[cfg(feature = "webhooks")]
pub mod webhook;

#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder, Pages, RequestOptions, Response};
#[cfg(feature = "client")]
pub use error::TransportError;
pub use error::{ApiError, DecodeError, Error};
pub use form::{FormEncoder, encode_path_segment};
pub use generated::*;
#[allow(unused_imports)] // generated code uses them, unless features leave all of that out
pub(crate) use impls::{
    FieldKey, ObjectKeys, UnionShape, decode_alternative, deserialize_object, deserialize_union, object_keys,
    pick_alternative, required, string_enum, union_tag, wire,
};
pub use request::{Identified, ListRequest, Method, StripeRequest};
pub use types::{Emptyable, Expandable, FileUpload, List, SearchList, Timestamp};
#[cfg(feature = "webhooks")]
#[allow(unused_imports)] // generated code uses it, when the spec has events
pub(crate) use webhook::event_objects;
