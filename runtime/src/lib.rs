//! The runtime of the Stripe clients `stripe-codegen` generates: what every generated crate
//! has the same, written by hand and versioned once.
//!
//! A generated crate (such as `stripe-financial-connections`) holds the types and requests of
//! its spec and re-exports this crate at its root, so its users name one crate. Two generated
//! crates share a [`Client`]: each request carries the API version its types describe
//! ([`StripeRequest::API_VERSION`]), each event type its own
//! ([`webhook::WebhookEvent`]).
//!
//! - [`Client`] (feature `client`): authentication, retries as Stripe's SDKs retry,
//!   idempotency keys, timeouts, typed errors ([`Error`]), pagination ([`Pages`]), per-request
//!   [`RequestOptions`], [`Client::raw_request`] for any endpoint; under it the
//!   [`transport::Transport`] seam, and [`testing::StubTransport`] for users' tests.
//! - [`webhook`] (feature `webhooks`): `Stripe-Signature` verification and event decoding.
//! - `blocking` (feature `blocking`): the client for code without an async runtime.
//! - `tracing` (feature `tracing`): a span per request, events per attempt and retry.
//! - Always: [`StripeRequest`] and [`ListRequest`], which generated requests implement;
//!   Stripe's form encoding ([`FormEncoder`]); [`Expandable`], [`List`], [`Emptyable`] and the
//!   other shapes generated types are made of; and, hidden, the macros that write the
//!   generated impls.
//!
//! The names generated code uses from here, and the features a generated crate forwards, are
//! a contract: `stripe-codegen`'s `runtime` module lists them and a test checks them against
//! this crate.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "blocking")]
pub mod blocking;
#[cfg(feature = "client")]
mod client;
mod error;
mod form;
mod impls;
#[cfg(feature = "client")]
mod observe;
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
pub use error::{ApiError, DecodeError, Error, ErrorType};
pub use form::{FormEncoder, encode_path_segment};
#[doc(hidden)]
pub use impls::{FieldKey, ObjectKeys, UnionShape, decode_alternative, pick_alternative, required, union_tag};
pub use request::{Identified, ListRequest, Method, StripeRequest};
pub use types::{Emptyable, Expandable, FileUpload, List, SearchList, Timestamp};
