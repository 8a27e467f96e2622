//! The HTTP client: authentication, Stripe's headers, idempotency keys, retries with backoff,
//! timeouts, and decoding of responses and errors. Each attempt goes out through a
//! [`Transport`] (reqwest's unless the builder was given another), inside the client's timeout.
//!
//! Retries follow Stripe's SDKs: a `Stripe-Should-Retry` header decides when present;
//! otherwise connection errors, timeouts, 409 and 5xx are retried, nothing else. A retried
//! POST, PUT or PATCH resends the same body with the same `Idempotency-Key`.

use crate::error::{ApiError, DecodeError, ErrorType, TransportError};
use crate::observe::RequestSpan;
use crate::transport::{BoxFuture, HttpRequest, HttpResponse, ReqwestTransport, Transport};
use crate::{Error, FormEncoder, Identified, ListRequest, Method, StripeRequest};
use serde::Deserialize;
use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

const DEFAULT_BASE_URL: &str = "https://api.stripe.com";
const DEFAULT_MAX_RETRIES: u32 = 2;
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(80);
const INITIAL_RETRY_DELAY: Duration = Duration::from_millis(500);
const MAX_RETRY_DELAY: Duration = Duration::from_secs(5);
/// Bodies larger than this are refused rather than buffered.
const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
const SNIPPET_BYTES: usize = 512;

/// A Stripe API client. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Arc<dyn Transport>,
    config: Config,
    /// `User-Agent`: the crate, and the application when it said.
    user_agent: String,
    /// `X-Stripe-Client-User-Agent`: what Stripe's SDKs send to say who calls.
    client_user_agent: String,
    /// The id and duration (ms) of the last answered attempt, for `X-Stripe-Client-Telemetry`.
    last_request: std::sync::Mutex<Option<(String, u128)>>,
    /// Why a client from [`Client::new`] cannot work (its configuration was refused): every
    /// request fails with this as [`Error::Config`].
    refused: Option<String>,
}

/// What a [`ClientBuilder`] collects and a [`Client`] keeps.
#[derive(Clone)]
struct Config {
    secret_key: String,
    base_url: String,
    /// Overrides every request's own API version when set.
    api_version: Option<String>,
    stripe_account: Option<String>,
    stripe_context: Option<String>,
    max_retries: u32,
    timeout: Duration,
    retry_delays: (Duration, Duration),
    max_body_bytes: usize,
    app_info: Option<AppInfo>,
    telemetry: bool,
}

/// The application that uses the client, as Stripe's SDKs report it (`setAppInfo`): in the
/// `User-Agent` and `X-Stripe-Client-User-Agent` headers, so Stripe can attribute the traffic.
#[derive(Clone, Debug, PartialEq, Eq)]
struct AppInfo {
    name: String,
    version: Option<String>,
    url: Option<String>,
}

impl AppInfo {
    /// `Name/1.2 (https://example.com)`, as Stripe's SDKs format it.
    fn user_agent(&self) -> String {
        let mut out = self.name.clone();
        if let Some(version) = &self.version {
            out.push('/');
            out.push_str(version);
        }
        if let Some(url) = &self.url {
            out.push_str(&format!(" ({url})"));
        }
        out
    }
}

/// Everything but the secret key, which is never shown.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("secret_key", &"[redacted]")
            .field("base_url", &self.base_url)
            .field("api_version", &self.api_version)
            .field("stripe_account", &self.stripe_account)
            .field("stripe_context", &self.stripe_context)
            .field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .field("retry_delays", &self.retry_delays)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("app_info", &self.app_info)
            .field("telemetry", &self.telemetry)
            .finish()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Client").field(&self.inner.config).finish()
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    config: Config,
    transport: Option<Arc<dyn Transport>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ClientBuilder").field(&self.config).finish()
    }
}

