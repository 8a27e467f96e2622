//! The seam between the [`Client`](crate::Client) and the network: one attempt of a request
//! goes out as an [`HttpRequest`] through a [`Transport`] and comes back as an
//! [`HttpResponse`]. The client keeps everything Stripe-specific on its side of the seam
//! (encoding, headers, idempotency keys, retries, timeouts, decoding, errors), so a transport
//! only moves bytes: reqwest's by default, or [`StubTransport`](crate::testing::StubTransport)
//! in users' tests.

use crate::Method;
use crate::error::TransportError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A boxed future that is `Send`, as a [`Transport`] returns it.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One attempt of a request, as it goes on the wire. `Debug` shows every header but the
/// `Authorization` that holds the API key.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The HTTP method.
    pub method: Method,
    /// The full URL, with the query string.
    pub url: String,
    /// Every header the client sets, `Authorization` (the API key) included.
    pub headers: Vec<(String, String)>,
    /// The body, for POST, PUT and PATCH.
    pub body: Option<Vec<u8>>,
}

impl HttpRequest {
    /// The value of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &Redacted(&self.headers))
            .field("body", &self.body.as_ref().map(|b| format!("{} bytes", b.len())))
            .finish()
    }
}

/// Headers as `Debug` shows them: the API key in `Authorization` never.
pub(crate) struct Redacted<'a>(pub(crate) &'a [(String, String)]);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.0.iter().map(|(name, value)| {
            let value = if name.eq_ignore_ascii_case("authorization") { "[redacted]" } else { value.as_str() };
            (name.as_str(), value)
        });
        f.debug_list().entries(shown).finish()
    }
}

/// The value of the header `name` in `headers`, whose names HTTP compares case-insensitively.
pub(crate) fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// What came back: the status, the headers and the body.
#[derive(Clone, Debug, PartialEq, Default)]
#[non_exhaustive]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers (the client reads `Request-Id` and `Stripe-Should-Retry`).
    pub headers: Vec<(String, String)>,
    /// The body. A transport may stop reading once it is longer than the client's limit.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with this status and body and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse { status, headers: Vec::new(), body: body.into() }
    }

    /// The response with the header `name: value` added.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The value of the header `name` (case-insensitive), as [`HttpRequest::header`] reads one.
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }
}

/// Sends one attempt of a request and returns what came back, or why nothing did. The
/// client calls it once per attempt, inside its timeout; a [`TransportError`] is retried as
/// a network failure is.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request`; reading at most `max_body_bytes + 1` bytes of the body is enough.
    fn send(&self, request: HttpRequest, max_body_bytes: usize) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

/// The default transport: reqwest, on rustls.
pub(crate) struct ReqwestTransport(pub(crate) reqwest::Client);

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest, max_body_bytes: usize) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let method = match request.method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
                Method::Put => reqwest::Method::PUT,
                Method::Patch => reqwest::Method::PATCH,
                Method::Delete => reqwest::Method::DELETE,
            };
            let mut builder = self.0.request(method, &request.url);
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            if let Some(body) = request.body {
                builder = builder.body(body);
            }
            let mut response = builder.send().await.map_err(TransportError::from_reqwest)?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .filter_map(|(name, value)| Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned())))
                .collect();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(TransportError::from_reqwest)? {
                body.extend_from_slice(&chunk);
                if body.len() > max_body_bytes {
                    break;
                }
            }
            Ok(HttpResponse { status, headers, body })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_every_header_but_the_key() {
        let request = HttpRequest {
            method: Method::Post,
            url: "https://api.stripe.com/v1/x".to_owned(),
            headers: vec![
                ("Authorization".to_owned(), "Bearer sk_live_secret".to_owned()),
                ("Stripe-Version".to_owned(), "2025-12-15.clover".to_owned()),
            ],
            body: Some(b"a=1".to_vec()),
        };
        let shown = format!("{request:?}");
        assert!(!shown.contains("sk_live_secret") && !shown.contains("a=1"), "{shown}");
        assert!(shown.contains("[redacted]") && shown.contains("2025-12-15.clover") && shown.contains("3 bytes"));
    }
}
