//! Stripe's form encoding: parameter structs to bracketed
//! `application/x-www-form-urlencoded` bodies and query strings, byte for byte
//! as Stripe's official SDKs send them.
//!
//! ```text
//! file=file_123&metadata[order_id]=6735&metadata[a+b]=c%26d&expand[0]=file&expand[1]=file.links
//! ```
//!
//! - Nested structs and maps become `parent[child]`, sequences `parent[0]`, to
//!   any depth, in serialization order (never sorted).
//! - `None` and unit are left out; the empty string is sent as `key=`, which is
//!   how Stripe unsets a field.
//! - Unit enum variants are sent as their (serde-renamed) names; newtype
//!   structs and all other variants as their content under the same key.
//! - Keys and values are escaped alike: `[` and `]` stay literal, space becomes
//!   `+`, anything outside `A-Z a-z 0-9 - _ . ~` becomes uppercase `%XX`.

use std::fmt::{self, Display, Write as _};

use serde::ser::{self, Impossible, Serialize, Serializer};

use crate::error::Error;

/// One encoded parameter: raw (unescaped) key and value, e.g.
/// `("metadata[order_id]", "6735")`.
pub type Pair = (String, String);

/// Serializes `params` (a struct or map at the top level) into raw key/value
/// pairs, in serialization order.
///
/// An `Option` or newtype around a struct or map is accepted too; `None` and
/// unit give no pairs.
///
/// # Errors
///
/// An invalid-input error when `params` cannot be form-encoded: a scalar or
/// sequence at the top level, bytes, a non-finite float, a map key that is not
/// a string, char, integer or bool, or an error raised by a `Serialize` impl.
pub fn to_pairs<T: Serialize + ?Sized>(params: &T) -> Result<Vec<Pair>, Error> {
    let mut pairs = Vec::new();
    serialize(params, &mut pairs)?;
    Ok(pairs)
}

/// Joins pairs into a form/query string, escaping keys and values:
/// `a=1&b[c]=2`. Zero pairs give the empty string.
#[must_use]
pub fn encode_pairs(pairs: &[Pair]) -> String {
    // One allocation in the common case: every byte literal, plus `=` and `&` per pair.
    let literal: usize = pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
    let mut out = Encoded(String::with_capacity(literal));
    for (key, value) in pairs {
        out.pair(key, value);
    }
    out.0
}

/// Serializes `params` into a form/query string: the pairs [`to_pairs`] gives,
/// as [`encode_pairs`] joins them, written straight into the string.
///
/// # Errors
///
/// As [`to_pairs`].
pub fn to_string<T: Serialize + ?Sized>(params: &T) -> Result<String, Error> {
    // Room for a typical create (a few ids, a timestamp, some metadata) without regrowing.
    let mut out = Encoded(String::with_capacity(256));
    serialize(params, &mut out)?;
    Ok(out.0)
}

fn serialize<T: Serialize + ?Sized, S: Sink>(params: &T, sink: &mut S) -> Result<(), Error> {
    // Room for any key Stripe defines (`metadata[...]` keys are at most 40 characters).
    let mut key = String::with_capacity(64);
    params
        .serialize(ValueSerializer {
            sink,
            key: &mut key,
            top: true,
        })
        .map_err(|FormError(message)| {
            Error::invalid_input(format!("cannot form-encode parameters: {message}"))
        })
}

/// Where the serializers put each scalar and its full key: collected as raw
/// pairs, or escaped straight into a form string.
trait Sink {
    fn pair(&mut self, key: &str, value: &str);

    /// A number or boolean, written without an intermediate string where the sink can.
    fn pair_display(&mut self, key: &str, value: impl Display);
}

impl Sink for Vec<Pair> {
    fn pair(&mut self, key: &str, value: &str) {
        self.push((key.to_owned(), value.to_owned()));
    }

    fn pair_display(&mut self, key: &str, value: impl Display) {
        self.push((key.to_owned(), value.to_string()));
    }
}

/// A form string being written: `&` between pairs, keys and values escaped.
struct Encoded(String);

impl Encoded {
    fn separate(&mut self, key: &str) {
        // Every pair writes at least its `=`, so an empty string means no pair yet.
        if !self.0.is_empty() {
            self.0.push('&');
        }
        push_escaped(&mut self.0, key, Escape::Form);
        self.0.push('=');
    }
}

impl Sink for Encoded {
    fn pair(&mut self, key: &str, value: &str) {
        self.separate(key);
        push_escaped(&mut self.0, value, Escape::Form);
    }

    fn pair_display(&mut self, key: &str, value: impl Display) {
        self.separate(key);
        // Escaped as it is written, like any value (digits, `-` and `.` stay as they are).
        let _ = write!(EscapeWriter(&mut self.0), "{value}");
    }
}

