//! What the client reports through `tracing` (feature `tracing`): a span per request
//! (`stripe.request`: method, path, operation, and once known the status, request id and
//! attempts), an event per attempt (its status and request id, or its failure) and per retry
//! (the delay). Never the API key, the query string or a body: they hold secrets and
//! customers' data. Without the feature every function here is empty.

use crate::Method;
use crate::error::TransportError;
use std::future::Future;
use std::time::Duration;

/// The span of one request, with its attempts inside.
pub(crate) struct RequestSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl RequestSpan {
    /// The span of a request to `path` (without its query string).
    #[allow(unused_variables)]
    pub(crate) fn new(method: Method, path: &str, operation: &'static str) -> Self {
        RequestSpan {
            #[cfg(feature = "tracing")]
            span: tracing::info_span!(
                "stripe.request",
                method = method.as_str(),
                path,
                operation,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
                attempts = tracing::field::Empty,
            ),
        }
    }

    /// Runs `work` inside the span.
    pub(crate) async fn run<F: Future>(&self, work: F) -> F::Output {
        #[cfg(feature = "tracing")]
        let work = tracing::Instrument::instrument(work, self.span.clone());
        work.await
    }

    /// Attempt `attempt` (from 1) got an answer.
    #[allow(unused_variables)]
    pub(crate) fn answered(&self, attempt: u32, status: u16, request_id: Option<&str>) {
        #[cfg(feature = "tracing")]
        {
            self.span.record("status", status);
            self.span.record("attempts", attempt);
            if let Some(id) = request_id {
                self.span.record("request_id", id);
            }
            let _inside = self.span.enter();
            tracing::debug!(attempt, status, request_id, "Stripe answered");
        }
    }

    /// Attempt `attempt` got no answer.
    #[allow(unused_variables)]
    pub(crate) fn failed(&self, attempt: u32, error: &TransportError) {
        #[cfg(feature = "tracing")]
        {
            self.span.record("attempts", attempt);
            let _inside = self.span.enter();
            tracing::debug!(attempt, timeout = error.is_timeout(), connect = error.is_connect(), error = %error, "no answer");
        }
    }

    /// Attempt `attempt` is retried after `delay`.
    #[allow(unused_variables)]
    pub(crate) fn retrying(&self, attempt: u32, delay: Duration) {
        #[cfg(feature = "tracing")]
        self.span.in_scope(|| tracing::info!(attempt, delay_ms = delay.as_millis() as u64, "retrying"));
    }
}
