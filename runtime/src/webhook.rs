//! Webhooks: the `Stripe-Signature` of a delivery verified, and its event decoded.
//!
//! Stripe signs each delivery with the endpoint's signing secret (`whsec_…`). The header is
//! `t=<unix seconds>,v1=<hex HMAC-SHA256 of "{t}.{payload}">`, with several `v1` while a
//! secret is being rolled (any one may match) and other schemes (`v0`) ignored, as Stripe's
//! SDKs read it. The comparison is constant-time (`hmac`'s `verify_slice`), and a timestamp
//! older than the tolerance (300 s) is refused, so a recorded delivery cannot be replayed
//! later; one in the future is not (a receiver whose clock lags would lose deliveries, and
//! Stripe's SDKs accept it). Nothing here needs the `client` feature.
//!
//! An event is rendered in the API version of the endpoint that receives it, not the
//! client's, and objects change shape between versions: [`Webhook::construct_event`] refuses
//! an event of another version than the one its type describes ([`WebhookEvent::API_VERSION`])
//! unless the user opts in ([`Webhook::accept_any_api_version`]).

use hmac::{Hmac, KeyInit, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How far a signature's timestamp may be from now, as in Stripe's SDKs.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// The signature scheme Stripe signs with; others in the header are ignored.
const SCHEME: &str = "v1";

/// An event type a delivery decodes into: the generated `Event`, whose `event_objects!`
/// implements it with its crate's API version.
pub trait WebhookEvent: DeserializeOwned {
    /// The API version the event's types describe: an event rendered in another is refused
    /// unless [`Webhook::accept_any_api_version`].
    const API_VERSION: &'static str;
}

/// Verifies webhook deliveries for one endpoint and decodes their events.
///
/// ```text
/// let webhook = Webhook::new(std::env::var("STRIPE_WEBHOOK_SECRET")?);
/// // `payload`: the raw request body, byte for byte; `signature`: its `Stripe-Signature` header
/// let event: Event = webhook.construct_event(&payload, signature)?;
/// ```
#[derive(Clone)]
pub struct Webhook {
    secret: String,
    tolerance: Duration,
    any_api_version: bool,
}

/// Everything but the secret, which is never shown.
impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("secret", &"[redacted]")
            .field("tolerance", &self.tolerance)
            .field("any_api_version", &self.any_api_version)
            .finish()
    }
}

impl Webhook {
    /// A verifier for the endpoint with this signing secret (`whsec_…`, from the Dashboard or
    /// the endpoint's creation).
    pub fn new(secret: impl Into<String>) -> Self {
        Webhook { secret: secret.into(), tolerance: DEFAULT_TOLERANCE, any_api_version: false }
    }

    /// How far a delivery's timestamp may be from now (default 300 s).
    pub fn tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Decode events of any API version instead of refusing those that are not the event
    /// type's ([`WebhookEvent::API_VERSION`]): for an endpoint on another version whose events
    /// are known to decode (a field that changed may still fail, with a decode error).
    pub fn accept_any_api_version(mut self) -> Self {
        self.any_api_version = true;
        self
    }

    /// Checks that `signature_header` (the `Stripe-Signature` header) signs `payload` (the
    /// raw request body) with this endpoint's secret, at a time no older than the tolerance.
    pub fn verify(&self, payload: impl AsRef<[u8]>, signature_header: &str) -> Result<(), WebhookError> {
        self.verify_at(payload, signature_header, SystemTime::now())
    }

    /// [`Webhook::verify`] as if it were `now`.
    pub fn verify_at(
        &self,
        payload: impl AsRef<[u8]>,
        signature_header: &str,
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let payload = payload.as_ref();
        let header = SignatureHeader::parse(signature_header)?;
        let now = unix_seconds(now);
        // only an old signature is refused, as Stripe's SDKs do: a receiver whose clock lags
        // would otherwise lose deliveries
        if now.saturating_sub(header.timestamp) > self.tolerance.as_secs() {
            return Err(WebhookError::Expired { timestamp: header.timestamp, now, tolerance: self.tolerance });
        }
        let mac = signer(&self.secret, header.timestamp, payload);
        // every candidate is compared in constant time; which one matched is not secret
        let matched = header
            .signatures
            .iter()
            .filter_map(|hex| decode_hex(hex))
            .any(|sig| mac.clone().verify_slice(&sig).is_ok());
        if matched { Ok(()) } else { Err(WebhookError::SignatureMismatch) }
    }

    /// Verifies the delivery, checks that its event is rendered in the API version its type
    /// describes (unless [`Webhook::accept_any_api_version`]), and decodes it into the
    /// generated `Event`.
    ///
    /// `payload` is the raw body as the web framework gives it: bytes or a `String`.
    pub fn construct_event<E: WebhookEvent>(
        &self,
        payload: impl AsRef<[u8]>,
        signature_header: &str,
    ) -> Result<E, WebhookError> {
        self.construct_event_at(payload, signature_header, SystemTime::now())
    }