/// Escapes for a form whatever is written through it.
struct EscapeWriter<'a>(&'a mut String);

impl fmt::Write for EscapeWriter<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        push_escaped(self.0, text, Escape::Form);
        Ok(())
    }
}

/// Appends `segment` to `out` as one percent-encoded URL path segment: only
/// `A-Z a-z 0-9 - _ . ~` stay literal, so `/`, `?`, `#` and `%` cannot change
/// the URL's structure.
pub fn push_path_segment(out: &mut String, segment: &str) {
    push_escaped(out, segment, Escape::PathSegment);
}

/// Where escaped text goes; the two differ only in `[`, `]` and space.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Escape {
    Form,
    PathSegment,
}

/// How each byte is written: as is, as `+` (a space in a form), or as `%XX`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Literal,
    Space,
    Bracket,
    Percent,
}

/// The class of every byte, looked up once per byte instead of matched.
const CLASSES: [Class; 256] = {
    let mut table = [Class::Percent; 256];
    let mut byte = 0;
    while byte < 256 {
        #[allow(clippy::cast_possible_truncation, reason = "byte < 256")]
        let b = byte as u8;
        table[byte] = match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => Class::Literal,
            b' ' => Class::Space,
            b'[' | b']' => Class::Bracket,
            _ => Class::Percent,
        };
        byte += 1;
    }
    table
};

fn push_escaped(out: &mut String, text: &str, escape: Escape) {
    // Copy runs of bytes that stay as they are in one `push_str` each (they are ASCII, so
    // every run boundary is a char boundary); only the bytes that change go one by one.
    let form = escape == Escape::Form;
    let bytes = text.as_bytes();
    let mut run_start = 0;
    for (index, &byte) in bytes.iter().enumerate() {
        let class = CLASSES[usize::from(byte)];
        // Stripe's SDKs keep brackets readable in the form, keys and values alike.
        if class == Class::Literal || (class == Class::Bracket && form) {
            continue;
        }
        if run_start < index {
            // `run_start` follows a replaced byte and starts a run of ASCII: a char boundary.
            out.push_str(&text[run_start..index]);
        }
        if class == Class::Space && form {
            out.push('+');
        } else {
            out.push('%');
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte));
        }
        run_start = index + 1;
    }
    out.push_str(&text[run_start..]);
}

/// The uppercase hex digit of the low four bits of `nibble`.
fn hex_digit(nibble: u8) -> char {
    let nibble = nibble & 0x0F;
    char::from(if nibble < 10 {
        b'0' + nibble
    } else {
        b'A' - 10 + nibble
    })
}

/// The serializers' error: serde needs `ser::Error::custom`, which the crate's
/// error type does not offer. Converted at the public boundary.
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

fn top_level_error(found: &str) -> FormError {
    FormError(format!(
        "expected a struct or map at the top level, found {found}"
    ))
}

fn map_key_error(found: &str) -> FormError {
    FormError(format!(
        "map keys must be strings, chars, integers or booleans, found {found}"
    ))
}

/// Implements every integer method of a `Serializer` with one body, in which
/// `$v` is the integer (any `Display` use will do).
macro_rules! integer_methods {
    ($self:ident, $v:ident => $body:expr) => {
        integer_methods!(@each $self, $v => $body;
            serialize_i8 i8, serialize_i16 i16, serialize_i32 i32,
            serialize_i64 i64, serialize_i128 i128,
            serialize_u8 u8, serialize_u16 u16, serialize_u32 u32,
            serialize_u64 u64, serialize_u128 u128);
    };
    (@each $self:ident, $v:ident => $body:expr; $($method:ident $ty:ty),*) => {
        $(fn $method($self, $v: $ty) -> Result<Self::Ok, Self::Error> {
            $body
        })*
    };
}

/// Serializes one value, handing the sink a pair per scalar it contains.
///
/// Every serializer of one call shares a single key buffer: a nested value
/// appends `[name]` or `[index]` to it and the parent cuts it back afterwards,
/// so no key is allocated per pair.
struct ValueSerializer<'a, S> {
    sink: &'a mut S,
    /// The full bracketed key of this value.
    key: &'a mut String,
    /// At the top level, where only structs and maps (which supply the keys)
    /// are accepted.
    top: bool,
}

impl<'a, S: Sink> ValueSerializer<'a, S> {
    /// Refuses a value that is not a struct or map at the top level.
    fn keyed(&self, found: &str) -> Result<(), FormError> {
        if self.top {
            Err(top_level_error(found))
        } else {
            Ok(())
        }
    }

    fn scalar(self, found: &str, value: &str) -> Result<(), FormError> {
        self.keyed(found)?;
        self.sink.pair(self.key, value);
        Ok(())
    }