impl ClientBuilder {
    /// Where requests go (default `https://api.stripe.com`); tests and mock servers set it.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.config.base_url = url.into().trim_end_matches('/').to_owned();
        self
    }

    /// The `Stripe-Version` to send on every request. By default each typed request sends the
    /// version its crate was generated for ([`StripeRequest::API_VERSION`]), and
    /// [`Client::raw_request`] sends none (the account's default) unless its options name one.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.config.api_version = Some(version.into());
        self
    }

    /// Act for a connected account (`Stripe-Account`) on every request.
    pub fn stripe_account(mut self, account: impl Into<String>) -> Self {
        self.config.stripe_account = Some(account.into());
        self
    }

    /// `Stripe-Context` on every request: the account or context the request acts in (Stripe's
    /// accounts v2 and organizations), as Stripe's SDKs send it.
    pub fn stripe_context(mut self, context: impl Into<String>) -> Self {
        self.config.stripe_context = Some(context.into());
        self
    }

    /// Whether to send `X-Stripe-Client-Telemetry`, the previous request's id and duration,
    /// as Stripe's SDKs do by default (default `true`): it helps Stripe see the latency
    /// integrations get. `false` sends nothing of it.
    pub fn telemetry(mut self, enabled: bool) -> Self {
        self.config.telemetry = enabled;
        self
    }

    /// How many times a failed request may be retried (default 2; 0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.config.max_retries = retries;
        self
    }

    /// How long one attempt may take, connection to last byte (default 80 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self
    }

    /// The first and the longest delay between retries (default 0.5 s and 5 s); each delay is
    /// `min(initial · 2^(n-1), max)` scaled by a random factor in [0.5, 1], never below `initial`.
    pub fn retry_delays(mut self, initial: Duration, max: Duration) -> Self {
        self.config.retry_delays = (initial, max.max(initial));
        self
    }

    /// The largest response body the client reads (default 32 MiB).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.config.max_body_bytes = bytes;
        self
    }

    /// The application that uses this client (`name`, its version and a URL to it, each as
    /// the application has them): sent in `User-Agent` and `X-Stripe-Client-User-Agent`, as
    /// Stripe's SDKs do, so Stripe can attribute requests to it. Plugins and platforms set it.
    pub fn app_info(mut self, name: impl Into<String>, version: Option<&str>, url: Option<&str>) -> Self {
        self.config.app_info =
            Some(AppInfo { name: name.into(), version: version.map(str::to_owned), url: url.map(str::to_owned) });
        self
    }

    /// Sends every attempt through `transport` instead of the network: in tests, a
    /// [`StubTransport`](crate::testing::StubTransport) that answers from fixtures. Everything
    /// else (encoding, headers, retries, timeouts, decoding, errors) is the client's as usual.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let mut user_agent = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"), " (Rust)").to_owned();
        if let Some(app) = &self.config.app_info {
            user_agent.push(' ');
            user_agent.push_str(&app.user_agent());
        }
        let client_user_agent = client_user_agent(self.config.app_info.as_ref());
        for (what, value) in [("the app info", &user_agent), ("the app info", &client_user_agent)] {
            if reqwest::header::HeaderValue::from_str(value).is_err() {
                return Err(Error::Config(format!("{what} contains characters that cannot be sent in a header")));
            }
        }
        // an empty key may be on purpose (every request gives its own); each request checks the key it sends
        if !self.config.secret_key.is_empty() {
            check_key(&self.config.secret_key, "the secret key")?;
        }
        check_base_url(&self.config.base_url)?;
        let transport = match self.transport {
            Some(transport) => transport,
            None => {
                // the client's timeout covers each attempt, whatever the transport
                let http = reqwest::Client::builder()
                    .tls_backend_preconfigured(tls_config()?)
                    .build()
                    .map_err(|e| Error::Config(format!("cannot start the HTTP client: {e}")))?;
                Arc::new(ReqwestTransport(http))
            }
        };
        let inner = Inner {
            transport,
            config: self.config,
            user_agent,
            client_user_agent,
            last_request: Default::default(),
            refused: None,
        };
        Ok(Client { inner: Arc::new(inner) })
    }
}

/// TLS with the crypto provider the application installed, else ring (without installing it:
/// a library does not set process-wide defaults), and the system's trust roots.
fn tls_config() -> Result<rustls::ClientConfig, Error> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_platform_verifier())
        .map_err(|e| Error::Config(format!("cannot set up TLS: {e}")))?;
    Ok(config.with_no_client_auth())
}

