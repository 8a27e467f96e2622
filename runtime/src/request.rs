//! What a generated request type tells the client: method, path, parameters, response type.

use crate::{Error, FormEncoder};
use serde::de::DeserializeOwned;

/// HTTP method of a Stripe endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT` (Stripe's specs of 2019–2021 have one: `PUT /v1/account/logout`)
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// Whether the parameters go in a form body (POST, PUT, PATCH) rather than the query
    /// string (GET, DELETE). Such a request also carries an idempotency key, so that a retry
    /// cannot act twice.
    pub fn has_body(self) -> bool {
        matches!(self, Method::Post | Method::Put | Method::Patch)
    }

    /// The method as HTTP spells it (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A request to one Stripe endpoint; implemented by every generated request type.
pub trait StripeRequest {
    /// The body of a successful response.
    type Response: DeserializeOwned;
    /// The body of an error response, as the spec's `default` response declares it;
    /// see [`ApiError::body_as`](crate::ApiError::body_as).
    type ErrorBody: DeserializeOwned;
    /// The API version the request's types describe, sent as `Stripe-Version` unless the
    /// client or the request's options name another.
    const API_VERSION: &'static str;
    /// HTTP method.
    const METHOD: Method;
    /// The spec's operationId, for logs.
    const OPERATION_ID: &'static str;
    /// Whether the body is `multipart/form-data` (file uploads) rather than a form.
    const MULTIPART: bool = false;
    /// The operation's own server (Stripe uploads files to `https://files.stripe.com`); used
    /// unless the client's base URL was changed from Stripe's.
    const SERVER: Option<&'static str> = None;
    /// The path with its parameters percent-encoded, such as `/v1/financial_connections/sessions/fcsess_1`.
    fn path(&self) -> Result<String, Error>;
    /// Adds query parameters.
    fn encode_query(&self, form: &mut FormEncoder) {
        let _ = form;
    }
    /// Adds form body parameters.
    fn encode_body(&self, form: &mut FormEncoder) {
        let _ = form;
    }
}

/// An object with an `id`, which a list continues from.
pub trait Identified {
    /// The object's id.
    fn id(&self) -> &str;
}

/// A request for one page of a list, which can ask for the page after (or before) an object:
/// implemented by every generated list request with `starting_after` and `ending_before`.
/// Owned and thread-safe, as generated requests are, so that [`Pages`](crate::Pages) can keep
/// the page in flight across calls.
pub trait ListRequest: StripeRequest<Response = crate::List<Self::Item>> + Clone + Send + Sync + 'static {
    /// The objects the list holds.
    type Item: Identified + Send;
    /// Sets `starting_after`: the page after this object.
    fn set_starting_after(&mut self, id: Option<String>);
    /// Sets `ending_before`: the page before this object.
    fn set_ending_before(&mut self, id: Option<String>);
    /// `ending_before`, when set: the list is then walked backwards.
    fn ending_before(&self) -> Option<&str>;
}