    /// [`Webhook::construct_event`] as if it were `now`: for tests that replay a recorded delivery.
    pub fn construct_event_at<E: WebhookEvent>(
        &self,
        payload: impl AsRef<[u8]>,
        signature_header: &str,
        now: SystemTime,
    ) -> Result<E, WebhookError> {
        let payload = payload.as_ref();
        self.verify_at(payload, signature_header, now)?;
        self.decode_event(payload)
    }

    /// The version check and decoding of [`Webhook::construct_event`], for a payload that is
    /// already verified.
    pub fn decode_event<E: WebhookEvent>(&self, payload: &[u8]) -> Result<E, WebhookError> {
        let value: serde_json::Value = serde_json::from_slice(payload)
            .map_err(|e| WebhookError::Decode { path: ".".to_owned(), message: e.to_string() })?;
        if !self.any_api_version {
            let version = value.get("api_version").and_then(serde_json::Value::as_str);
            if version != Some(E::API_VERSION) {
                return Err(WebhookError::ApiVersionMismatch {
                    event: version.map(str::to_owned),
                    expected: E::API_VERSION,
                });
            }
        }
        decode_value(value)
    }
}

/// Decodes JSON into `T`, naming where it fails: for an event and its `data.object`.
fn decode_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, WebhookError> {
    serde_path_to_error::deserialize(value)
        .map_err(|e| WebhookError::Decode { path: e.path().to_string(), message: e.inner().to_string() })
}

/// An event's `data.object` decoded into `T`, an error naming where it fails.
#[doc(hidden)] // for `event_objects!`
pub fn decode_object<T: DeserializeOwned>(object: &impl serde::Serialize) -> Result<T, WebhookError> {
    decode_value(object_json(object)?).map_err(|e| match e {
        WebhookError::Decode { path, message } if path == "." => {
            WebhookError::Decode { path: "data.object".to_owned(), message }
        }
        WebhookError::Decode { path, message } => WebhookError::Decode { path: format!("data.object.{path}"), message },
        other => other,
    })
}

/// An event's `data.object` as JSON.
#[doc(hidden)] // for `event_objects!`
pub fn object_json(object: &impl serde::Serialize) -> Result<serde_json::Value, WebhookError> {
    serde_json::to_value(object)
        .map_err(|e| WebhookError::Decode { path: "data.object".to_owned(), message: e.to_string() })
}

/// The enum of an event's typed objects and the event's `object()`, for the generated event:
/// each object type with the features that compile it and the event types whose object it is.
/// An event type of no listed object, or of one whose feature is off, gives the object as JSON.
/// The expansion's `crate::` paths are the generated crate's: its object types and its
/// `API_VERSION` (which [`WebhookEvent`] gets), at its root.
///
/// ```text
/// event_objects! {
///     Event,
///     kind: EventType,
///     fields: (type_, data, object),
///     objects: EventObject,
///     Account if ["account"] {
///         AccountCreated,
///         AccountDeleted,
///     },
/// }
/// ```
#[doc(hidden)]
#[macro_export]
#[allow(clippy::crate_in_macro_def)] // `crate` is the generated crate: its objects and API_VERSION
macro_rules! event_objects {
    (
        $event:ident,
        kind: $kind:ident,
        fields: ($kind_field:ident, $data:ident, $object:ident $(,)?),
        objects: $objects:ident
        $(, $ty:ident if [$($feature:literal),* $(,)?] { $($value:ident),* $(,)? })* $(,)?
    ) => {
        #[doc = concat!("The object of a [`", stringify!($event), "`], typed as its event type says ([`", stringify!($event), "::object`]).")]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum $objects {
            $(
                #[cfg(any($(feature = $feature),*))]
                #[doc = concat!("The object of the event types `", stringify!($kind), "::{", stringify!($($value),*), "}`.")]
                $ty(Box<crate::$ty>),
            )*
            /// The object of an event type this crate has no type for (or whose feature is
            /// off), as Stripe sent it.
            Other(::serde_json::Value),
        }

        impl $crate::webhook::WebhookEvent for $event {
            const API_VERSION: &'static str = crate::API_VERSION;
        }

        impl $event {
            /// `data.object`, decoded into the type the event's type names.
            pub fn object(&self) -> Result<$objects, $crate::webhook::WebhookError> {
                let object = &self.$data.$object;
                Ok(match &self.$kind_field {
                    $(
                        #[cfg(any($(feature = $feature),*))]
                        $($kind::$value)|* => $objects::$ty(Box::new($crate::webhook::decode_object(object)?)),
                    )*
                    _ => $objects::Other($crate::webhook::object_json(object)?),
                })
            }
        }
    };
}

