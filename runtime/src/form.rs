//! `application/x-www-form-urlencoded` the way Stripe's own SDKs write it.
//!
//! Nested keys in brackets (`account_holder[type]=customer`), lists indexed
//! (`permissions[0]=balances`, `a[0][k]=v`), brackets left literal, spaces as `+`, every other
//! reserved character percent-encoded; `None` and empty lists are left out, an empty string is
//! kept as `key=`. Values are walked with serde directly (no intermediate JSON), so the wire
//! order is the struct's field order. The same pairs, plus file parts, make a
//! `multipart/form-data` body for operations that upload files.

use crate::types::FileUpload;

use crate::Error;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::ser::{self, Impossible, Serialize};
use std::fmt::{self, Display};

/// A parameter's key as its segments: `["filters", "countries", "0"]` is `filters[countries][0]`.
type Key = Vec<String>;

/// Collects `key=value` pairs (and files) for a query string, a form body or a multipart body.
#[derive(Debug, Default)]
pub struct FormEncoder {
    pairs: Vec<(Key, String)>,
    files: Vec<(String, FileUpload)>,
    error: Option<String>,
}

impl FormEncoder {
    /// An empty encoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a parameter: its wire name and its value (nested values get bracketed keys).
    pub fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let key = vec![name.to_owned()];
        if let Err(e) = value.serialize(PairSerializer { pairs: &mut self.pairs, key }) {
            self.error.get_or_insert_with(|| format!("parameter `{name}`: {}", e.0));
        }
    }

    /// Adds a file to upload (multipart bodies only); `None` adds nothing.
    pub fn file(&mut self, name: &str, file: Option<&FileUpload>) {
        if let Some(file) = file {
            self.files.push((name.to_owned(), file.clone()));
        }
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty() && self.files.is_empty()
    }

    /// The encoded text, `a=1&b[c]=2`; an error if a value could not be encoded.
    pub fn finish(self) -> Result<String, Error> {
        if let Some(message) = self.error {
            return Err(Error::Encode(message));
        }
        if let Some((name, _)) = self.files.first() {
            return Err(Error::Encode(format!("parameter `{name}` is a file, which only a multipart body can carry")));
        }
        let mut out = String::new();
        for (key, value) in &self.pairs {
            if !out.is_empty() {
                out.push('&');
            }
            for (i, segment) in key.iter().enumerate() {
                if i == 0 {
                    out.push_str(&encode(segment));
                } else {
                    out.push('[');
                    out.push_str(&encode(segment));
                    out.push(']');
                }
            }
            out.push('=');
            out.push_str(&encode(value));
        }
        Ok(out)
    }

    /// A `multipart/form-data` body with this boundary: one part per pair (named like
    /// `file_link_data[create]`), then one part per file.
    pub fn finish_multipart(self, boundary: &str) -> Result<Vec<u8>, Error> {
        if let Some(message) = self.error {
            return Err(Error::Encode(message));
        }
        let mut out = Vec::new();
        let quoted = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"").replace(['\r', '\n'], " ");
        for (key, value) in &self.pairs {
            let name = key
                .iter()
                .enumerate()
                .map(|(i, s)| if i == 0 { s.clone() } else { format!("[{s}]") })
                .collect::<String>();
            out.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n{value}\r\n",
                    quoted(&name)
                )
                .as_bytes(),
            );
        }
        for (name, file) in &self.files {
            out.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                    quoted(name),
                    quoted(&file.filename),
                    quoted(&file.content_type)
                )
                .as_bytes(),
            );
            out.extend_from_slice(&file.bytes);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Ok(out)
    }
}

/// Form encoding of one key segment or value: spaces as `+`, all but `*-._` and alphanumerics
/// percent-encoded (as `form_urlencoded` does).
fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Characters a path segment keeps as they are: the unreserved set of RFC 3986.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes a path parameter so that no value can change the path: `/`, `?`, `#` and
/// the rest are escaped, and values a URL parser would treat as `.`/`..` or drop are refused.
pub fn encode_path_segment(name: &str, value: &impl Display) -> Result<String, Error> {
    let value = value.to_string();
    if value.is_empty() || value.chars().all(|c| c == '.') {
        return Err(Error::InvalidRequest(format!(
            "path parameter `{name}` is {value:?}, which would change the request's path"
        )));
    }
    Ok(utf8_percent_encode(&value, PATH_SEGMENT).to_string())
}

/// Why a value could not be form-encoded.
#[derive(Debug)]
struct FormError(String);

impl Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FormError {}

impl ser::Error for FormError {
    fn custom<T: Display>(msg: T) -> Self {
        FormError(msg.to_string())
    }
}

/// Serializes one value under a key, pushing pairs.
struct PairSerializer<'a> {
    pairs: &'a mut Vec<(Key, String)>,
    key: Key,
}

impl<'a> PairSerializer<'a> {
    fn push(self, value: String) -> Result<(), FormError> {
        self.pairs.push((self.key, value));
        Ok(())
    }

    fn nested(&mut self, segment: &str) -> PairSerializer<'_> {
        PairSerializer { pairs: self.pairs, key: child(&self.key, segment) }
    }
}

fn child(key: &Key, segment: &str) -> Key {
    let mut key = key.clone();
    key.push(segment.to_owned());
    key
}

macro_rules! scalar {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Result<(), FormError> { self.push(v.to_string()) })*
    };
}

impl<'a> ser::Serializer for PairSerializer<'a> {
    type Ok = ();
    type Error = FormError;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Impossible<(), FormError>;
    type SerializeMap = Map<'a>;
    type SerializeStruct = Map<'a>;
    type SerializeStructVariant = Impossible<(), FormError>;