    fn display(self, found: &str, value: impl Display) -> Result<(), FormError> {
        self.keyed(found)?;
        self.sink.pair_display(self.key, value);
        Ok(())
    }

    fn float(self, value: impl Display, is_finite: bool) -> Result<(), FormError> {
        if !self.top && !is_finite {
            return Err(FormError(format!(
                "`{}` is {value}, but only finite numbers can be sent",
                self.key
            )));
        }
        self.display("a float", value)
    }

    fn seq(self, found: &str) -> Result<SeqSerializer<'a, S>, FormError> {
        self.keyed(found)?;
        Ok(SeqSerializer {
            base: self.key.len(),
            sink: self.sink,
            key: self.key,
            index: 0,
        })
    }

    fn map(self) -> MapSerializer<'a, S> {
        MapSerializer {
            base: self.key.len(),
            sink: self.sink,
            key: self.key,
            top: self.top,
            pending: false,
        }
    }
}

impl<'a, S: Sink> Serializer for ValueSerializer<'a, S> {
    type Ok = ();
    type Error = FormError;
    type SerializeSeq = SeqSerializer<'a, S>;
    type SerializeTuple = SeqSerializer<'a, S>;
    type SerializeTupleStruct = SeqSerializer<'a, S>;
    type SerializeTupleVariant = SeqSerializer<'a, S>;
    type SerializeMap = MapSerializer<'a, S>;
    type SerializeStruct = MapSerializer<'a, S>;
    type SerializeStructVariant = MapSerializer<'a, S>;

    integer_methods!(self, v => self.display("an integer", v));

    fn serialize_bool(self, v: bool) -> Result<(), FormError> {
        self.display("a boolean", v)
    }

    // Each float type keeps its own `Display`: widening f32 to f64 would turn
    // 0.1 into 0.10000000149011612.
    fn serialize_f32(self, v: f32) -> Result<(), FormError> {
        self.float(v, v.is_finite())
    }

    fn serialize_f64(self, v: f64) -> Result<(), FormError> {
        self.float(v, v.is_finite())
    }

    fn serialize_char(self, v: char) -> Result<(), FormError> {
        self.scalar("a char", v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), FormError> {
        self.scalar("a string", v)
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<(), FormError> {
        Err(FormError(if self.top {
            "bytes cannot be form-encoded".to_owned()
        } else {
            format!("bytes cannot be form-encoded (`{}`)", self.key)
        }))
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

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), FormError> {
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _variant_index: u32,
        variant: &'static str,
    ) -> Result<(), FormError> {
        self.scalar("a unit variant", variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), FormError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _variant_index: u32,
        _variant: &'static str,
        value: &T,
    ) -> Result<(), FormError> {
        value.serialize(self)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<SeqSerializer<'a, S>, FormError> {
        self.seq("a sequence")
    }

    fn serialize_tuple(self, _len: usize) -> Result<SeqSerializer<'a, S>, FormError> {
        self.seq("a tuple")
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<SeqSerializer<'a, S>, FormError> {
        self.seq("a tuple struct")
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _variant_index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<SeqSerializer<'a, S>, FormError> {
        self.seq("a tuple variant")
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<MapSerializer<'a, S>, FormError> {
        Ok(self.map())
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<MapSerializer<'a, S>, FormError> {
        Ok(self.map())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _variant_index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<MapSerializer<'a, S>, FormError> {
        Ok(self.map())
    }
}

/// Serializes the elements of a sequence, tuple or tuple variant as `key[i]`.
struct SeqSerializer<'a, S> {
    sink: &'a mut S,
    key: &'a mut String,
    /// The length of the sequence's own key in `key`.
    base: usize,
    index: usize,
}

impl<S: Sink> SeqSerializer<'_, S> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FormError> {
        self.key.truncate(self.base);
        let _ = write!(self.key, "[{}]", self.index);
        self.index += 1;
        serialize_child(self.sink, self.key, self.base, value)
    }
}

/// Serializes `value` under the child key just written to `key`, then cuts `key` back to its
/// parent's `base` length.
fn serialize_child<S: Sink, T: Serialize + ?Sized>(
    sink: &mut S,
    key: &mut String,
    base: usize,
    value: &T,
) -> Result<(), FormError> {
    let result = value.serialize(ValueSerializer {
        sink,
        key: &mut *key,
        top: false,
    });
    key.truncate(base);
    result
}

/// The four sequence-like serde traits, all as [`SeqSerializer::element`].
macro_rules! seq_impls {
    ($($trait:ident :: $method:ident),*) => {
        $(impl<S: Sink> ser::$trait for SeqSerializer<'_, S> {
            type Ok = ();
            type Error = FormError;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FormError> {
                self.element(value)
            }

            fn end(self) -> Result<(), FormError> {
                Ok(())
            }
        })*
    };
}