/// `X-Stripe-Client-User-Agent`: the JSON Stripe's SDKs send about themselves and the
/// application (`bindings_version`, `lang`, `publisher`, `application`).
fn client_user_agent(app: Option<&AppInfo>) -> String {
    let mut value = serde_json::json!({
        "bindings_version": env!("CARGO_PKG_VERSION"),
        "lang": "rust",
        "publisher": env!("CARGO_PKG_NAME"),
    });
    if let Some(app) = app {
        value["application"] = serde_json::json!({ "name": app.name, "version": app.version, "url": app.url });
    }
    value.to_string()
}

/// A key Stripe could accept, else why not, refused before anything is sent (as Stripe's SDKs
/// refuse an empty key), in a message that never shows the key: not empty, no whitespace (a
/// key read from a file often ends in a newline), and sendable in a header.
fn check_key(key: &str, what: &str) -> Result<(), Error> {
    if key.is_empty() {
        return Err(Error::Config(format!(
            "no API key provided: {what} is empty; give the client your secret key (`sk_…`, or a restricted `rk_…`), or the request one with `RequestOptions::api_key`"
        )));
    }
    if key.chars().any(char::is_whitespace) {
        let hint = if key.ends_with('\n') { " (a newline at its end: was it read from a file?)" } else { "" };
        return Err(Error::Config(format!(
            "{what} contains whitespace{hint}; Stripe's keys have none: trim it where it is read"
        )));
    }
    match reqwest::header::HeaderValue::from_str(&format!("Bearer {key}")) {
        Ok(_) => Ok(()),
        Err(_) => Err(Error::Config(format!("{what} contains characters that cannot be sent in a header"))),
    }
}

/// The base URL is an absolute `http` or `https` URL with a host, so a mistake is reported
/// when the client is built, naming the setting, not at the first request.
fn check_base_url(base: &str) -> Result<(), Error> {
    match reqwest::Url::parse(base) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(()),
        _ => Err(Error::Config(format!(
            "base_url `{base}` is not an absolute http(s) URL; give one such as `https://api.stripe.com` or `http://127.0.0.1:12111`"
        ))),
    }
}

/// Per-request settings that override the client's.
#[non_exhaustive]
#[derive(Clone, Default, PartialEq)]
pub struct RequestOptions {
    /// The API key for this request (a platform acting with a connected account's key, a
    /// restricted key for one call); the client's otherwise. Never shown by `Debug`.
    pub api_key: Option<String>,
    /// `Stripe-Account`: act for this connected account.
    pub stripe_account: Option<String>,
    /// `Stripe-Context`: the context this request acts in; the client's otherwise.
    pub stripe_context: Option<String>,
    /// `Idempotency-Key` for a request with a body (POST, PUT, PATCH); a random one is made when this is `None`.
    pub idempotency_key: Option<String>,
    /// `Stripe-Version` for this request.
    pub api_version: Option<String>,
    /// Retries for this request.
    pub max_retries: Option<u32>,
    /// Timeout of each attempt.
    pub timeout: Option<Duration>,
    /// Parameters added to the request's own, by wire name, encoded as Stripe's form (a JSON
    /// object nests in brackets, an array is indexed): for a parameter Stripe added after this
    /// version of the crate, or a preview feature. See [`RequestOptions::extra_param`].
    pub extra_params: Vec<(String, serde_json::Value)>,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("stripe_account", &self.stripe_account)
            .field("stripe_context", &self.stripe_context)
            .field("idempotency_key", &self.idempotency_key)
            .field("api_version", &self.api_version)
            .field("max_retries", &self.max_retries)
            .field("timeout", &self.timeout)
            .field("extra_params", &self.extra_params)
            .finish()
    }
}

impl RequestOptions {
    /// Default options: everything from the client.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the API key of this request.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }
    /// Sets `Stripe-Account`.
    pub fn stripe_account(mut self, account: impl Into<String>) -> Self {
        self.stripe_account = Some(account.into());
        self
    }
    /// Sets `Stripe-Context`.
    pub fn stripe_context(mut self, context: impl Into<String>) -> Self {
        self.stripe_context = Some(context.into());
        self
    }
    /// Sets the `Idempotency-Key`.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }
    /// Sets `Stripe-Version`.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }
    /// Sets the number of retries (0 disables them).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = Some(retries);
        self
    }
    /// Sets the timeout of each attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
    /// Adds a parameter the request type does not have (Stripe added it after this version of
    /// the crate, or it is a preview feature): `extra_param("limits", json!({"accounts": 5}))`
    /// sends `limits[accounts]=5`, in the body of a POST and the query of a GET.
    pub fn extra_param(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.extra_params.push((name.into(), value.into()));
        self
    }
}