    scalar!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_u128: u128, serialize_f32: f32, serialize_f64: f64, serialize_char: char, serialize_str: &str);

    fn serialize_bytes(self, _: &[u8]) -> Result<(), FormError> {
        Err(FormError("raw bytes cannot be form-encoded".to_owned()))
    }
    fn serialize_none(self) -> Result<(), FormError> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), FormError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), FormError> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), FormError> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), FormError> {
        self.push(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), FormError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), FormError> {
        value.serialize(self.nested(variant))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, FormError> {
        Ok(Seq { pairs: self.pairs, key: self.key, index: 0 })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, FormError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a>, FormError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, FormError> {
        Err(FormError(format!("tuple variants of `{name}` cannot be form-encoded")))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'a>, FormError> {
        Ok(Map { pairs: self.pairs, key: self.key, next_key: None })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Map<'a>, FormError> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, FormError> {
        Err(FormError(format!("struct variants of `{name}` cannot be form-encoded")))
    }
}

/// A list: items under `key[0]`, `key[1]`, ...
struct Seq<'a> {
    pairs: &'a mut Vec<(Key, String)>,
    key: Key,
    index: usize,
}

impl Seq<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FormError> {
        let key = child(&self.key, &self.index.to_string());
        self.index += 1;
        value.serialize(PairSerializer { pairs: self.pairs, key })
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = FormError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FormError> {
        self.item(value)
    }
    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = ();
    type Error = FormError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FormError> {
        self.item(value)
    }
    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = ();
    type Error = FormError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FormError> {
        self.item(value)
    }
    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

/// A map or struct: values under `key[name]`.
struct Map<'a> {
    pairs: &'a mut Vec<(Key, String)>,
    key: Key,
    next_key: Option<String>,
}

impl Map<'_> {
    fn entry<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), FormError> {
        value.serialize(PairSerializer { pairs: self.pairs, key: child(&self.key, name) })
    }
}

impl ser::SerializeMap for Map<'_> {
    type Ok = ();
    type Error = FormError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), FormError> {
        let mut out = Vec::new();
        key.serialize(PairSerializer { pairs: &mut out, key: Vec::new() })?;
        match out.pop() {
            Some((_, k)) if out.is_empty() => {
                self.next_key = Some(k);
                Ok(())
            }
            _ => Err(FormError("map keys must be strings or numbers".to_owned())),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FormError> {
        let key = self.next_key.take().ok_or_else(|| FormError("map value without a key".to_owned()))?;
        self.entry(&key, value)
    }
    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

impl ser::SerializeStruct for Map<'_> {
    type Ok = ();
    type Error = FormError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), FormError> {
        self.entry(name, value)
    }
    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(serde::Serialize)]
    struct Holder {
        r#type: &'static str,
        customer: Option<&'static str>,
        account: Option<&'static str>,
    }

    #[test]
    fn nested_keys_lists_and_escapes() {
        let mut form = FormEncoder::new();
        form.field("account_holder", &Holder { r#type: "customer", customer: Some("cus 1&2"), account: None });
        form.field("permissions", &vec!["payment_method", "balances"]);
        form.field("empty_list", &Vec::<String>::new());
        form.field("cleared", &"");
        form.field("items", &vec![BTreeMap::from([("price", "p[1]")])]);
        form.field("return_url", &Some("https://x.y/a?b=c d"));
        assert_eq!(
            form.finish().ok().as_deref(),
            Some(
                "account_holder[type]=customer&account_holder[customer]=cus+1%262\
                 &permissions[0]=payment_method&permissions[1]=balances&cleared=\
                 &items[0][price]=p%5B1%5D&return_url=https%3A%2F%2Fx.y%2Fa%3Fb%3Dc+d"
            )
        );
    }

    #[test]
    fn multipart_parts_use_raw_bracketed_names_then_files() {
        let mut form = FormEncoder::new();
        form.field("purpose", &"dispute_evidence");
        form.field("file_link_data", &BTreeMap::from([("create", true)]));
        form.file("file", Some(&FileUpload::new("a \"b\".pdf", b"%PDF".to_vec()).content_type("application/pdf")));
        form.file("absent", None);
        let body = form.finish_multipart("XB").ok().map(|b| String::from_utf8_lossy(&b).into_owned());
        assert_eq!(
            body.as_deref(),
            Some(
                "--XB\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\ndispute_evidence\r\n\
                 --XB\r\nContent-Disposition: form-data; name=\"file_link_data[create]\"\r\n\r\ntrue\r\n\
                 --XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".pdf\"\r\n\
                 Content-Type: application/pdf\r\n\r\n%PDF\r\n--XB--\r\n"
            )
        );
    }

    #[test]
    fn a_file_in_a_form_body_or_nested_value_is_an_error() {
        let mut form = FormEncoder::new();
        form.file("file", Some(&FileUpload::new("x", vec![1])));
        assert!(matches!(form.finish(), Err(Error::Encode(_))));
        let mut form = FormEncoder::new();
        form.field("nested", &vec![FileUpload::new("x", vec![1])]);
        assert!(matches!(form.finish_multipart("b"), Err(Error::Encode(m)) if m.contains("top-level multipart")));
    }

    #[test]
    fn path_segments_cannot_change_the_path() {
        assert_eq!(encode_path_segment("id", &"a/b?c#d e").ok().as_deref(), Some("a%2Fb%3Fc%23d%20e"));
        assert!(encode_path_segment("id", &"..").is_err());
        assert!(encode_path_segment("id", &"").is_err());
    }
}