seq_impls!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// Serializes the fields of a struct or struct variant, or the entries of a
/// map, as `key[name]` (just `name` at the top level).
struct MapSerializer<'a, S> {
    sink: &'a mut S,
    key: &'a mut String,
    /// The length of the map's own key in `key`.
    base: usize,
    top: bool,
    /// Whether `key` holds the key of an entry whose value comes next.
    pending: bool,
}

impl<S: Sink> MapSerializer<'_, S> {
    /// Makes `key` the key of the child named by `write_name`.
    fn child_key(
        &mut self,
        write_name: impl FnOnce(&mut String) -> Result<(), FormError>,
    ) -> Result<(), FormError> {
        self.key.truncate(self.base);
        if self.top {
            write_name(self.key)
        } else {
            self.key.push('[');
            write_name(self.key)?;
            self.key.push(']');
            Ok(())
        }
    }

    /// Serializes `value` under the child key just written.
    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FormError> {
        serialize_child(self.sink, self.key, self.base, value)
    }

    fn field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), FormError> {
        self.child_key(|key| {
            key.push_str(name);
            Ok(())
        })?;
        self.value(value)
    }
}

impl<S: Sink> ser::SerializeMap for MapSerializer<'_, S> {
    type Ok = ();
    type Error = FormError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), FormError> {
        self.child_key(|out| key.serialize(MapKeySerializer { out }))?;
        self.pending = true;
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FormError> {
        if !std::mem::replace(&mut self.pending, false) {
            return Err(FormError("map value serialized before its key".to_owned()));
        }
        self.value(value)
    }

    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

impl<S: Sink> ser::SerializeStruct for MapSerializer<'_, S> {
    type Ok = ();
    type Error = FormError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), FormError> {
        self.field(name, value)
    }

    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

impl<S: Sink> ser::SerializeStructVariant for MapSerializer<'_, S> {
    type Ok = ();
    type Error = FormError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), FormError> {
        self.field(name, value)
    }

    fn end(self) -> Result<(), FormError> {
        Ok(())
    }
}

/// Writes a map key, the raw text that goes between the brackets.
///
/// Besides strings, chars, integers and booleans, it looks through newtype
/// structs (`struct Key(String)`) and takes unit variants by name, exactly as
/// they would be sent as values.
struct MapKeySerializer<'a> {
    out: &'a mut String,
}

impl MapKeySerializer<'_> {
    fn display(self, value: impl Display) -> Result<(), FormError> {
        let _ = write!(self.out, "{value}");
        Ok(())
    }
}