/// Every object of a list, page after page, fetched as it is walked: `starting_after` the
/// last object of a page (or `ending_before` the first, walking backwards when the request
/// set `ending_before`), as Stripe's SDKs page. Each page is one [`Client::send`], with its
/// retries and options. A page that fails is an error and the walk can go on: the next
/// [`Pages::try_next`] asks for the same page again, so nothing is skipped or repeated.
///
/// It is also a [`futures_core::Stream`] of `Result<R::Item, Error>`, for stream combinators.
/// Dropping a `try_next` before it finishes loses nothing: the page in flight is kept and the
/// next call goes on waiting for it, without sending it again.
///
/// ```text
/// let mut accounts = ListAccounts::new().session("fcsess_123").paginate(&client);
/// while let Some(account) = accounts.try_next().await? {
///     println!("{}", account.id);
/// }
/// ```
pub struct Pages<R: ListRequest> {
    client: Client,
    request: R,
    options: RequestOptions,
    page: VecDeque<R::Item>,
    more: bool,
    /// The page being fetched, owned here so that it survives a dropped `try_next`.
    fetching: Option<BoxFuture<'static, Result<R::Response, Error>>>,
}

// nothing in `Pages` is pinned in place: the page in flight is boxed, the rest moves freely
impl<R: ListRequest> Unpin for Pages<R> {}

impl<R: ListRequest> fmt::Debug for Pages<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &R::OPERATION_ID)
            .field("buffered", &self.page.len())
            .field("more", &self.more)
            .field("fetching", &self.fetching.is_some())
            .finish_non_exhaustive()
    }
}

impl<R: ListRequest> Pages<R> {
    /// Walks the list `request` starts, with `options` for every page.
    pub fn new(client: &Client, request: R, options: RequestOptions) -> Self {
        Pages { client: client.clone(), request, options, page: VecDeque::new(), more: true, fetching: None }
    }

    /// The next object, fetching the next page when this one is done; `None` at the end.
    pub async fn try_next(&mut self) -> Result<Option<R::Item>, Error> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await.transpose()
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<R::Item, Error>>> {
        loop {
            if let Some(item) = self.page.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if !self.more {
                return Poll::Ready(None);
            }
            let fetching = self.fetching.get_or_insert_with(|| {
                let (client, request, options) = (self.client.clone(), self.request.clone(), self.options.clone());
                Box::pin(async move { client.send(&request, &options).await })
            });
            let result = std::task::ready!(fetching.as_mut().poll(cx));
            self.fetching = None;
            match result {
                Ok(list) => self.accept(list),
                Err(e) => return Poll::Ready(Some(Err(e))),
            }
        }
    }

    /// A page arrived: its objects in walking order, and where the next page starts.
    fn accept(&mut self, list: crate::List<R::Item>) {
        let backwards = self.request.ending_before().is_some();
        let mut data: VecDeque<R::Item> = list.data.into();
        // backwards, a page holds the objects before the cursor, newest first: walk it from
        // its end, and continue before its first object
        let cursor = if backwards { data.front() } else { data.back() }.map(|item| item.id().to_owned());
        match cursor {
            Some(id) if list.has_more && backwards => self.request.set_ending_before(Some(id)),
            Some(id) if list.has_more => self.request.set_starting_after(Some(id)),
            _ => self.more = false,
        }
        if backwards {
            data.make_contiguous().reverse();
        }
        self.page = data;
    }
}

impl<R: ListRequest> futures_core::Stream for Pages<R> {
    type Item = Result<R::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

/// A decoded response and what Stripe said about it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    /// The decoded body.
    pub value: T,
    /// Stripe's `Request-Id` header, which identifies the request to Stripe's support and in
    /// the Dashboard's logs.
    pub request_id: Option<String>,
    /// The HTTP status (2xx).
    pub status: u16,
}