/// A `Stripe-Signature` header for `payload` signed with `secret` at `timestamp`, as Stripe
/// sends it: for testing a webhook handler without Stripe.
///
/// ```
/// use stripe_runtime::webhook::{Webhook, signature_header};
/// use std::time::SystemTime;
///
/// let payload = br#"{"id":"evt_1","object":"event"}"#;
/// let header = signature_header(payload, "whsec_test", SystemTime::now());
/// assert!(Webhook::new("whsec_test").verify(payload, &header).is_ok());
/// ```
pub fn signature_header(payload: &[u8], secret: &str, timestamp: SystemTime) -> String {
    let t = unix_seconds(timestamp);
    let signature = signer(secret, t, payload).finalize().into_bytes();
    let hex: String = signature.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={t},{SCHEME}={hex}")
}

/// The MAC of `"{timestamp}.{payload}"` under `secret`, before finalising.
fn signer(secret: &str, timestamp: u64, payload: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!());
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The parts of a `Stripe-Signature` header that matter.
struct SignatureHeader<'a> {
    timestamp: u64,
    signatures: Vec<&'a str>,
}

impl<'a> SignatureHeader<'a> {
    fn parse(header: &'a str) -> Result<Self, WebhookError> {
        let mut timestamp = None;
        let mut signatures = Vec::new();
        for item in header.split(',') {
            let Some((key, value)) = item.trim().split_once('=') else {
                return Err(WebhookError::MalformedHeader(format!("`{item}` is not `key=value`")));
            };
            match key {
                "t" => {
                    let t = value.parse::<u64>().map_err(|_| {
                        WebhookError::MalformedHeader(format!("the timestamp `t={value}` is not a number of seconds"))
                    })?;
                    timestamp = Some(t);
                }
                SCHEME => signatures.push(value),
                _ => {}
            }
        }
        let timestamp =
            timestamp.ok_or_else(|| WebhookError::MalformedHeader("it has no timestamp `t=`".to_owned()))?;
        if signatures.is_empty() {
            return Err(WebhookError::NoSignature);
        }
        Ok(SignatureHeader { timestamp, signatures })
    }
}

/// Hex digits as bytes; `None` when they are not (such a signature matches nothing).
fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() % 2 != 0 {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

/// Why a webhook delivery was refused.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The `Stripe-Signature` header is not `t=…,v1=…`.
    MalformedHeader(String),
    /// The header has no `v1` signature (Stripe always sends one).
    NoSignature,
    /// No `v1` signature in the header signs this payload with this secret.
    SignatureMismatch,
    /// The signature's timestamp is older than the tolerance.
    Expired {
        /// The header's `t`, in Unix seconds.
        timestamp: u64,
        /// The time of the check, in Unix seconds.
        now: u64,
        /// The tolerance it was checked with.
        tolerance: Duration,
    },
    /// The event is rendered in another API version than the crate's types describe.
    ApiVersionMismatch {
        /// The event's `api_version` (`None` when it has none).
        event: Option<String>,
        /// The version the event's type describes ([`WebhookEvent::API_VERSION`]).
        expected: &'static str,
    },
    /// The verified payload, or an event's `data.object`, does not decode.
    Decode {
        /// Where in the JSON (`data.object.balance`; `.` for the whole).
        path: String,
        /// What was wrong there.
        message: String,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MalformedHeader(why) => write!(f, "the Stripe-Signature header is malformed: {why}"),
            WebhookError::NoSignature => {
                write!(f, "the Stripe-Signature header has no `{SCHEME}` signature (Stripe always sends one)")
            }
            WebhookError::SignatureMismatch => write!(
                f,
                "no `{SCHEME}` signature in the Stripe-Signature header matches the payload: check that the secret is \
                 this endpoint's signing secret (whsec_…) and that the payload is the raw request body, byte for byte"
            ),
            WebhookError::Expired { timestamp, now, tolerance } => write!(
                f,
                "the signature's timestamp {timestamp} is {} s before now ({now}), more than the tolerance of {} s: \
                 a replayed delivery, or a clock that is off",
                now.saturating_sub(*timestamp),
                tolerance.as_secs()
            ),
            WebhookError::ApiVersionMismatch { event, expected } => write!(
                f,
                "the event is rendered in API version {}, but this crate's types describe {expected}: set the \
                 endpoint's API version to {expected}, or decode anyway with `Webhook::accept_any_api_version`",
                event.as_deref().unwrap_or("(none)")
            ),
            WebhookError::Decode { path, message } => write!(f, "the event does not decode at `{path}`: {message}"),
        }
    }
}

impl std::error::Error for WebhookError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_decodes_pairs_and_refuses_the_rest() {
        assert_eq!(decode_hex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(decode_hex("0"), None);
        assert_eq!(decode_hex("zz"), None);
        assert_eq!(decode_hex("é0"), None);
    }

    #[test]
    fn debug_hides_the_secret() {
        let text = format!("{:?}", Webhook::new("whsec_hidden"));
        assert!(!text.contains("hidden"), "{text}");
    }
}
