//! Generic shapes of Stripe's API that the generated types use: expandable references,
//! list envelopes, fields a caller clears by sending an empty string, and timestamps.

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// Seconds since the Unix epoch (`format: unix-time` in the spec).
pub type Timestamp = i64;

/// A file to upload (`format: binary` in the spec), sent as a `multipart/form-data` part.
#[derive(Clone, PartialEq, Eq)]
pub struct FileUpload {
    /// The file name Stripe records.
    pub filename: String,
    /// The MIME type, such as `application/pdf`.
    pub content_type: String,
    /// The contents.
    pub bytes: Vec<u8>,
}

impl FileUpload {
    /// A file with this name and contents, typed `application/octet-stream`.
    pub fn new(filename: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        FileUpload {
            filename: filename.into(),
            content_type: "application/octet-stream".to_owned(),
            bytes: bytes.into(),
        }
    }

    /// Sets the MIME type.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }
}

impl fmt::Debug for FileUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileUpload")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .finish()
    }
}

/// A file is a multipart part of its own, never a nested form value.
impl Serialize for FileUpload {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("a file can only be sent as a top-level multipart parameter"))
    }
}

/// Responses never carry file contents; a string is taken as the contents, for completeness.
impl<'de> Deserialize<'de> for FileUpload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|s| FileUpload::new("", s.into_bytes()))
    }
}

/// A reference to another object: its id, or the object itself when the request asked to
/// `expand` the field.
#[derive(Debug, Clone, PartialEq)]
pub enum Expandable<T> {
    /// Not expanded: the object's id.
    Id(String),
    /// Expanded: the object.
    Object(Box<T>),
}

impl<T> Expandable<T> {
    /// The id, when the field was not expanded.
    pub fn as_id(&self) -> Option<&str> {
        match self {
            Expandable::Id(id) => Some(id),
            Expandable::Object(_) => None,
        }
    }

    /// The object, when the field was expanded.
    pub fn as_object(&self) -> Option<&T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(o) => Some(o),
        }
    }
}

impl<T: Serialize> Serialize for Expandable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Expandable::Id(id) => serializer.serialize_str(id),
            Expandable::Object(o) => o.serialize(serializer),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Expandable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // a string is an id, an object is the expansion; no buffering, so error paths stay exact
        struct ExpandableVisitor<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for ExpandableVisitor<T> {
            type Value = Expandable<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id string or an expanded object")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Expandable::Id(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Expandable::Id(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|o| Expandable::Object(Box::new(o)))
            }
        }
        deserializer.deserialize_any(ExpandableVisitor(PhantomData))
    }
}

/// Stripe's list envelope: one page of objects.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct List<T> {
    /// The objects on this page.
    pub data: Vec<T>,
    /// Whether there are more objects after this page.
    pub has_more: bool,
    /// The URL of the list, such as `/v1/financial_connections/accounts`.
    #[serde(default)]
    pub url: String,
    /// The total number of objects, where Stripe reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List { data: Vec::new(), has_more: false, url: String::new(), total_count: None }
    }
}

/// Stripe's search result envelope: one page of objects, and the cursor of the next page.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SearchList<T> {
    /// The objects on this page.
    pub data: Vec<T>,
    /// Whether there are more objects after this page.
    pub has_more: bool,
    /// The cursor to pass as `page` for the next page, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page: Option<String>,
    /// The URL of the search, such as `/v1/customers/search`.
    #[serde(default)]
    pub url: String,
    /// The total number of matches, where Stripe reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
}

/// Encoded as Stripe sends it, with its `"object": "list"`.
impl<T: Serialize> Serialize for List<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("List", 5)?;
        out.serialize_field("object", "list")?;
        out.serialize_field("data", &self.data)?;
        out.serialize_field("has_more", &self.has_more)?;
        out.serialize_field("url", &self.url)?;
        optional_field(&mut out, "total_count", &self.total_count)?;
        out.end()
    }
}

/// Encoded as Stripe sends it, with its `"object": "search_result"`.
impl<T: Serialize> Serialize for SearchList<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("SearchList", 6)?;
        out.serialize_field("object", "search_result")?;
        out.serialize_field("data", &self.data)?;
        out.serialize_field("has_more", &self.has_more)?;
        optional_field(&mut out, "next_page", &self.next_page)?;
        out.serialize_field("url", &self.url)?;
        optional_field(&mut out, "total_count", &self.total_count)?;
        out.end()
    }
}

/// A field written only when it has a value, as Stripe leaves it out.
fn optional_field<S: SerializeStruct, V: Serialize>(
    out: &mut S,
    key: &'static str,
    value: &Option<V>,
) -> Result<(), S::Error> {
    match value {
        Some(value) => out.serialize_field(key, value),
        None => out.skip_field(key),
    }
}

impl<T> Default for SearchList<T> {
    fn default() -> Self {
        SearchList { data: Vec::new(), has_more: false, next_page: None, url: String::new(), total_count: None }
    }
}

/// A parameter that can be set to a value, or cleared by sending it as an empty string
/// (Stripe's `anyOf [..., enum: [""]]`).
#[derive(Debug, Clone, PartialEq)]
pub enum Emptyable<T> {
    /// Set the value.
    Value(T),
    /// Clear the value: sent as `key=`.
    Empty,
}

impl<T: Serialize> Serialize for Emptyable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Emptyable::Value(v) => v.serialize(serializer),
            Emptyable::Empty => serializer.serialize_str(""),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Emptyable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        if value.as_str() == Some("") {
            return Ok(Emptyable::Empty);
        }
        T::deserialize(value).map(Emptyable::Value).map_err(de::Error::custom)
    }
}

impl<T> From<T> for Emptyable<T> {
    fn from(value: T) -> Self {
        Emptyable::Value(value)
    }
}