/// Stripe's error envelope, read leniently: any field may be missing.
#[derive(Deserialize, Default)]
struct Envelope {
    #[serde(default)]
    error: EnvelopeError,
}

#[derive(Deserialize, Default)]
struct EnvelopeError {
    #[serde(rename = "type")]
    error_type: Option<String>,
    code: Option<String>,
    decline_code: Option<String>,
    message: Option<String>,
    param: Option<String>,
    doc_url: Option<String>,
    request_log_url: Option<String>,
}

/// The transport of a client whose configuration was refused: never reached, as every
/// request fails first with the reason.
struct Refused;

impl Transport for Refused {
    fn send(&self, _: HttpRequest, _: usize) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(async { Err(TransportError::other("the client's configuration was refused")) })
    }
}

/// A request as the client sends it: what a typed request and a raw request both become.
struct Call {
    method: Method,
    /// The version the request's types describe (`None` for a raw request).
    api_version: Option<&'static str>,
    operation_id: &'static str,
    multipart: bool,
    server: Option<&'static str>,
    /// With its parameters percent-encoded.
    path: String,
    query: FormEncoder,
    body: FormEncoder,
}

/// What one attempt came back with.
enum Attempt {
    Response { status: u16, request_id: Option<String>, should_retry: Option<bool>, body: Vec<u8>, too_large: bool },
    Failed(TransportError),
}

impl Client {
    /// A client with this secret key and default settings.
    ///
    /// Never panics: a key that cannot work (with whitespace, a newline at its end) or a TLS
    /// backend that cannot start makes every request fail with [`Error::Config`] saying why;
    /// `Client::builder(key).build()` reports it at once instead.
    pub fn new(secret_key: impl Into<String>) -> Client {
        let builder = Client::builder(secret_key);
        let config = builder.config.clone();
        builder.build().unwrap_or_else(|error| {
            let refused = match error {
                Error::Config(why) => why,
                other => other.to_string(),
            };
            let inner = Inner {
                transport: Arc::new(Refused),
                config,
                user_agent: String::new(),
                client_user_agent: String::new(),
                last_request: Default::default(),
                refused: Some(refused),
            };
            Client { inner: Arc::new(inner) }
        })
    }