impl Serializer for MapKeySerializer<'_> {
    type Ok = ();
    type Error = FormError;
    type SerializeSeq = Impossible<(), FormError>;
    type SerializeTuple = Impossible<(), FormError>;
    type SerializeTupleStruct = Impossible<(), FormError>;
    type SerializeTupleVariant = Impossible<(), FormError>;
    type SerializeMap = Impossible<(), FormError>;
    type SerializeStruct = Impossible<(), FormError>;
    type SerializeStructVariant = Impossible<(), FormError>;

    integer_methods!(self, v => self.display(v));

    fn serialize_bool(self, v: bool) -> Result<(), FormError> {
        self.display(v)
    }

    fn serialize_f32(self, _v: f32) -> Result<(), FormError> {
        Err(map_key_error("a float"))
    }

    fn serialize_f64(self, _v: f64) -> Result<(), FormError> {
        Err(map_key_error("a float"))
    }

    fn serialize_char(self, v: char) -> Result<(), FormError> {
        self.out.push(v);
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), FormError> {
        self.out.push_str(v);
        Ok(())
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<(), FormError> {
        Err(map_key_error("bytes"))
    }

    fn serialize_none(self) -> Result<(), FormError> {
        Err(map_key_error("an option"))
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), FormError> {
        Err(map_key_error("an option"))
    }

    fn serialize_unit(self) -> Result<(), FormError> {
        Err(map_key_error("unit"))
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), FormError> {
        Err(map_key_error("a unit struct"))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _variant_index: u32,
        variant: &'static str,
    ) -> Result<(), FormError> {
        self.out.push_str(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), FormError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _variant_index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), FormError> {
        Err(map_key_error("a newtype variant"))
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, FormError> {
        Err(map_key_error("a sequence"))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, FormError> {
        Err(map_key_error("a tuple"))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, FormError> {
        Err(map_key_error("a tuple struct"))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _variant_index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, FormError> {
        Err(map_key_error("a tuple variant"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, FormError> {
        Err(map_key_error("a map"))
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, FormError> {
        Err(map_key_error("a struct"))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _variant_index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, FormError> {
        Err(map_key_error("a struct variant"))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;
    use serde::ser::{SerializeMap, Serializer};

    use super::{Pair, encode_pairs, push_path_segment, to_pairs, to_string};

    /// A map that keeps insertion order, as a `HashMap` would not.
    struct Ordered(Vec<(String, String)>);

    fn ordered(entries: &[(&str, &str)]) -> Ordered {
        Ordered(
            entries
                .iter()
                .map(|&(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        )
    }

    impl Serialize for Ordered {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(self.0.len()))?;
            for (key, value) in &self.0 {
                map.serialize_entry(key, value)?;
            }
            map.end()
        }
    }

    #[derive(Serialize)]
    struct CreateLink {
        file: &'static str,
        expires_at: Option<i64>,
        metadata: Option<Ordered>,
        expand: Vec<&'static str>,
    }

    fn encode<T: Serialize + ?Sized>(params: &T) -> String {
        to_string(params).unwrap()
    }

    fn error<T: Serialize + ?Sized>(params: &T) -> String {
        to_pairs(params).unwrap_err().to_string()
    }

    fn pairs(raw: &[(&str, &str)]) -> Vec<Pair> {
        raw.iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn reference_vector_basic() {
        let params = CreateLink {
            file: "file_123",
            expires_at: Some(1_700_000_000),
            metadata: Some(ordered(&[("order_id", "6735"), ("a b", "c&d=e")])),
            expand: vec!["file"],
        };
        assert_eq!(
            encode(&params),
            "file=file_123&expires_at=1700000000&metadata[order_id]=6735\
             &metadata[a+b]=c%26d%3De&expand[0]=file"
        );
        assert_eq!(
            to_pairs(&params).unwrap(),
            pairs(&[
                ("file", "file_123"),
                ("expires_at", "1700000000"),
                ("metadata[order_id]", "6735"),
                ("metadata[a b]", "c&d=e"),
                ("expand[0]", "file"),
            ])
        );
    }

    #[test]
    fn reference_vector_awkward_metadata() {
        let params = CreateLink {
            file: "file_123",
            expires_at: None,
            metadata: Some(ordered(&[("k~*-._", "ü €/+?#[]@!$'()*,;:"), ("x[y]", "1")])),
            expand: vec!["file", "file.links"],
        };
        assert_eq!(
            encode(&params),
            "file=file_123&metadata[k~%2A-._]=%C3%BC+%E2%82%AC%2F%2B%3F%23[]%40%21%24%27%28%29%2A%2C%3B%3A\
             &metadata[x[y]]=1&expand[0]=file&expand[1]=file.links"
        );
    }

    #[test]
    fn none_omitted_and_scalars() {
        #[derive(Serialize)]
        struct Params {
            expires_at: Option<i64>,
            livemode: bool,
            off: bool,
            count: u32,
        }
        let params = Params {
            expires_at: None,
            livemode: true,
            off: false,
            count: 0,
        };
        assert_eq!(encode(&params), "livemode=true&off=false&count=0");
    }

    #[test]
    fn empty_strings_are_sent() {
        #[derive(Serialize)]
        struct Unset {
            metadata: &'static str,
        }

        let params = CreateLink {
            file: "",
            expires_at: None,
            metadata: Some(ordered(&[("order_id", "")])),
            expand: vec![],
        };
        assert_eq!(encode(&params), "file=&metadata[order_id]=");
        assert_eq!(encode(&Unset { metadata: "" }), "metadata=");
        assert_eq!(
            to_pairs(&Unset { metadata: "" }).unwrap(),
            pairs(&[("metadata", "")])
        );
    }

    #[test]
    fn range_query() {
        #[derive(Serialize)]
        struct Range {
            gt: Option<i64>,
            gte: Option<i64>,
            lt: Option<i64>,
            lte: Option<i64>,
        }
        #[derive(Serialize)]
        struct List {
            created: Range,
        }
        let params = List {
            created: Range {
                gt: None,
                gte: Some(1_680_000_000),
                lt: Some(1_690_000_000),
                lte: None,
            },
        };
        assert_eq!(
            encode(&params),
            "created[gte]=1680000000&created[lt]=1690000000"
        );
    }

    #[test]
    fn path_segments() {
        let mut out = String::from("/v1/file_links/");
        push_path_segment(&mut out, "link_a/b?c");
        assert_eq!(out, "/v1/file_links/link_a%2Fb%3Fc");

        let mut out = String::new();
        push_path_segment(&mut out, "link a+b%c&d=é#~");
        assert_eq!(out, "link%20a%2Bb%25c%26d%3D%C3%A9%23~");

        let mut out = String::new();
        push_path_segment(&mut out, "[x]");
        assert_eq!(out, "%5Bx%5D");
    }

    /// Checks every ASCII byte against the rules, independently of the encoder.
    #[test]
    fn every_ascii_byte() {
        for byte in 0..=0x7F_u8 {
            let text = char::from(byte).to_string();
            let unreserved = byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte);
            let percent = format!("%{byte:02X}");

            let mut segment = String::new();
            push_path_segment(&mut segment, &text);
            let expected = if unreserved { &text } else { &percent };
            assert_eq!(&segment, expected, "path segment of byte {byte:#04x}");

            let form = encode_pairs(&[(text.clone(), text.clone())]);
            let expected = match byte {
                b' ' => "+".to_owned(),
                b'[' | b']' => text.clone(),
                _ if unreserved => text.clone(),
                _ => percent,
            };
            assert_eq!(
                form,
                format!("{expected}={expected}"),
                "form of byte {byte:#04x}"
            );
        }
    }

    #[test]
    fn deep_nesting() {
        #[derive(Serialize)]
        struct C {
            c: &'static str,
        }
        #[derive(Serialize)]
        struct B {
            b: C,
        }
        #[derive(Serialize)]
        struct A {
            a: B,
            z: BTreeMap<&'static str, BTreeMap<&'static str, Vec<Vec<u8>>>>,
        }
        let z = BTreeMap::from([("y", BTreeMap::from([("x", vec![vec![1, 2], vec![3]])]))]);
        let params = A {
            a: B { b: C { c: "deep" } },
            z,
        };
        assert_eq!(
            encode(&params),
            "a[b][c]=deep&z[y][x][0][0]=1&z[y][x][0][1]=2&z[y][x][1][0]=3"
        );
    }

    #[test]
    fn sequence_of_structs() {
        #[derive(Serialize)]
        struct Item {
            price: &'static str,
            quantity: Option<u32>,
            tax_rates: Vec<&'static str>,
        }
        #[derive(Serialize)]
        struct Params {
            items: Vec<Item>,
            pair: (u8, &'static str),
        }
        let params = Params {
            items: vec![
                Item {
                    price: "price_1",
                    quantity: Some(2),
                    tax_rates: vec!["txr_1", "txr_2"],
                },
                Item {
                    price: "price_2",
                    quantity: None,
                    tax_rates: vec![],
                },
            ],
            pair: (7, "x"),
        };
        assert_eq!(
            encode(&params),
            "items[0][price]=price_1&items[0][quantity]=2&items[0][tax_rates][0]=txr_1\
             &items[0][tax_rates][1]=txr_2&items[1][price]=price_2&pair[0]=7&pair[1]=x"
        );
    }

    #[test]
    fn empty_sequences_and_maps_give_nothing() {
        #[derive(Serialize)]
        struct Empty {}
        #[derive(Serialize)]
        struct Params {
            expand: Vec<String>,
            metadata: BTreeMap<String, String>,
            nested: Empty,
            unit: (),
        }
        let params = Params {
            expand: vec![],
            metadata: BTreeMap::new(),
            nested: Empty {},
            unit: (),
        };
        assert_eq!(to_pairs(&params).unwrap(), Vec::<Pair>::new());
        assert_eq!(encode(&params), "");
        assert_eq!(encode_pairs(&[]), "");
    }

    #[test]
    fn enums() {
        #[derive(Serialize)]
        #[serde(rename_all = "snake_case")]
        enum Expires {
            Now,
            NeverEver,
            At(i64),
            Window(i64, i64),
            Range { gte: i64, lte: Option<i64> },
        }
        #[derive(Serialize)]
        struct Id(&'static str);
        #[derive(Serialize)]
        struct Params {
            a: Expires,
            b: Expires,
            c: Expires,
            d: Expires,
            e: Expires,
            id: Id,
        }
        let params = Params {
            a: Expires::Now,
            b: Expires::NeverEver,
            c: Expires::At(5),
            d: Expires::Window(1, 2),
            e: Expires::Range { gte: 3, lte: None },
            id: Id("fl_1"),
        };
        assert_eq!(
            encode(&params),
            "a=now&b=never_ever&c=5&d[0]=1&d[1]=2&e[gte]=3&id=fl_1"
        );
    }

    #[test]
    fn integers_are_written_as_display_writes_them() {
        let edges: [i128; 12] = [
            0,
            1,
            -1,
            9,
            10,
            -10,
            1_900_000_000,
            i128::from(i64::MIN),
            i128::from(i64::MAX),
            i128::from(u64::MAX),
            -i128::from(u64::MAX), // 20 digits and a sign
            i128::from(u64::MAX) + 1,
        ];
        for value in edges {
            #[derive(Serialize)]
            struct Params {
                n: i128,
            }
            assert_eq!(
                to_string(&Params { n: value }).unwrap(),
                format!("n={value}"),
                "{value}"
            );
        }
        let mut map = BTreeMap::new();
        map.insert("u", u64::MAX);
        assert_eq!(encode(&map), format!("u={}", u64::MAX));
    }

    #[test]
    fn numbers_and_chars() {
        #[derive(Serialize)]
        struct Params {
            i8: i8,
            i64: i64,
            i128: i128,
            u128: u128,
            f32: f32,
            f64: f64,
            whole: f64,
            tiny: f64,
            c: char,
        }
        let params = Params {
            i8: i8::MIN,
            i64: i64::MIN,
            i128: i128::MIN,
            u128: u128::MAX,
            f32: 0.1,
            f64: 12.5,
            whole: 3.0,
            tiny: 1e-7,
            c: 'é',
        };
        assert_eq!(
            to_pairs(&params).unwrap(),
            pairs(&[
                ("i8", "-128"),
                ("i64", "-9223372036854775808"),
                ("i128", "-170141183460469231731687303715884105728"),
                ("u128", "340282366920938463463374607431768211455"),
                ("f32", "0.1"),
                ("f64", "12.5"),
                ("whole", "3"),
                ("tiny", "0.0000001"),
                ("c", "é"),
            ])
        );
    }

    #[test]
    fn map_keys() {
        #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
        #[serde(rename_all = "snake_case")]
        enum Kind {
            OrderId,
        }
        #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
        struct Key(&'static str);
        #[derive(Serialize)]
        struct Params {
            by_kind: BTreeMap<Kind, u8>,
            by_key: BTreeMap<Key, u8>,
        }

        let ints = BTreeMap::from([(1, "a"), (-2, "b")]);
        assert_eq!(encode(&ints), "-2=b&1=a");
        let bools = BTreeMap::from([(true, "t")]);
        assert_eq!(encode(&bools), "true=t");
        let chars = BTreeMap::from([('k', "v")]);
        assert_eq!(encode(&chars), "k=v");

        let params = Params {
            by_kind: BTreeMap::from([(Kind::OrderId, 1)]),
            by_key: BTreeMap::from([(Key("k"), 2)]),
        };
        assert_eq!(encode(&params), "by_kind[order_id]=1&by_key[k]=2");
    }

    #[test]
    fn top_level_forms() {
        #[derive(Serialize)]
        struct Unit;
        #[derive(Serialize)]
        struct Wrapper<'a>(&'a CreateLink);

        let params = CreateLink {
            file: "file_1",
            expires_at: None,
            metadata: None,
            expand: vec![],
        };
        assert_eq!(encode(&Some(&params)), "file=file_1");
        assert_eq!(encode(&Wrapper(&params)), "file=file_1");

        let map = BTreeMap::from([("b", "2"), ("a", "1")]);
        assert_eq!(encode(&map), "a=1&b=2");

        assert_eq!(encode(&()), "");
        assert_eq!(encode(&None::<CreateLink>), "");
        assert_eq!(encode(&Unit), "");
    }

    #[test]
    fn flatten_and_skip() {
        #[derive(Serialize)]
        struct Common {
            expand: Vec<&'static str>,
        }
        #[derive(Serialize)]
        struct Params {
            #[serde(skip_serializing_if = "str::is_empty")]
            skipped: &'static str,
            limit: u8,
            #[serde(flatten)]
            common: Common,
            #[serde(rename = "type")]
            kind: &'static str,
        }
        let params = Params {
            skipped: "",
            limit: 3,
            common: Common {
                expand: vec!["data.file"],
            },
            kind: "x",
        };
        assert_eq!(encode(&params), "limit=3&expand[0]=data.file&type=x");
    }

    #[test]
    fn json_values() {
        let value = serde_json::json!({
            "amount": 100,
            "metadata": {"k": "v", "empty": ""},
            "lines": [{"n": 1.5}, [true, false]],
            "gone": null,
        });
        // serde_json's map is sorted unless its `preserve_order` feature is on.
        assert_eq!(
            encode(&value),
            "amount=100&lines[0][n]=1.5&lines[1][0]=true&lines[1][1]=false\
             &metadata[empty]=&metadata[k]=v"
        );
    }

    const PREFIX: &str = "cannot form-encode parameters: ";

    #[test]
    fn top_level_must_be_struct_or_map() {
        let expected = |found: &str| {
            format!("{PREFIX}expected a struct or map at the top level, found {found}")
        };
        assert_eq!(error("file_123"), expected("a string"));
        assert_eq!(error(&42), expected("an integer"));
        assert_eq!(error(&Some(true)), expected("a boolean"));
        assert_eq!(error(&vec![("a", "b")]), expected("a sequence"));
        assert_eq!(error(&("a", "b")), expected("a tuple"));
    }

    #[test]
    fn bytes_are_rejected() {
        struct Bytes;
        impl Serialize for Bytes {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_bytes(b"abc")
            }
        }
        #[derive(Serialize)]
        struct Upload {
            file: Bytes,
        }
        assert_eq!(
            error(&Upload { file: Bytes }),
            format!("{PREFIX}bytes cannot be form-encoded (`file`)")
        );
        assert_eq!(
            error(&Bytes),
            format!("{PREFIX}bytes cannot be form-encoded")
        );
    }

    #[test]
    fn non_finite_floats_are_rejected() {
        #[derive(Serialize)]
        struct Amount {
            amount: f64,
            small: Vec<f32>,
        }
        let nan = Amount {
            amount: f64::NAN,
            small: vec![],
        };
        assert_eq!(
            error(&nan),
            format!("{PREFIX}`amount` is NaN, but only finite numbers can be sent")
        );
        let inf = Amount {
            amount: 1.0,
            small: vec![f32::NEG_INFINITY],
        };
        assert_eq!(
            error(&inf),
            format!("{PREFIX}`small[0]` is -inf, but only finite numbers can be sent")
        );
    }

    #[test]
    fn map_keys_must_be_scalars() {
        #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
        struct Key {
            id: u8,
        }
        /// A one-entry map with a float key (floats are not `Ord`).
        struct FloatKey;
        impl Serialize for FloatKey {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(&1.5, "v")?;
                map.end()
            }
        }
        let expected = |found: &str| {
            format!("{PREFIX}map keys must be strings, chars, integers or booleans, found {found}")
        };
        assert_eq!(
            error(&BTreeMap::from([(Key { id: 1 }, "v")])),
            expected("a struct")
        );
        assert_eq!(
            error(&BTreeMap::from([(vec![1], "v")])),
            expected("a sequence")
        );
        assert_eq!(
            error(&BTreeMap::from([(Some("k"), "v")])),
            expected("an option")
        );
        assert_eq!(error(&FloatKey), expected("a float"));
    }

    #[test]
    fn custom_errors_pass_through() {
        struct Custom;
        impl Serialize for Custom {
            fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no thanks"))
            }
        }
        assert_eq!(error(&Custom), format!("{PREFIX}no thanks"));
    }

    /// A plain form decoder, written from the spec rather than the encoder.
    fn decode(form: &str) -> Vec<Pair> {
        fn unescape(text: &str) -> String {
            let mut bytes = Vec::new();
            let mut input = text.bytes();
            while let Some(byte) = input.next() {
                match byte {
                    b'+' => bytes.push(b' '),
                    b'%' => {
                        let hex = [input.next().unwrap(), input.next().unwrap()];
                        let hex = std::str::from_utf8(&hex).unwrap();
                        assert_eq!(hex, hex.to_ascii_uppercase(), "lowercase hex in {text:?}");
                        bytes.push(u8::from_str_radix(hex, 16).unwrap());
                    }
                    _ => {
                        assert!(
                            byte.is_ascii_alphanumeric() || b"-_.~[]".contains(&byte),
                            "unescaped {:?} in {text:?}",
                            char::from(byte)
                        );
                        bytes.push(byte);
                    }
                }
            }
            String::from_utf8(bytes).unwrap()
        }
        if form.is_empty() {
            return Vec::new();
        }
        form.split('&')
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap();
                (unescape(key), unescape(value))
            })
            .collect()
    }

    #[test]
    fn encoding_round_trips() {
        #[derive(Serialize)]
        struct Params<'a> {
            metadata: &'a BTreeMap<String, String>,
        }

        let printable: String = (0x20..=0x7E_u8).map(char::from).collect();
        let awkward = [
            printable.as_str(),
            "",
            " ",
            "+",
            "%",
            "%25",
            "a=b&c=d",
            "[]",
            "metadata[x][y]",
            "ü €/+?#[]@!$'()*,;:",
            "日本語 🦀 \u{0} \u{7F} \t\r\n",
        ];
        let raw: Vec<Pair> = awkward
            .iter()
            .flat_map(|&key| {
                awkward
                    .iter()
                    .map(move |&value| (key.to_owned(), value.to_owned()))
            })
            .collect();
        assert_eq!(decode(&encode_pairs(&raw)), raw);

        let mut metadata = BTreeMap::new();
        for (i, text) in awkward.iter().enumerate() {
            metadata.insert(format!("{text}{i}"), (*text).to_owned());
        }
        let expected: Vec<Pair> = metadata
            .iter()
            .map(|(k, v)| (format!("metadata[{k}]"), v.clone()))
            .collect();
        let form = encode(&Params {
            metadata: &metadata,
        });
        assert_eq!(decode(&form), expected);
    }
}
