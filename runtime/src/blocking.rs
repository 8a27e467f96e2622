//! A blocking client for code without an async runtime (feature `blocking`): the async
//! [`Client`] driven by a single-threaded tokio runtime of its own, so retries, timeouts,
//! errors and pagination are the async client's. It has its own connection pool and runtime;
//! async code keeps using [`Client`], which this feature does not change.
//!
//! ```text
//! let client = BlockingClient::new(std::env::var("STRIPE_SECRET_KEY")?)?;
//! let session = client.send(&CreateSession::new(holder, permissions), &RequestOptions::new())?;
//! for account in client.paginate(&ListAccounts::new().session(session.id)) {
//!     println!("{}", account?.id);
//! }
//! ```

use crate::{Client, ClientBuilder, Error, ListRequest, Pages, RequestOptions, Response, StripeRequest};
use std::future::Future;
use std::sync::Arc;

/// A [`Client`] whose calls block the calling thread until Stripe answers.
#[derive(Clone, Debug)]
pub struct BlockingClient {
    client: Client,
    runtime: Arc<OwnRuntime>,
}

/// The client's runtime, shut down without blocking when the last clone goes: dropping a
/// tokio runtime waits for its tasks, which tokio refuses with a panic inside another runtime
/// (a `BlockingClient` made in sync code and dropped in async code, or in a `#[tokio::test]`).
#[derive(Debug)]
struct OwnRuntime(Option<tokio::runtime::Runtime>);

impl Drop for OwnRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl BlockingClient {
    /// A blocking client with this secret key and default settings.
    pub fn new(secret_key: impl Into<String>) -> Result<Self, Error> {
        Self::from_builder(Client::builder(secret_key))
    }

    /// A blocking client configured like `builder` (base URL, retries, timeouts, app info, a
    /// transport).
    pub fn from_builder(builder: ClientBuilder) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Config(format!("cannot start the blocking client's runtime: {e}")))?;
        Ok(BlockingClient { client: builder.build()?, runtime: Arc::new(OwnRuntime(Some(runtime))) })
    }

    /// Runs `work` to completion on this client's runtime. Inside an async runtime that would
    /// stall the runtime's thread (tokio refuses it with a panic), so it is an error instead.
    fn block_on<T>(&self, work: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Config(
                "a blocking call inside an async runtime would stall it: use `Client` and `.await` there".to_owned(),
            ));
        }
        match &self.runtime.0 {
            Some(runtime) => runtime.block_on(work),
            None => Err(Error::Config("the blocking client's runtime has shut down".to_owned())),
        }
    }

    /// [`Client::send`], blocking.
    pub fn send<R: StripeRequest + ?Sized>(&self, request: &R, options: &RequestOptions) -> Result<R::Response, Error> {
        self.block_on(self.client.send(request, options))
    }

    /// [`Client::send_full`], blocking.
    pub fn send_full<R: StripeRequest + ?Sized>(
        &self,
        request: &R,
        options: &RequestOptions,
    ) -> Result<Response<R::Response>, Error> {
        self.block_on(self.client.send_full(request, options))
    }

    /// [`Client::raw_request`], blocking.
    pub fn raw_request(
        &self,
        method: crate::Method,
        path: &str,
        params: &serde_json::Value,
        options: &RequestOptions,
    ) -> Result<Response<serde_json::Value>, Error> {
        self.block_on(self.client.raw_request(method, path, params, options))
    }

    /// Every object of the list `request` starts, fetched page by page as the iterator is
    /// walked (see [`Pages`]). A page that fails is an `Err` item, and the next call asks for
    /// it again.
    pub fn paginate<R: ListRequest>(&self, request: &R) -> BlockingPages<R> {
        self.paginate_with(request, &RequestOptions::new())
    }

    /// [`BlockingClient::paginate`] with `options` for every page.
    pub fn paginate_with<R: ListRequest>(&self, request: &R, options: &RequestOptions) -> BlockingPages<R> {
        BlockingPages { client: self.clone(), pages: Pages::new(&self.client, request.clone(), options.clone()) }
    }
}

/// The objects of a list, as an iterator that fetches pages as it goes.
pub struct BlockingPages<R: ListRequest> {
    client: BlockingClient,
    pages: Pages<R>,
}

impl<R: ListRequest> std::fmt::Debug for BlockingPages<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockingPages").field("client", &self.client).finish_non_exhaustive()
    }
}

impl<R: ListRequest> Iterator for BlockingPages<R> {
    type Item = Result<R::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let BlockingPages { client, pages } = self;
        client.block_on(pages.try_next()).transpose()
    }
}