    /// A builder for a client with this secret key.
    pub fn builder(secret_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            transport: None,
            config: Config {
                secret_key: secret_key.into(),
                base_url: DEFAULT_BASE_URL.to_owned(),
                api_version: None,
                stripe_account: None,
                stripe_context: None,
                max_retries: DEFAULT_MAX_RETRIES,
                timeout: DEFAULT_TIMEOUT,
                retry_delays: (INITIAL_RETRY_DELAY, MAX_RETRY_DELAY),
                max_body_bytes: DEFAULT_MAX_BODY_BYTES,
                app_info: None,
                telemetry: true,
            },
        }
    }

    /// Sends a request, retrying as the rules allow, and decodes the response.
    pub async fn send<R: StripeRequest + ?Sized>(
        &self,
        request: &R,
        options: &RequestOptions,
    ) -> Result<R::Response, Error> {
        Ok(self.send_full(request, options).await?.value)
    }

    /// Like [`Client::send`], with the `Request-Id` and status of the response that succeeded
    /// (a failed request's are in its [`Error`]): what Stripe's support asks for.
    pub async fn send_full<R: StripeRequest + ?Sized>(
        &self,
        request: &R,
        options: &RequestOptions,
    ) -> Result<Response<R::Response>, Error> {
        let mut query = FormEncoder::new();
        request.encode_query(&mut query);
        let mut body = FormEncoder::new();
        request.encode_body(&mut body);
        let call = Call {
            method: R::METHOD,
            api_version: Some(R::API_VERSION),
            operation_id: R::OPERATION_ID,
            multipart: R::MULTIPART,
            server: R::SERVER,
            path: request.path()?,
            query,
            body,
        };
        let (status, request_id, bytes) = self.execute(call, options).await?;
        let value = decode(status, request_id.clone(), &bytes)?;
        Ok(Response { value, request_id, status })
    }

    /// A request to any endpoint, typed or not, as Stripe's SDKs' `raw_request`: `method`, the
    /// `path` (`/v1/…`, its segments already encoded) and the `params` (a JSON object, encoded
    /// as Stripe's form: in the query string of a GET or DELETE, else the body), sent with the
    /// client's headers, retries and errors; the response as JSON. For endpoints and
    /// parameters this version of the crate does not have.
    ///
    /// Its `Stripe-Version` is the options' ([`RequestOptions::api_version`]) or the client's
    /// ([`ClientBuilder::api_version`]); with neither, none is sent and Stripe answers in the
    /// account's default version. To read the answer as the generated types do, name their
    /// version: `RequestOptions::default().api_version(API_VERSION)`.
    pub async fn raw_request(
        &self,
        method: Method,
        path: &str,
        params: &serde_json::Value,
        options: &RequestOptions,
    ) -> Result<Response<serde_json::Value>, Error> {
        if !path.starts_with('/') {
            return Err(Error::InvalidRequest(format!("the path `{path}` does not start with `/` (such as `/v1/…`)")));
        }
        let mut form = FormEncoder::new();
        match params {
            serde_json::Value::Object(params) => params.iter().for_each(|(name, value)| form.field(name, value)),
            serde_json::Value::Null => {}
            other => return Err(Error::InvalidRequest(format!("the parameters are not a JSON object: {other}"))),
        }
        let (query, body) = if method.has_body() { (FormEncoder::new(), form) } else { (form, FormEncoder::new()) };
        let call = Call {
            method,
            api_version: None,
            operation_id: "raw_request",
            multipart: false,
            server: None,
            path: path.to_owned(),
            query,
            body,
        };
        let (status, request_id, bytes) = self.execute(call, options).await?;
        let value = decode(status, request_id.clone(), &bytes)?;
        Ok(Response { value, request_id, status })
    }

    /// Sends a request as every request is sent: the options' extra parameters added, the key
    /// checked, the query and body encoded, each attempt made and retried as Stripe's rules
    /// allow. The answer of a success (its status, request id and body), or the error.
    /// Not generic, so it is compiled once, not once per request type.
    async fn execute(&self, call: Call, options: &RequestOptions) -> Result<(u16, Option<String>, Vec<u8>), Error> {
        let inner = &self.inner;
        if let Some(why) = &inner.refused {
            return Err(Error::Config(why.clone()));
        }
        match &options.api_key {
            Some(key) => check_key(key, "the request's API key")?,
            None => check_key(&inner.config.secret_key, "the client's API key")?,
        }
        let Call { method, api_version, operation_id, multipart, server, path, mut query, mut body } = call;
        for (name, value) in &options.extra_params {
            if method.has_body() { body.field(name, value) } else { query.field(name, value) }
        }
        let (query, body) = if method.has_body() && multipart {
            let boundary = format!("stripe-rust-{}", random_uuid());
            let content_type = format!("multipart/form-data; boundary={boundary}");
            (query.finish()?, Some((content_type, body.finish_multipart(&boundary)?)))
        } else if method.has_body() {
            (query.finish()?, Some(("application/x-www-form-urlencoded".to_owned(), body.finish()?.into_bytes())))
        } else {
            // GET and DELETE carry every parameter in the query string
            let mut q = query.finish()?;
            let b = body.finish()?;
            if !b.is_empty() {
                if !q.is_empty() {
                    q.push('&');
                }
                q.push_str(&b);
            }
            (q, None)
        };
        let base = match server {
            Some(server) if inner.config.base_url == DEFAULT_BASE_URL => server,
            _ => inner.config.base_url.as_str(),
        };
        let mut url = format!("{base}{path}");
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        let idempotency_key = match &options.idempotency_key {
            _ if !method.has_body() => None,
            Some(key) => Some(key.clone()),
            None => Some(random_uuid()),
        };
        let max_retries = options.max_retries.unwrap_or(inner.config.max_retries);
        // the request's options, then the client's, then the version the request's types describe
        let api_version = options.api_version.as_deref().or(inner.config.api_version.as_deref()).or(api_version);
        let span = RequestSpan::new(method, &path, operation_id);
        let mut attempts = 0;
        loop {
            attempts += 1;
            let attempt = span
                .run(self.attempt(method, &url, api_version, body.as_ref(), idempotency_key.as_deref(), options))
                .await;
            match &attempt {
                Attempt::Response { status, request_id, .. } => span.answered(attempts, *status, request_id.as_deref()),
                Attempt::Failed(e) => span.failed(attempts, e),
            }
            let retry = attempts <= max_retries && should_retry(&attempt);
            if retry {
                let delay = retry_delay(attempts, inner.config.retry_delays);
                span.retrying(attempts, delay);
                span.run(tokio::time::sleep(delay)).await;
                continue;
            }
            return match attempt {
                Attempt::Failed(source) => Err(Error::Transport { source, attempts }),
                Attempt::Response { status, request_id, body, too_large: true, .. } => {
                    Err(Error::Decode(Box::new(DecodeError {
                        status,
                        request_id,
                        path: ".".to_owned(),
                        message: format!(
                            "the response body is larger than {} bytes, the most this client reads",
                            inner.config.max_body_bytes
                        ),
                        snippet: snippet(&body),
                    })))
                }
                Attempt::Response { status, request_id, body, .. } if (200..300).contains(&status) => {
                    Ok((status, request_id, body))
                }
                Attempt::Response { status, request_id, body, .. } => {
                    Err(api_error(status, request_id, &body, attempts))
                }
            };
        }
    }

    async fn attempt(
        &self,
        method: Method,
        url: &str,
        api_version: Option<&str>,
        body: Option<&(String, Vec<u8>)>,
        idempotency_key: Option<&str>,
        options: &RequestOptions,
    ) -> Attempt {
        let inner = &self.inner;
        let config = &inner.config;
        let key = options.api_key.as_deref().unwrap_or(&config.secret_key);
        let mut headers = vec![
            ("Authorization".to_owned(), format!("Bearer {key}")),
            ("User-Agent".to_owned(), inner.user_agent.clone()),
            ("X-Stripe-Client-User-Agent".to_owned(), inner.client_user_agent.clone()),
        ];
        if let Some(version) = api_version {
            headers.push(("Stripe-Version".to_owned(), version.to_owned()));
        }
        if let Some(account) = options.stripe_account.as_deref().or(config.stripe_account.as_deref()) {
            headers.push(("Stripe-Account".to_owned(), account.to_owned()));
        }
        if let Some(context) = options.stripe_context.as_deref().or(config.stripe_context.as_deref()) {
            headers.push(("Stripe-Context".to_owned(), context.to_owned()));
        }
        let last = inner.last_request.lock().ok().and_then(|last| last.clone());
        if let (true, Some((id, duration_ms))) = (config.telemetry, last) {
            let metrics =
                serde_json::json!({ "last_request_metrics": { "request_id": id, "request_duration_ms": duration_ms } });
            headers.push(("X-Stripe-Client-Telemetry".to_owned(), metrics.to_string()));
        }
        if let Some(key) = idempotency_key {
            headers.push(("Idempotency-Key".to_owned(), key.to_owned()));
        }
        if let Some((content_type, _)) = body {
            headers.push(("Content-Type".to_owned(), content_type.clone()));
        }
        let request = HttpRequest { method, url: url.to_owned(), headers, body: body.map(|(_, bytes)| bytes.clone()) };
        let timeout = options.timeout.unwrap_or(config.timeout);
        let max = config.max_body_bytes;
        let started = std::time::Instant::now();
        let response = match tokio::time::timeout(timeout, inner.transport.send(request, max)).await {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => return Attempt::Failed(e),
            Err(_) => return Attempt::Failed(TransportError::timeout(format!("no answer within {timeout:?}"))),
        };
        let request_id = response.header("request-id").map(str::to_owned);
        if let (Some(id), Ok(mut last)) = (&request_id, inner.last_request.lock()) {
            *last = Some((id.clone(), started.elapsed().as_millis()));
        }
        let should_retry = response.header("stripe-should-retry").map(|v| v.eq_ignore_ascii_case("true"));
        let HttpResponse { status, mut body, .. } = response;
        let too_large = body.len() > max;
        body.truncate(max);
        Attempt::Response { status, request_id, should_retry, body, too_large }
    }
}

