//! The client's one error type: what Stripe said, what the network did, or what did not decode.

use std::fmt;

/// Everything a request can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Stripe answered with an error status (after any retries the rules allowed).
    Api(Box<ApiError>),
    /// The request did not get an answer: connection refused or reset, timeout.
    #[cfg(feature = "client")]
    Transport {
        /// What went wrong on the way.
        source: TransportError,
        /// How many times the request was sent in all (1 when it was not retried).
        attempts: u32,
    },
    /// A successful response whose body is not what the spec describes.
    Decode(Box<DecodeError>),
    /// A parameter could not be form-encoded.
    Encode(String),
    /// The request itself is invalid (for example a path parameter of `..`), so it was not sent.
    InvalidRequest(String),
    /// The client is misconfigured (for example a secret key that is not a valid header value).
    Config(String),
}

impl Error {
    /// The HTTP status, for errors that have one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// Stripe's `Request-Id`, for errors that got a response.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            _ => None,
        }
    }
}

/// An error response from Stripe: the status, the `Request-Id` header and the fields of
/// Stripe's error type (`error.type`): what kind of failure it is, as Stripe's SDKs raise an
/// exception class per type. A type this crate does not know is kept as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorType {
    /// `api_error`: a problem on Stripe's side (rare).
    ApiError,
    /// `card_error`: the card could not be charged; `decline_code` may say why.
    CardError,
    /// `idempotency_error`: an `Idempotency-Key` was reused with other parameters.
    IdempotencyError,
    /// `invalid_request_error`: the request has invalid parameters.
    InvalidRequestError,
    /// A type this version of the crate does not know; kept as sent.
    Unknown(String),
}

impl ErrorType {
    /// The type as Stripe spells it.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorType::ApiError => "api_error",
            ErrorType::CardError => "card_error",
            ErrorType::IdempotencyError => "idempotency_error",
            ErrorType::InvalidRequestError => "invalid_request_error",
            ErrorType::Unknown(other) => other,
        }
    }

    /// The type of Stripe's spelling; an unknown one is kept.
    pub fn from_wire(value: &str) -> Self {
        match value {
            "api_error" => ErrorType::ApiError,
            "card_error" => ErrorType::CardError,
            "idempotency_error" => ErrorType::IdempotencyError,
            "invalid_request_error" => ErrorType::InvalidRequestError,
            other => ErrorType::Unknown(other.to_owned()),
        }
    }
}

impl fmt::Display for ErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Stripe's error envelope (`{"error": {"type": ..., "code": ..., "message": ...}}`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// The `Request-Id` response header: quote it to Stripe's support.
    pub request_id: Option<String>,
    /// Stripe's error type (`error.type`).
    pub error_type: Option<ErrorType>,
    /// A short string for errors that can be handled programmatically, such as `resource_missing`.
    pub code: Option<String>,
    /// For card errors from an issuer decline, the issuer's reason.
    pub decline_code: Option<String>,
    /// A human-readable message.
    pub message: Option<String>,
    /// The parameter the error is about.
    pub param: Option<String>,
    /// A link to more information about the error code.
    pub doc_url: Option<String>,
    /// A link to the request in the dashboard's logs.
    pub request_log_url: Option<String>,
    /// How many times the request was sent in all.
    pub attempts: u32,
    /// The whole response body, when it was JSON.
    pub body: Option<serde_json::Value>,
}

impl ApiError {
    /// The body decoded as the spec's error type (a request's `StripeRequest::ErrorBody`).
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.body.as_ref().and_then(|b| T::deserialize(b).ok())
    }
}

/// A response body that did not match the expected type.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    /// HTTP status.
    pub status: u16,
    /// The `Request-Id` response header.
    pub request_id: Option<String>,
    /// Where in the JSON decoding failed, such as `accounts.data[0].created`; `.` for the top.
    pub path: String,
    /// What was wrong there.
    pub message: String,
    /// The start of the body, at most 512 bytes.
    pub snippet: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(f, "{e}"),
            #[cfg(feature = "client")]
            // what failed, not why: the why is `source()`, which error reporters print after
            // it (anyhow's `{:#}`), so writing it here too would print each cause twice
            Error::Transport { source, attempts } => {
                let what = if source.is_timeout() {
                    "timed out"
                } else if source.is_connect() {
                    "could not connect"
                } else {
                    "the connection failed"
                };
                write!(f, "request failed: {what}")?;
                if *attempts > 1 { write!(f, " (after {attempts} attempts)") } else { write!(f, " (not retried)") }
            }
            Error::Decode(e) => write!(
                f,
                "could not decode the response (status {}) at `{}`: {}{}; body starts: {}",
                e.status,
                e.path,
                e.message,
                e.request_id.as_deref().map(|id| format!(" (request {id})")).unwrap_or_default(),
                e.snippet
            ),
            Error::Encode(m) => write!(f, "could not encode the request: {m}"),
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
            Error::Config(m) => write!(f, "invalid client configuration: {m}"),
        }
    }
}