/// Stripe's retry rules: the `Stripe-Should-Retry` header wins; otherwise connection errors,
/// timeouts, 409 (a conflict such as a concurrent idempotent request) and 5xx.
fn should_retry(attempt: &Attempt) -> bool {
    match attempt {
        Attempt::Failed(e) => e.is_retryable(),
        Attempt::Response { should_retry: Some(decision), .. } => *decision,
        Attempt::Response { status, .. } => *status == 409 || *status >= 500,
    }
}

/// The delay before retry `n` (1-based): `min(initial · 2^(n-1), max)`, times a random factor
/// in [0.5, 1], and never below `initial`.
fn retry_delay(n: u32, (initial, max): (Duration, Duration)) -> Duration {
    let exponential = initial.saturating_mul(1u32 << (n.saturating_sub(1)).min(16)).min(max);
    let jitter = 0.5 + 0.5 * random_unit();
    exponential.mul_f64(jitter).max(initial)
}

/// A random number in [0, 1).
fn random_unit() -> f64 {
    let mut bytes = [0u8; 8];
    if getrandom::getrandom(&mut bytes).is_err() {
        return 1.0 - f64::EPSILON;
    }
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

/// A random version-4 UUID, as Stripe's SDKs use for idempotency keys.
fn random_uuid() -> String {
    let mut b = [0u8; 16];
    if getrandom::getrandom(&mut b).is_err() {
        // no OS randomness: fall back to time and address entropy, still unique per call
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let local = &b as *const _ as usize as u128;
        b = (nanos ^ (local << 64)).to_le_bytes();
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

fn snippet(body: &[u8]) -> String {
    let end = body.len().min(SNIPPET_BYTES);
    let mut s = String::from_utf8_lossy(&body[..end]).into_owned();
    if body.len() > end {
        s.push('…');
    }
    s
}

fn decode<T: serde::de::DeserializeOwned>(status: u16, request_id: Option<String>, body: &[u8]) -> Result<T, Error> {
    let failed = |path: String, message: String| {
        Error::Decode(Box::new(DecodeError {
            status,
            request_id: request_id.clone(),
            path,
            message,
            snippet: snippet(body),
        }))
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let value =
        serde_path_to_error::deserialize(&mut de).map_err(|e| failed(e.path().to_string(), e.inner().to_string()))?;
    // trailing bytes after the JSON value are an error too, not silently ignored
    de.end().map_err(|e| failed(".".to_owned(), e.to_string()))?;
    Ok(value)
}

fn api_error(status: u16, request_id: Option<String>, body: &[u8], attempts: u32) -> Error {
    let value: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let envelope = value.as_ref().and_then(|v| Envelope::deserialize(v).ok()).unwrap_or_default();
    let e = envelope.error;
    let message = e.message.or_else(|| (!body.is_empty() && value.is_none()).then(|| snippet(body)));
    Error::Api(Box::new(ApiError {
        status,
        request_id,
        error_type: e.error_type.as_deref().map(ErrorType::from_wire),
        code: e.code,
        decline_code: e.decline_code,
        message,
        param: e.param,
        doc_url: e.doc_url,
        request_log_url: e.request_log_url,
        attempts,
        body: value,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_cap_and_never_drop_below_the_initial_delay() {
        let d = (Duration::from_millis(500), Duration::from_secs(5));
        for _ in 0..200 {
            let first = retry_delay(1, d);
            assert!(first >= Duration::from_millis(500) && first <= Duration::from_millis(500));
            let third = retry_delay(3, d);
            assert!(third >= Duration::from_secs(1) && third <= Duration::from_secs(2), "{third:?}");
            let tenth = retry_delay(10, d);
            assert!(tenth >= Duration::from_millis(2500) && tenth <= Duration::from_secs(5), "{tenth:?}");
        }
    }

    #[test]
    fn idempotency_keys_are_uuid_shaped_and_distinct() {
        let a = random_uuid();
        let b = random_uuid();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert_eq!(a.split('-').map(str::len).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
    }

    #[test]
    fn debug_hides_the_key() {
        let client = Client::builder("sk_test_secret123").build().ok();
        let text = format!("{client:?}");
        assert!(!text.contains("secret123"), "{text}");
        assert!(text.contains("redacted"));
    }
}