impl ApiError {
    /// Whether the body is Stripe's error JSON (`{"error": {..}}`). An answer that is not (an
    /// HTML page from a proxy or load balancer) did not come from Stripe's API, and says so.
    pub fn is_from_stripe(&self) -> bool {
        self.body.as_ref().and_then(|b| b.get("error")).is_some_and(serde_json::Value::is_object)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.is_from_stripe() {
            write!(
                f,
                "HTTP {} with a body that is not a Stripe API error (a proxy or load balancer may have answered): {}",
                self.status,
                self.message.as_deref().unwrap_or("no body")
            )?;
            if self.attempts > 1 {
                write!(f, " (after {} attempts)", self.attempts)?;
            }
            return Ok(());
        }
        write!(f, "Stripe API error {}", self.status)?;
        if let Some(t) = &self.error_type {
            write!(f, " {t}")?;
        }
        let codes: Vec<String> = [("code", &self.code), ("decline_code", &self.decline_code), ("param", &self.param)]
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}")))
            .collect();
        if !codes.is_empty() {
            write!(f, " ({})", codes.join(", "))?;
        }
        write!(f, ": {}", self.message.as_deref().unwrap_or("no message"))?;
        if let Some(id) = &self.request_id {
            write!(f, " [request {id}]")?;
        }
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            #[cfg(feature = "client")]
            Error::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl std::error::Error for ApiError {}

/// How a request failed to get an answer. The HTTP library's own error is its
/// [`source`](std::error::Error::source), so the crate's API does not name the library (a new
/// major of it is not a breaking change here).
#[cfg(feature = "client")]
#[derive(Debug)]
pub struct TransportError {
    timeout: bool,
    connect: bool,
    retryable: bool,
    inner: Box<dyn std::error::Error + Send + Sync>,
}

#[cfg(feature = "client")]
impl TransportError {
    /// reqwest's error without its URL: the query string holds customers' data, and the
    /// error reaches logs.
    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        let error = error.without_url();
        // a request that could not be built (a header value that cannot be sent) fails alike every
        // time; a response cut off mid-body (`is_decode`: reading it failed) is a connection that
        // failed after the request went out, retried as Stripe's SDKs retry it
        let retryable =
            error.is_connect() || error.is_timeout() || error.is_request() || error.is_body() || error.is_decode();
        TransportError { timeout: error.is_timeout(), connect: error.is_connect(), retryable, inner: Box::new(error) }
    }

    /// An attempt that ran out of time (retried); for a [`Transport`](crate::transport::Transport)
    /// and for tests that simulate one.
    pub fn timeout(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        TransportError { timeout: true, connect: false, retryable: true, inner: source.into() }
    }

    /// No connection could be made (retried).
    pub fn connect(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        TransportError { timeout: false, connect: true, retryable: true, inner: source.into() }
    }

    /// The connection failed after the request went out (retried: with its idempotency key a
    /// retried request cannot act twice).
    pub fn other(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        TransportError { timeout: false, connect: false, retryable: true, inner: source.into() }
    }

    /// Whether an attempt ran out of time.
    pub fn is_timeout(&self) -> bool {
        self.timeout
    }

    /// Whether no connection could be made (refused, unreachable, TLS failed).
    pub fn is_connect(&self) -> bool {
        self.connect
    }

    /// Whether Stripe's retry rules retry it: every failure to get an answer but a request
    /// that could not be built.
    pub(crate) fn is_retryable(&self) -> bool {
        self.retryable
    }
}

#[cfg(feature = "client")]
impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.inner, f)
    }
}

#[cfg(feature = "client")]
impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source()
    }
}
