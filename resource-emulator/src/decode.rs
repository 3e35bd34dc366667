//! Reading request parameters the way Stripe's API does.
//!
//! Stripe takes parameters as `application/x-www-form-urlencoded` bodies (and query strings) with
//! bracketed keys, exactly as [`resource_core::form`] writes them:
//!
//! ```text
//! file=file_123&metadata[order_id]=6735&metadata[a+b]=c%26d&expand[0]=file
//! ```
//!
//! Reading them back takes three steps:
//!
//! 1. [`parse_form`] splits and unescapes the text into raw `(key, value)` pairs;
//! 2. [`decode_params`] checks the top-level names against the params struct (learned with
//!    [`field_names`]), builds a tree from the bracketed keys, and deserializes the params struct
//!    from it with a lenient deserializer: every value is a string, parsed on demand into what the
//!    type asks for (`limit=3` into a `u32`, `expired=false` into a `bool`);
//! 3. the struct is re-serialized as typed JSON, which is what the emulator works with.
//!
//! Every failure is a Stripe-style [`Rejection`]: `Received unknown parameter: x`,
//! `Missing required param: file.`, `Invalid integer: abc` about `limit`, and so on.
//!
//! # Keys
//!
//! A key is a name followed by any number of bracketed segments: `a`, `a[b]`, `a[b][c]`. An empty
//! segment (`expand[]`) appends to a sequence. Brackets inside a segment must balance and are then
//! part of it, so a metadata key `a[b]` (sent as `metadata[a[b]]`) reads back as `a[b]`; a key
//! whose brackets do not balance (`metadata[a]]`) cannot be told apart from nesting and is
//! rejected as malformed. Keys are nested at most 32 segments deep.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::{self, Display};

use serde::Serialize;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, Expected, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde_json::{Map, Value};

use crate::Rejection;

/// How many bracketed segments a key may have (`a[b][c]` has two).
const MAX_SEGMENTS: usize = 32;

/// How many keys Stripe takes in a `metadata` hash.
const MAX_METADATA_KEYS: usize = 50;

/// Parses an urlencoded string into raw (key, value) pairs: split on `&`, then the first `=`;
/// `+` is a space; `%XX` is a byte; the result must be UTF-8.
///
/// Empty pieces (`a=1&&b=2`, a trailing `&`) are skipped, and a piece without `=` is a key with
/// an empty value. Pairs keep their order; repeated keys are kept (and rejected later by
/// [`decode_params`]).
///
/// # Errors
///
/// A 400 `invalid_request_error` when a `%` is not followed by two hex digits, or when the
/// unescaped bytes of a key or value are not UTF-8 (about the key, when it is the value that is
/// broken).
pub fn parse_form(encoded: &str) -> Result<Vec<(String, String)>, Rejection> {
    let mut pairs = Vec::new();
    for piece in encoded.split('&') {
        if piece.is_empty() {
            continue;
        }
        let (raw_key, raw_value) = piece.split_once('=').unwrap_or((piece, ""));
        let key = unescape(raw_key).map_err(|problem| {
            Rejection::invalid_request(format!("Invalid parameter name `{raw_key}`: {problem}"))
        })?;
        let value = unescape(raw_value).map_err(|problem| {
            Rejection::invalid_request(format!("Invalid value for {key}: {problem}")).param(&key)
        })?;
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// Undoes form escaping: `+` is a space, `%XX` a byte; the bytes must be UTF-8.
fn unescape(text: &str) -> Result<String, String> {
    if !text.contains(['+', '%']) {
        return Ok(text.to_owned());
    }
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.bytes();
    while let Some(byte) = rest.next() {
        match byte {
            b'+' => bytes.push(b' '),
            b'%' => {
                let high = rest.next().and_then(hex_value);
                let low = rest.next().and_then(hex_value);
                match (high, low) {
                    (Some(high), Some(low)) => bytes.push((high << 4) | low),
                    _ => {
                        return Err(
                            "`%` must be followed by two hexadecimal digits (`%26` for `&`)"
                                .to_owned(),
                        );
                    }
                }
            }
            other => bytes.push(other),
        }
    }
    String::from_utf8(bytes).map_err(|_| "the escaped bytes are not valid UTF-8".to_owned())
}

/// The value of one hexadecimal digit.
pub(crate) fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// The field names of a struct type `T`, learned through its `Deserialize` impl (a deserializer
/// that records the `fields` passed to `deserialize_struct` and then stops). `None` when `T` does
/// not deserialize as a struct.
///
/// The names are the ones serde reads, renames and aliases included. Newtype structs are looked
/// through (`struct Wrapper(Params)` gives the fields of `Params`); a struct with a
/// `#[serde(flatten)]` field deserializes as a map, so it gives `None`.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Params {
///     file: String,
///     #[serde(rename = "expires_at")]
///     expiry: Option<i64>,
/// }
///
/// use resource_emulator::decode::field_names;
/// assert_eq!(field_names::<Params>(), Some(&["file", "expires_at"][..]));
/// assert_eq!(field_names::<String>(), None);
/// ```
#[must_use]
pub fn field_names<T: DeserializeOwned>() -> Option<&'static [&'static str]> {
    match T::deserialize(FieldProbe) {
        Err(ProbeStop::Fields(fields)) => Some(fields),
        Err(ProbeStop::NotAStruct) | Ok(_) => None,
    }
}

/// The deserializer behind [`field_names`]: it only ever answers with an error.
struct FieldProbe;

#[derive(Debug)]
enum ProbeStop {
    Fields(&'static [&'static str]),
    NotAStruct,
}

impl Display for ProbeStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProbeStop::Fields(fields) => write!(f, "a struct with fields {fields:?}"),
            ProbeStop::NotAStruct => f.write_str("not a struct"),
        }
    }
}

impl std::error::Error for ProbeStop {}

impl de::Error for ProbeStop {
    fn custom<T: Display>(_msg: T) -> Self {
        ProbeStop::NotAStruct
    }
}

impl<'de> Deserializer<'de> for FieldProbe {
    type Error = ProbeStop;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, ProbeStop> {
        Err(ProbeStop::NotAStruct)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, ProbeStop> {
        Err(ProbeStop::Fields(fields))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ProbeStop> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// Reads `pairs` into `P` as Stripe validates parameters, and returns `P` re-serialized as typed
/// JSON (so `expires_at=now` becomes "now", `limit=3` becomes 3, a metadata map stays a map, a
/// `MetadataParam` clear becomes "").
///
/// The JSON is exactly `serde_json::to_value(&p)`: a field that serializes as `None` (such as an
/// untouched `MetadataParam`) is there as `null`, one skipped by `skip_serializing_if` is absent.
///
/// How values are read:
///
/// - keys build a tree (`a[b][c]=v`); a value is a string, parsed into what the type asks for:
///   integers, floats, `true`/`false`, chars, unit enum variants by name; a present optional
///   value is `Some` (absent fields take their `#[serde(default)]`);
/// - a sequence is given by indexes, `expand[0]=a&expand[1]=b` (sorted numerically, gaps
///   allowed) or `expand[]=a&expand[]=b`; `expand=` is the empty sequence;
/// - self-describing types (`deserialize_any`) see a string for `a=v` and a map for `a[k]=v`,
///   so `ExpiresAt`, `MetadataParam` and `RangeQuery` read as Stripe sends them;
/// - a nested struct rejects keys it does not have, as the top level does.
///
/// # Errors
///
/// A 400 [`Rejection`], for the first problem found:
///
/// - more than 50 keys set in `metadata` (`metadata[k]=v`; an unset `metadata[k]=` does not
///   count), when `P` has a `metadata` field: Stripe's `Invalid metadata: metadata can have up to
///   50 keys, but you passed in N keys.`, about `metadata`. The keys are counted before any is
///   stored, so an oversized request costs one pass over its pairs;
/// - a malformed key (`a[b`, `a]`, `[x]`, `a[b]c`, too deeply nested), a key given twice, or a
///   key given both as a value and as a hash (`metadata=` and `metadata[k]=v`): about the
///   top-level name (the whole key when it has no name, as `[x]`);
/// - a top-level name `P` does not have: `Received unknown parameter: x` (skipped when `P` is
///   not a struct); a nested unknown key the same way, with its full path (`created[around]`);
/// - a missing required field: `parameter_missing`, about the field (`file`);
/// - a value of the wrong type: `Invalid integer: abc`, `Invalid boolean: maybe`, ..., about the
///   bracketed path of the value (`limit`, `created[gte]`);
/// - `P` not serializing as a JSON object.
pub fn decode_params<P>(pairs: &[(String, String)]) -> Result<Map<String, Value>, Rejection>
where
    P: DeserializeOwned + Serialize,
{
    let fields = field_names::<P>();
    check_metadata_keys(pairs, fields)?;
    let mut keys = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        let parsed = ParsedKey::parse(key)?;
        if fields.is_some_and(|fields| !fields.contains(&parsed.name)) {
            return Err(Rejection::unknown_parameter(parsed.name));
        }
        keys.push((parsed, value));
    }

    let mut root = MapNode::default();
    for (parsed, value) in keys {
        root.insert(&parsed, value.clone())?;
    }

    let params = P::deserialize(NodeDeserializer {
        node: NodeRef::Map(&root),
        path: String::new(),
    })
    .map_err(DecodeError::into_rejection)?;

    match serde_json::to_value(&params) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(Rejection::invalid_request(format!(
            "The parameters could not be read: they form {}, not a hash",
            json_kind(&other)
        ))),
        Err(error) => Err(Rejection::invalid_request(format!(
            "The parameters could not be read: {error}"
        ))),
    }
}

/// Refuses more than [`MAX_METADATA_KEYS`] keys set in one `metadata`, at the top level or
/// nested (`file_link_data[metadata]`), by counting them (storing nothing), as Stripe does; the
/// engine checks the merged top-level result again. Only params `fields` has count (all when
/// unknown): any other is refused as unknown.
///
/// A key set twice counts twice here (it is refused later anyway, as given twice), and unsets
/// (`metadata[k]=`) do not count: the keys a request sets are all in the merged metadata, so more
/// than 50 of them can never be taken.
fn check_metadata_keys(
    pairs: &[(String, String)],
    fields: Option<&[&str]>,
) -> Result<(), Rejection> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (key, value) in pairs {
        let Some(map) = key
            .strip_suffix(']')
            .and_then(|k| Some(&k[..k.rfind('[')?]))
        else {
            continue;
        };
        let name = map.split('[').next().unwrap_or_default();
        let counted = !value.is_empty()
            && (map == "metadata" || map.ends_with("[metadata]"))
            && fields.is_none_or(|fields| fields.contains(&name));
        if counted {
            *counts.entry(map).or_default() += 1;
        }
    }
    match counts.into_iter().find(|(_, set)| *set > MAX_METADATA_KEYS) {
        Some((map, set)) => Err(Rejection::invalid_request(format!(
            "Invalid metadata: metadata can have up to {MAX_METADATA_KEYS} keys, but you passed \
             in {set} keys."
        ))
        .param(map)),
        None => Ok(()),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "a hash",
    }
}

// ---------------------------------------------------------------------------------------------
// Keys and the parameter tree.

/// One bracketed segment of a key.
#[derive(Clone, Copy)]
enum Segment<'a> {
    /// `[name]`.
    Key(&'a str),
    /// `[]`: the next index of a sequence.
    Append,
}

/// A key split into its top-level name and bracketed segments.
struct ParsedKey<'a> {
    name: &'a str,
    segments: Vec<Segment<'a>>,
}

impl<'a> ParsedKey<'a> {
    fn parse(raw: &'a str) -> Result<Self, Rejection> {
        let (name, mut rest) = match raw.find('[') {
            Some(open) => (raw.get(..open).unwrap_or(""), raw.get(open..).unwrap_or("")),
            None => (raw, ""),
        };
        let malformed = |problem: &str| {
            let param = if name.is_empty() { raw } else { name };
            Rejection::invalid_request(format!("Invalid parameter name `{raw}`: {problem}"))
                .param(param)
        };
        if name.is_empty() {
            return Err(malformed(
                "it must start with a name (`name` or `name[key]`)",
            ));
        }
        if name.contains(']') {
            return Err(malformed("it has a `]` without a matching `[`"));
        }
        let mut segments = Vec::new();
        while !rest.is_empty() {
            // `rest` starts with `[`: find its matching `]`.
            let mut depth = 0_usize;
            let mut close = None;
            for (index, byte) in rest.bytes().enumerate() {
                match byte {
                    b'[' => depth += 1,
                    b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            close = Some(index);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let close = close.ok_or_else(|| malformed("it has a `[` without a matching `]`"))?;
            let inner = rest.get(1..close).unwrap_or("");
            segments.push(if inner.is_empty() {
                Segment::Append
            } else {
                Segment::Key(inner)
            });
            if segments.len() > MAX_SEGMENTS {
                return Err(malformed(&format!(
                    "it is nested more than {MAX_SEGMENTS} levels deep"
                )));
            }
            rest = rest.get(close + 1..).unwrap_or("");
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(malformed(
                    "after a `]` only another `[` may follow (`name[a][b]`)",
                ));
            }
        }
        Ok(ParsedKey { name, segments })
    }
}

/// A node of the parameter tree: a value, or named children.
enum Node {
    Leaf(String),
    Map(MapNode),
}

/// Named children in order of first appearance.
#[derive(Default)]
struct MapNode {
    entries: Vec<(String, Node)>,
    index: HashMap<String, usize>,
    /// One past the largest index key so far: where `[]` appends.
    next_index: usize,
}

/// Why a key cannot go into the tree.
enum Conflict {
    /// The same value is given twice.
    Repeated(String),
    /// A value and a hash at the same place.
    LeafAndMap(String),
}

impl MapNode {
    fn insert(&mut self, key: &ParsedKey<'_>, value: String) -> Result<(), Rejection> {
        let mut path = String::new();
        self.insert_at(Segment::Key(key.name), &key.segments, value, &mut path)
            .map_err(|conflict| {
                let message = match conflict {
                    Conflict::Repeated(path) => {
                        format!("Received more than one value for {path}")
                    }
                    Conflict::LeafAndMap(path) => format!(
                        "Conflicting parameters: {path} is given both as a value and as a \
                         hash ({path}=... and {path}[...]=...)"
                    ),
                };
                Rejection::invalid_request(message).param(key.name)
            })
    }

    fn insert_at(
        &mut self,
        segment: Segment<'_>,
        rest: &[Segment<'_>],
        value: String,
        path: &mut String,
    ) -> Result<(), Conflict> {
        // Copied only when it makes a new child: most segments name one that exists.
        let key = match segment {
            Segment::Key(key) => Cow::Borrowed(key),
            Segment::Append => Cow::Owned(self.next_index.to_string()),
        };
        if path.is_empty() {
            path.push_str(&key);
        } else {
            path.push('[');
            path.push_str(&key);
            path.push(']');
        }
        let existing = self.index.get(&*key).copied();
        match rest.split_first() {
            None => match existing.and_then(|index| self.entries.get(index)) {
                Some((_, Node::Leaf(_))) => Err(Conflict::Repeated(path.clone())),
                Some((_, Node::Map(_))) => Err(Conflict::LeafAndMap(path.clone())),
                None => {
                    self.push(key.into_owned(), Node::Leaf(value));
                    Ok(())
                }
            },
            Some((next, rest)) => {
                let index = match existing {
                    Some(index) => index,
                    None => self.push(key.into_owned(), Node::Map(MapNode::default())),
                };
                match self.entries.get_mut(index) {
                    Some((_, Node::Map(child))) => child.insert_at(*next, rest, value, path),
                    Some((_, Node::Leaf(_))) | None => Err(Conflict::LeafAndMap(path.clone())),
                }
            }
        }
    }

    /// Adds a child (whose key is new) and returns its position.
    fn push(&mut self, key: String, node: Node) -> usize {
        if let Some(index) = sequence_index(&key) {
            self.next_index = self.next_index.max(index.saturating_add(1));
        }
        let position = self.entries.len();
        self.index.insert(key.clone(), position);
        self.entries.push((key, node));
        position
    }
}

/// The index a key stands for in a sequence: canonical decimal digits (`0`, `12`, not `012`).
fn sequence_index(key: &str) -> Option<usize> {
    let canonical =
        key.bytes().all(|byte| byte.is_ascii_digit()) && (key == "0" || !key.starts_with('0'));
    if canonical { key.parse().ok() } else { None }
}

/// `parent[key]`, or `key` at the top level.
fn child_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}[{key}]")
    }
}

// ---------------------------------------------------------------------------------------------
// Errors.

/// The deserializer's error: what went wrong, and where (set by the innermost value that sees it).
#[derive(Debug)]
struct DecodeError {
    kind: ErrorKind,
    /// The bracketed path of the value the error is about; `""` for the top level.
    path: Option<String>,
}

#[derive(Debug)]
enum ErrorKind {
    /// A required field is absent (serde's `missing_field`).
    MissingField(String),
    /// A struct or map does not take this key (serde's `unknown_field`).
    UnknownField(String),
    /// A value is not one of an enum's variants.
    UnknownVariant(&'static [&'static str]),
    /// Anything else, with a Stripe-like message.
    Invalid(String),
}

impl DecodeError {
    fn invalid(message: impl Into<String>) -> Self {
        DecodeError {
            kind: ErrorKind::Invalid(message.into()),
            path: None,
        }
    }

    /// Says where the error is, unless a more precise place is known already.
    fn at(mut self, path: &str) -> Self {
        if self.path.is_none() {
            self.path = Some(path.to_owned());
        }
        self
    }

    fn into_rejection(self) -> Rejection {
        let path = self.path.unwrap_or_default();
        match self.kind {
            ErrorKind::MissingField(field) => {
                Rejection::parameter_missing(&child_path(&path, &field))
            }
            ErrorKind::UnknownField(field) => {
                Rejection::unknown_parameter(&child_path(&path, &field))
            }
            ErrorKind::UnknownVariant(expected) => {
                let allowed = one_of(expected);
                if path.is_empty() {
                    Rejection::invalid_request(format!("Invalid value: must be one of {allowed}"))
                } else {
                    Rejection::invalid_request(format!("Invalid {path}: must be one of {allowed}"))
                        .param(path)
                }
            }
            ErrorKind::Invalid(message) if path.is_empty() => Rejection::invalid_request(message),
            ErrorKind::Invalid(message) => Rejection::invalid_request(message).param(path),
        }
    }
}

/// `a`, `a or b`, `a, b, or c`.
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing".to_owned(),
        [only] => (*only).to_owned(),
        [first, last] => format!("{first} or {last}"),
        [init @ .., last] => format!("{}, or {last}", init.join(", ")),
    }
}

impl Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::MissingField(field) => write!(f, "missing field `{field}`"),
            ErrorKind::UnknownField(field) => write!(f, "unknown field `{field}`"),
            ErrorKind::UnknownVariant(expected) => {
                write!(f, "must be one of {}", one_of(expected))
            }
            ErrorKind::Invalid(message) => f.write_str(message),
        }?;
        match &self.path {
            Some(path) if !path.is_empty() => write!(f, " (at {path})"),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for DecodeError {}

impl de::Error for DecodeError {
    fn custom<T: Display>(msg: T) -> Self {
        DecodeError::invalid(capitalized(&msg.to_string()))
    }

    fn missing_field(field: &'static str) -> Self {
        DecodeError {
            kind: ErrorKind::MissingField(field.to_owned()),
            path: None,
        }
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> Self {
        DecodeError {
            kind: ErrorKind::UnknownField(field.to_owned()),
            path: None,
        }
    }

    fn unknown_variant(_variant: &str, expected: &'static [&'static str]) -> Self {
        DecodeError {
            kind: ErrorKind::UnknownVariant(expected),
            path: None,
        }
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        DecodeError::invalid(mismatch(unexp, exp))
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        DecodeError::invalid(mismatch(unexp, exp))
    }
}

/// `Invalid value "x": expected ...`, `Invalid hash: expected ...`.
fn mismatch(unexp: Unexpected<'_>, exp: &dyn Expected) -> String {
    match unexp {
        Unexpected::Str(value) => format!("Invalid value {value:?}: expected {exp}"),
        Unexpected::Map => format!("Invalid hash: expected {exp}"),
        Unexpected::Seq => format!("Invalid array: expected {exp}"),
        other => format!("Invalid value ({other}): expected {exp}"),
    }
}

fn capitalized(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// The lenient deserializer.

/// A node of the tree, or a map key seen as a value.
#[derive(Clone, Copy)]
enum NodeRef<'a> {
    Leaf(&'a str),
    Map(&'a MapNode),
}

impl<'a> NodeRef<'a> {
    fn of(node: &'a Node) -> Self {
        match node {
            Node::Leaf(value) => NodeRef::Leaf(value),
            Node::Map(map) => NodeRef::Map(map),
        }
    }
}

/// Deserializes one node, parsing strings on demand; errors are stamped with `path`.
struct NodeDeserializer<'a> {
    node: NodeRef<'a>,
    /// The bracketed path of this node (`created[gte]`); `""` for the top level.
    path: String,
}

/// Implements the integer and float methods: parse the leaf, then visit the number.
macro_rules! parse_methods {
    ($($method:ident $visit:ident $ty:ty => $what:literal;)*) => {
        $(fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
            let result = self
                .scalar($what)
                .and_then(|text| parse_number::<$ty>(text, $what))
                .and_then(|value| visitor.$visit(value));
            self.finish(result)
        })*
    };
}

impl<'a> NodeDeserializer<'a> {
    /// Stamps an error with this node's path.
    fn finish<T>(self, result: Result<T, DecodeError>) -> Result<T, DecodeError> {
        result.map_err(|error| error.at(&self.path))
    }

    /// The path as a message shows it.
    fn shown(&self) -> &str {
        if self.path.is_empty() {
            "the parameters"
        } else {
            &self.path
        }
    }

    /// The leaf's text, for a single value of kind `what` (`integer`, `string`, ...).
    fn single(&self, what: &str) -> Result<&'a str, DecodeError> {
        match self.node {
            NodeRef::Leaf(text) => Ok(text),
            NodeRef::Map(_) => Err(DecodeError::invalid(format!(
                "Invalid {what}: {} must be a single value, not a hash",
                self.shown()
            ))),
        }
    }

    /// As [`single`](Self::single), for a type that cannot be unset: rejects the empty string
    /// as Stripe does.
    fn scalar(&self, what: &str) -> Result<&'a str, DecodeError> {
        let text = self.single(what)?;
        if text.is_empty() {
            let path = self.shown();
            return Err(DecodeError::invalid(format!(
                "You passed an empty string for '{path}'. We assume empty values are an attempt \
                 to unset a parameter; however '{path}' cannot be unset. You should remove \
                 '{path}' from your request or supply a non-empty value."
            )));
        }
        Ok(text)
    }

    /// The children of a map node, for a hash.
    fn hash(&self) -> Result<&'a MapNode, DecodeError> {
        match self.node {
            NodeRef::Map(map) => Ok(map),
            NodeRef::Leaf(_) => Err(DecodeError::invalid(format!(
                "Invalid hash: {path} must be given as {path}[key]=value",
                path = self.shown()
            ))),
        }
    }

    /// The elements of a sequence, in index order.
    fn elements(&self) -> Result<Vec<(&'a str, &'a Node)>, DecodeError> {
        match self.node {
            NodeRef::Leaf("") => Ok(Vec::new()),
            NodeRef::Leaf(_) => Err(DecodeError::invalid(format!(
                "Invalid array: {path} must be given as {path}[0]=..., {path}[1]=...",
                path = self.shown()
            ))),
            NodeRef::Map(map) => {
                let mut elements = Vec::with_capacity(map.entries.len());
                for (key, node) in &map.entries {
                    let index = sequence_index(key).ok_or_else(|| {
                        DecodeError::invalid(format!(
                            "Invalid array: `{key}` is not an index (0, 1, 2, ...)"
                        ))
                        .at(&child_path(&self.path, key))
                    })?;
                    elements.push((index, key.as_str(), node));
                }
                elements.sort_by_key(|&(index, _, _)| index);
                Ok(elements
                    .into_iter()
                    .map(|(_, key, node)| (key, node))
                    .collect())
            }
        }
    }

    fn seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let result = self.elements().and_then(|elements| {
            visitor.visit_seq(SeqReader {
                elements: elements.into_iter(),
                parent: &self.path,
            })
        });
        self.finish(result)
    }

    fn map<V: Visitor<'a>>(self, map: &'a MapNode, visitor: V) -> Result<V::Value, DecodeError> {
        let result = visitor.visit_map(MapReader {
            entries: map.entries.iter(),
            pending: None,
            parent: &self.path,
        });
        self.finish(result)
    }
}

fn parse_number<T: std::str::FromStr + Finite>(text: &str, what: &str) -> Result<T, DecodeError> {
    text.parse::<T>()
        .ok()
        .filter(Finite::is_finite)
        .ok_or_else(|| DecodeError::invalid(format!("Invalid {what}: {text}")))
}

/// Numbers Stripe can take: every integer, and floats other than infinities and NaN.
trait Finite {
    fn is_finite(&self) -> bool {
        true
    }
}

impl Finite for f32 {
    fn is_finite(&self) -> bool {
        f32::is_finite(*self)
    }
}

impl Finite for f64 {
    fn is_finite(&self) -> bool {
        f64::is_finite(*self)
    }
}

impl Finite for i8 {}
impl Finite for i16 {}
impl Finite for i32 {}
impl Finite for i64 {}
impl Finite for i128 {}
impl Finite for u8 {}
impl Finite for u16 {}
impl Finite for u32 {}
impl Finite for u64 {}
impl Finite for u128 {}

impl<'a> Deserializer<'a> for NodeDeserializer<'a> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.node {
            NodeRef::Leaf(text) => {
                let result = visitor.visit_borrowed_str(text);
                self.finish(result)
            }
            NodeRef::Map(map) => self.map(map, visitor),
        }
    }

    parse_methods! {
        deserialize_i8 visit_i8 i8 => "integer";
        deserialize_i16 visit_i16 i16 => "integer";
        deserialize_i32 visit_i32 i32 => "integer";
        deserialize_i64 visit_i64 i64 => "integer";
        deserialize_i128 visit_i128 i128 => "integer";
        deserialize_u8 visit_u8 u8 => "integer";
        deserialize_u16 visit_u16 u16 => "integer";
        deserialize_u32 visit_u32 u32 => "integer";
        deserialize_u64 visit_u64 u64 => "integer";
        deserialize_u128 visit_u128 u128 => "integer";
        deserialize_f32 visit_f32 f32 => "decimal";
        deserialize_f64 visit_f64 f64 => "decimal";
    }

    fn deserialize_bool<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let result = self
            .scalar("boolean")
            .and_then(|text| match text {
                "true" => Ok(true),
                "false" => Ok(false),
                other => Err(DecodeError::invalid(format!("Invalid boolean: {other}"))),
            })
            .and_then(|value| visitor.visit_bool(value));
        self.finish(result)
    }

    fn deserialize_char<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let result = self
            .scalar("character")
            .and_then(|text| {
                let mut chars = text.chars();
                match (chars.next(), chars.next()) {
                    (Some(only), None) => Ok(only),
                    _ => Err(DecodeError::invalid(format!(
                        "Invalid character: {text} (expected exactly one)"
                    ))),
                }
            })
            .and_then(|value| visitor.visit_char(value));
        self.finish(result)
    }

    fn deserialize_str<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let result = self
            .single("string")
            .and_then(|text| visitor.visit_borrowed_str(text));
        self.finish(result)
    }

    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let result = self
            .single("string")
            .and_then(|text| visitor.visit_borrowed_bytes(text.as_bytes()));
        self.finish(result)
    }

    fn deserialize_byte_buf<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        // Absent values never get here: the field's `#[serde(default)]` covers them.
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        let result = match self.node {
            NodeRef::Leaf("") => visitor.visit_unit(),
            _ => Err(DecodeError::invalid(format!(
                "Invalid value: {} must be empty",
                self.shown()
            ))),
        };
        self.finish(result)
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.seq(visitor)
    }

    fn deserialize_tuple<V: Visitor<'a>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.seq(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.hash() {
            Ok(map) => self.map(map, visitor),
            Err(error) => self.finish(Err(error)),
        }
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let map = match self.hash() {
            Ok(map) => map,
            Err(error) => return self.finish(Err(error)),
        };
        // Stripe rejects unknown nested parameters as it does top-level ones.
        if let Some((key, _)) = map
            .entries
            .iter()
            .find(|(key, _)| !fields.contains(&key.as_str()))
        {
            let error = DecodeError {
                kind: ErrorKind::UnknownField(key.clone()),
                path: None,
            };
            return self.finish(Err(error));
        }
        self.map(map, visitor)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let result = self
            .single("value")
            .and_then(|variant| visitor.visit_enum(UnitVariant(variant)));
        self.finish(result)
    }

    fn deserialize_identifier<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_unit()
    }
}

/// The entries of a map node; keys are read as (lenient) values too, so `HashMap<u32, _>` works.
struct MapReader<'a, 'p> {
    entries: std::slice::Iter<'a, (String, Node)>,
    /// The value of the last key read, with its path.
    pending: Option<(&'a Node, String)>,
    parent: &'p str,
}

impl<'a> MapAccess<'a> for MapReader<'a, '_> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DecodeError> {
        let Some((key, node)) = self.entries.next() else {
            return Ok(None);
        };
        let path = child_path(self.parent, key);
        let key = seed.deserialize(NodeDeserializer {
            node: NodeRef::Leaf(key),
            path: path.clone(),
        })?;
        self.pending = Some((node, path));
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DecodeError> {
        let (node, path) = self.pending.take().ok_or_else(|| {
            DecodeError::invalid("A map value was read before its key").at(self.parent)
        })?;
        seed.deserialize(NodeDeserializer {
            node: NodeRef::of(node),
            path,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// The elements of a sequence, in index order.
struct SeqReader<'a, 'p> {
    elements: std::vec::IntoIter<(&'a str, &'a Node)>,
    parent: &'p str,
}

impl<'a> SeqAccess<'a> for SeqReader<'a, '_> {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DecodeError> {
        let Some((key, node)) = self.elements.next() else {
            return Ok(None);
        };
        seed.deserialize(NodeDeserializer {
            node: NodeRef::of(node),
            path: child_path(self.parent, key),
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.elements.len())
    }
}

/// An enum given by a variant name: only unit variants can be sent that way.
struct UnitVariant<'a>(&'a str);

impl<'a> EnumAccess<'a> for UnitVariant<'a> {
    type Error = DecodeError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'a>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self), DecodeError> {
        let variant = seed.deserialize(BorrowedStrDeserializer::<DecodeError>::new(self.0))?;
        Ok((variant, self))
    }
}

impl<'a> VariantAccess<'a> for UnitVariant<'a> {
    type Error = DecodeError;

    fn unit_variant(self) -> Result<(), DecodeError> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'a>>(
        self,
        _seed: T,
    ) -> Result<T::Value, DecodeError> {
        Err(self.not_unit())
    }

    fn tuple_variant<V: Visitor<'a>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, DecodeError> {
        Err(self.not_unit())
    }

    fn struct_variant<V: Visitor<'a>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, DecodeError> {
        Err(self.not_unit())
    }
}

impl UnitVariant<'_> {
    fn not_unit(&self) -> DecodeError {
        DecodeError::invalid(format!(
            "Invalid value {:?}: it names a variant that carries data, which a form cannot give",
            self.0
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use resource_core::form::to_string;
    use resource_core::{ExpiresAt, MetadataParam, RangeQuery};
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    // Mirrors of file-link's params (resource-emulator does not depend on file-link).

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    struct CreateFileLink {
        file: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires_at: Option<i64>,
        #[serde(default)]
        metadata: MetadataParam,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        expand: Vec<String>,
    }

    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    struct UpdateFileLink {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expires_at: Option<ExpiresAt>,
        #[serde(default)]
        metadata: MetadataParam,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        expand: Vec<String>,
    }

    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    struct ListFileLinks {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        created: Option<RangeQuery>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ending_before: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expired: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limit: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        starting_after: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        expand: Vec<String>,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Purpose {
        BusinessIcon,
        DisputeEvidence,
        Selfie,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Address {
        line1: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        city: Option<String>,
    }

    /// Exercises the other scalar types, enums and nested structs.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Misc {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        purpose: Option<Purpose>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        amount: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        small: Option<i8>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        big: Option<u128>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        initial: Option<char>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        address: Option<Address>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by_index: Option<HashMap<u32, String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pair: Option<(i32, bool)>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        items: Vec<Address>,
    }

    #[derive(Debug, Serialize, Deserialize)]
    struct Wrapper(ListFileLinks);

    fn create(file: &str) -> CreateFileLink {
        CreateFileLink {
            file: file.to_owned(),
            expires_at: None,
            metadata: MetadataParam::new(),
            expand: Vec::new(),
        }
    }

    /// `parse_form` then `decode_params`.
    fn decode<P: DeserializeOwned + Serialize>(form: &str) -> Result<Value, Rejection> {
        decode_params::<P>(&parse_form(form)?).map(Value::Object)
    }

    fn reject<P: DeserializeOwned + Serialize>(form: &str) -> Rejection {
        match decode::<P>(form) {
            Ok(json) => panic!("{form:?} was accepted as {json}"),
            Err(rejection) => rejection,
        }
    }

    /// Asserts a 400 `invalid_request_error` about `param`, without a code.
    fn assert_invalid(rejection: &Rejection, param: &str) {
        assert_eq!(
            (rejection.status, rejection.type_, rejection.code.as_deref()),
            (400, "invalid_request_error", None),
            "{rejection:?}"
        );
        assert_eq!(rejection.param.as_deref(), Some(param), "{rejection:?}");
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn parse_form_splits_and_unescapes() {
        assert_eq!(
            parse_form("a=1&b=x+y&c=%26%3D%2B&d&e=f=g").unwrap(),
            pairs(&[
                ("a", "1"),
                ("b", "x y"),
                ("c", "&=+"),
                ("d", ""),
                ("e", "f=g")
            ])
        );
        assert_eq!(
            parse_form("metadata[a+b]=c%26d%3De").unwrap(),
            pairs(&[("metadata[a b]", "c&d=e")])
        );
        assert_eq!(parse_form("").unwrap(), pairs(&[]));
        assert_eq!(parse_form("&&a=1&&").unwrap(), pairs(&[("a", "1")]));
        assert_eq!(parse_form("=v&k=").unwrap(), pairs(&[("", "v"), ("k", "")]));
        // Non-ASCII: escaped UTF-8 bytes, lowercase hex, and raw characters alike.
        assert_eq!(
            parse_form("n%C3%A9=%e6%97%a5%F0%9F%A6%80&raw=é").unwrap(),
            pairs(&[("né", "日🦀"), ("raw", "é")])
        );
    }

    #[test]
    fn parse_form_rejects_bad_escapes_and_utf8() {
        let value = parse_form("ok=1&name=%FF").unwrap_err();
        assert_invalid(&value, "name");
        assert!(value.message.contains("UTF-8"), "{}", value.message);

        // A lone continuation byte, and a truncated sequence.
        assert_invalid(&parse_form("name=%80").unwrap_err(), "name");
        assert_invalid(&parse_form("name=a%C3").unwrap_err(), "name");

        let key = parse_form("%FF=1").unwrap_err();
        assert_eq!((key.status, key.param.as_deref()), (400, None));
        assert!(key.message.contains("UTF-8"), "{}", key.message);

        for bad in ["a=%", "a=%4", "a=%G1", "a=%%41", "a%2=1"] {
            let rejection = parse_form(bad).unwrap_err();
            assert_eq!(rejection.status, 400, "{bad}");
            assert!(
                rejection.message.contains('%'),
                "{bad}: {}",
                rejection.message
            );
        }
    }

    #[test]
    fn field_names_come_from_deserialize() {
        assert_eq!(
            field_names::<CreateFileLink>(),
            Some(&["file", "expires_at", "metadata", "expand"][..])
        );
        assert_eq!(
            field_names::<ListFileLinks>(),
            Some(
                &[
                    "created",
                    "ending_before",
                    "expired",
                    "file",
                    "limit",
                    "starting_after",
                    "expand"
                ][..]
            )
        );
        assert_eq!(field_names::<Wrapper>(), field_names::<ListFileLinks>());
        assert_eq!(field_names::<String>(), None);
        assert_eq!(field_names::<Vec<u8>>(), None);
        assert_eq!(field_names::<i64>(), None);
        assert_eq!(field_names::<Option<CreateFileLink>>(), None);
        assert_eq!(field_names::<HashMap<String, String>>(), None);
        assert_eq!(field_names::<Value>(), None);
        assert_eq!(field_names::<MetadataParam>(), None);
    }

    #[test]
    fn create_round_trips_what_the_client_sends() {
        let mut params = create("file_123");
        params.expires_at = Some(1_700_000_000);
        params.metadata.set("order_id", "6735");
        params.metadata.set("a b", "c&d=e");
        params.expand.push("file".to_owned());
        let form = to_string(&params).unwrap();
        assert_eq!(
            form,
            "file=file_123&expires_at=1700000000&metadata[order_id]=6735&metadata[a+b]=c%26d%3De&expand[0]=file"
        );

        let json = decode::<CreateFileLink>(&form).unwrap();
        assert_eq!(
            json,
            json!({
                "file": "file_123",
                "expires_at": 1_700_000_000,
                "metadata": {"order_id": "6735", "a b": "c&d=e"},
                "expand": ["file"],
            })
        );
        assert_eq!(
            serde_json::from_value::<CreateFileLink>(json).unwrap(),
            params
        );

        // Only the required parameter: an untouched `MetadataParam` serializes as `null`.
        assert_eq!(
            decode::<CreateFileLink>("file=file_1").unwrap(),
            json!({"file": "file_1", "metadata": null})
        );
    }

    #[test]
    fn update_reads_every_unset() {
        let cases: [(UpdateFileLink, &str, Value); 6] = {
            let mut unset = UpdateFileLink::default();
            unset.metadata.unset("k");
            let mut clear = UpdateFileLink::default();
            clear.metadata.set("a", "1");
            clear.metadata.clear();
            [
                (
                    UpdateFileLink {
                        expires_at: Some(ExpiresAt::Now),
                        ..UpdateFileLink::default()
                    },
                    "expires_at=now",
                    json!({"expires_at": "now", "metadata": null}),
                ),
                (
                    UpdateFileLink {
                        expires_at: Some(ExpiresAt::Never),
                        ..UpdateFileLink::default()
                    },
                    "expires_at=",
                    json!({"expires_at": "", "metadata": null}),
                ),
                (
                    UpdateFileLink {
                        expires_at: Some(ExpiresAt::At(1_800_000_000)),
                        ..UpdateFileLink::default()
                    },
                    "expires_at=1800000000",
                    json!({"expires_at": 1_800_000_000, "metadata": null}),
                ),
                (unset, "metadata[k]=", json!({"metadata": {"k": ""}})),
                (clear, "metadata=", json!({"metadata": ""})),
                (UpdateFileLink::default(), "", json!({"metadata": null})),
            ]
        };
        for (params, form, expected) in cases {
            assert_eq!(to_string(&params).unwrap(), form);
            let json = decode::<UpdateFileLink>(form).unwrap();
            assert_eq!(json, expected, "{form}");
            assert_eq!(
                serde_json::from_value::<UpdateFileLink>(json).unwrap(),
                params,
                "{form}"
            );
        }
    }

    #[test]
    fn list_reads_filters_and_ranges() {
        let params = ListFileLinks {
            created: Some(RangeQuery::new().gte(1).lt(9)),
            expired: Some(false),
            limit: Some(3),
            starting_after: Some("link_1".to_owned()),
            expand: vec!["data.file".to_owned()],
            ..ListFileLinks::default()
        };
        let form = to_string(&params).unwrap();
        assert_eq!(
            form,
            "created[gte]=1&created[lt]=9&expired=false&limit=3&starting_after=link_1&expand[0]=data.file"
        );
        let json = decode::<ListFileLinks>(&form).unwrap();
        assert_eq!(
            json,
            json!({
                "created": {"gte": 1, "lt": 9},
                "expired": false,
                "limit": 3,
                "starting_after": "link_1",
                "expand": ["data.file"],
            })
        );
        assert_eq!(
            serde_json::from_value::<ListFileLinks>(json).unwrap(),
            params
        );

        let exact = ListFileLinks {
            created: Some(RangeQuery::exact(5)),
            ..ListFileLinks::default()
        };
        assert_eq!(to_string(&exact).unwrap(), "created=5");
        assert_eq!(
            decode::<ListFileLinks>("created=5").unwrap(),
            json!({"created": 5})
        );
        assert_eq!(decode::<ListFileLinks>("").unwrap(), json!({}));
        assert_eq!(
            decode::<ListFileLinks>("expired=true&ending_before=&file=file_9").unwrap(),
            json!({"expired": true, "ending_before": "", "file": "file_9"})
        );
        // A newtype around params reads as the params.
        assert_eq!(decode::<Wrapper>("limit=7").unwrap(), json!({"limit": 7}));
    }

    #[test]
    fn unknown_parameters_are_rejected_first_one_first() {
        let rejection = reject::<CreateFileLink>("file=f&x=1&y=2");
        assert_eq!(rejection, Rejection::unknown_parameter("x"));
        assert_eq!(rejection.message, "Received unknown parameter: x");
        assert_eq!(rejection.param.as_deref(), Some("x"));
        // By its top-level name, before anything else is looked at (even a missing `file`).
        assert_eq!(
            reject::<CreateFileLink>("y[a][b]=1&x=2"),
            Rejection::unknown_parameter("y")
        );
        // A name some other operation takes.
        assert_eq!(
            reject::<UpdateFileLink>("file=file_1"),
            Rejection::unknown_parameter("file")
        );
        // Nested: a bound `RangeQuery` does not know, and a nested struct's unknown field.
        assert_eq!(
            reject::<ListFileLinks>("created[around]=5"),
            Rejection::unknown_parameter("created[around]")
        );
        assert_eq!(
            reject::<Misc>("address[line1]=x&address[zip]=1"),
            Rejection::unknown_parameter("address[zip]")
        );
    }

    #[test]
    fn non_structs_take_any_names() {
        assert_eq!(
            decode::<Value>("a=1&b[c]=2&b[d][]=3").unwrap(),
            json!({"a": "1", "b": {"c": "2", "d": {"0": "3"}}})
        );
        assert_eq!(
            decode::<HashMap<String, String>>("x=1&y=").unwrap(),
            json!({"x": "1", "y": ""})
        );
        assert_eq!(
            decode::<HashMap<String, u32>>("x=1&y=2").unwrap(),
            json!({"x": 1, "y": 2})
        );
        assert_invalid(&reject::<HashMap<String, u32>>("x=1&y=z"), "y");
    }

    #[test]
    fn missing_required_parameters() {
        let missing = reject::<CreateFileLink>("expires_at=1700000000");
        assert_eq!(missing, Rejection::parameter_missing("file"));
        assert_eq!(missing.code.as_deref(), Some("parameter_missing"));
        assert_eq!(missing.message, "Missing required param: file.");
        assert_eq!(
            reject::<CreateFileLink>(""),
            Rejection::parameter_missing("file")
        );
        // Nested, with the full path.
        assert_eq!(
            reject::<Misc>("address[city]=Paris"),
            Rejection::parameter_missing("address[line1]")
        );
        assert_eq!(
            reject::<Misc>("items[0][line1]=a&items[1][city]=b"),
            Rejection::parameter_missing("items[1][line1]")
        );
    }

    #[test]
    fn invalid_values_name_their_path() {
        let limit = reject::<ListFileLinks>("limit=abc");
        assert_invalid(&limit, "limit");
        assert_eq!(limit.message, "Invalid integer: abc");
        assert_invalid(&reject::<ListFileLinks>("limit=-1"), "limit");
        assert_invalid(&reject::<ListFileLinks>("limit=4294967296"), "limit");
        assert_invalid(&reject::<ListFileLinks>("limit=1.5"), "limit");

        let empty = reject::<ListFileLinks>("limit=");
        assert_invalid(&empty, "limit");
        assert!(
            empty
                .message
                .starts_with("You passed an empty string for 'limit'"),
            "{}",
            empty.message
        );

        let gte = reject::<ListFileLinks>("created[gte]=x");
        assert_invalid(&gte, "created[gte]");
        assert_eq!(gte.message, "Invalid integer: x");
        assert_invalid(&reject::<ListFileLinks>("created=x"), "created");
        assert_eq!(
            reject::<ListFileLinks>("created[gte][x]=1"),
            Rejection::unknown_parameter("created[gte][x]")
        );

        let expired = reject::<ListFileLinks>("expired=maybe");
        assert_invalid(&expired, "expired");
        assert_eq!(expired.message, "Invalid boolean: maybe");
        assert_invalid(&reject::<ListFileLinks>("expired=1"), "expired");

        assert_invalid(
            &reject::<CreateFileLink>("file=f&expires_at=soon"),
            "expires_at",
        );
        assert_invalid(&reject::<UpdateFileLink>("expires_at=soon"), "expires_at");
        assert_invalid(&reject::<UpdateFileLink>("expires_at[at]=1"), "expires_at");

        // A hash where a single value goes, and the other way round.
        let hash = reject::<CreateFileLink>("file[id]=file_1");
        assert_invalid(&hash, "file");
        assert!(
            hash.message.starts_with("Invalid string"),
            "{}",
            hash.message
        );
        assert_invalid(&reject::<CreateFileLink>("file=f&metadata=x"), "metadata");
        assert_invalid(
            &reject::<CreateFileLink>("file=f&metadata[k][j]=x"),
            "metadata[k]",
        );
        assert_invalid(&reject::<Misc>("address=x"), "address");
    }

    #[test]
    fn conflicting_and_repeated_keys_are_rejected() {
        for form in [
            "file=f&metadata=&metadata[k]=v",
            "file=f&metadata[k]=v&metadata=",
            "file=f&metadata[k]=v&metadata[k][j]=w",
            "file=f&metadata[k]=v&metadata[k]=w",
        ] {
            let rejection = reject::<CreateFileLink>(form);
            assert_invalid(&rejection, "metadata");
        }
        let leaf_and_map = reject::<CreateFileLink>("file=f&metadata=&metadata[k]=v");
        assert!(
            leaf_and_map
                .message
                .contains("both as a value and as a hash"),
            "{}",
            leaf_and_map.message
        );
        let repeated = reject::<CreateFileLink>("file=a&file=b");
        assert_invalid(&repeated, "file");
        assert!(
            repeated.message.contains("more than one value"),
            "{}",
            repeated.message
        );
        assert_invalid(
            &reject::<CreateFileLink>("file=f&expand[0]=a&expand[0]=b"),
            "expand",
        );
    }

    #[test]
    fn malformed_keys_are_rejected() {
        for (form, param) in [
            ("file=f&metadata[k=v", "metadata"),
            ("file=f&metadata]=v", "metadata]"),
            ("file=f&metadata[k]x=v", "metadata"),
            ("file=f&metadata[k]]=v", "metadata"),
            ("file=f&metadata[[k]=v", "metadata"),
            ("file=f&[x]=1", "[x]"),
            ("file=f&=1", ""),
        ] {
            let rejection = reject::<CreateFileLink>(form);
            assert_invalid(&rejection, param);
            assert!(
                rejection.message.starts_with("Invalid parameter name"),
                "{form}: {}",
                rejection.message
            );
        }
        // Also for types without field names.
        assert_invalid(&reject::<Value>("a[b=1"), "a");

        let deep = format!("file=f&metadata{}=v", "[k]".repeat(MAX_SEGMENTS + 1));
        assert_invalid(&reject::<CreateFileLink>(&deep), "metadata");
        let fine = format!("a{}=v", "[k]".repeat(MAX_SEGMENTS));
        assert!(decode::<Value>(&fine).is_ok());
    }

    #[test]
    fn sequences_read_in_index_order() {
        let expand = |form: &str| decode::<CreateFileLink>(&format!("file=f&{form}"));
        assert_eq!(
            expand("expand[]=a&expand[]=b").unwrap()["expand"],
            json!(["a", "b"])
        );
        assert_eq!(
            expand("expand[1]=b&expand[0]=a").unwrap()["expand"],
            json!(["a", "b"])
        );
        assert_eq!(
            expand("expand[10]=c&expand[2]=b&expand[0]=a").unwrap()["expand"],
            json!(["a", "b", "c"])
        );
        assert_eq!(
            expand("expand[3]=a&expand[]=b").unwrap()["expand"],
            json!(["a", "b"])
        );
        // `expand=` is the empty sequence (left out of the JSON, as it serializes).
        assert_eq!(
            expand("expand=").unwrap(),
            json!({"file": "f", "metadata": null})
        );

        let single = expand("expand=file").unwrap_err();
        assert_invalid(&single, "expand");
        assert!(
            single.message.starts_with("Invalid array"),
            "{}",
            single.message
        );
        assert_invalid(&expand("expand[x]=file").unwrap_err(), "expand[x]");
        assert_invalid(&expand("expand[01]=file").unwrap_err(), "expand[01]");
        assert_invalid(&expand("expand[-1]=file").unwrap_err(), "expand[-1]");
        assert_invalid(&expand("expand[0][a]=file").unwrap_err(), "expand[0]");

        assert_eq!(
            decode::<Misc>("items[1][line1]=b&items[0][line1]=a&items[0][city]=c").unwrap(),
            json!({"items": [{"line1": "a", "city": "c"}, {"line1": "b"}]})
        );
        // Tuples are sequences too, and their length is checked.
        assert_eq!(
            decode::<Misc>("pair[0]=-4&pair[1]=true").unwrap(),
            json!({"pair": [-4, true]})
        );
        assert_invalid(&reject::<Misc>("pair[0]=1"), "pair");
        // A top-level sequence does not give a JSON object.
        let not_object = reject::<Vec<String>>("0=a&1=b");
        assert_eq!((not_object.status, not_object.param), (400, None));
    }

    #[test]
    fn other_scalars_enums_and_nested_structs() {
        assert_eq!(
            decode::<Misc>(
                "purpose=dispute_evidence&amount=12.5&small=-128&big=18446744073709551615\
                 &initial=%C3%A9&address[line1]=1+Main+St&by_index[7]=seven&by_index[2]=two"
            )
            .unwrap(),
            json!({
                "purpose": "dispute_evidence",
                "amount": 12.5,
                "small": -128,
                "big": u64::MAX,
                "initial": "é",
                "address": {"line1": "1 Main St"},
                "by_index": {"7": "seven", "2": "two"},
            })
        );

        let purpose = reject::<Misc>("purpose=photo");
        assert_invalid(&purpose, "purpose");
        assert_eq!(
            purpose.message,
            "Invalid purpose: must be one of business_icon, dispute_evidence, or selfie"
        );
        assert_invalid(&reject::<Misc>("purpose[a]=selfie"), "purpose");
        assert_invalid(&reject::<Misc>("small=128"), "small");
        // Read, but JSON (without arbitrary precision) cannot hold it: a rejection, no panic.
        let too_big = reject::<Misc>("big=340282366920938463463374607431768211455");
        assert_eq!((too_big.status, too_big.param), (400, None));
        assert_invalid(&reject::<Misc>("amount=NaN"), "amount");
        assert_invalid(&reject::<Misc>("amount=inf"), "amount");
        assert_invalid(&reject::<Misc>("amount=1e999"), "amount");
        assert_eq!(reject::<Misc>("amount=ten").message, "Invalid decimal: ten");
        assert_invalid(&reject::<Misc>("initial=ab"), "initial");
        assert_invalid(&reject::<Misc>("by_index[x]=1"), "by_index[x]");
        assert_invalid(&reject::<Misc>("items[0][line1][x]=1"), "items[0][line1]");
    }

    /// A tiny deterministic generator (xorshift), so the property loop needs no dependency.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            usize::try_from(self.0 % u64::try_from(bound).unwrap()).unwrap()
        }

        fn pick<'a>(&mut self, choices: &[&'a str]) -> &'a str {
            choices[self.below(choices.len())]
        }
    }

    /// Pieces that are awkward in a form: its delimiters, escapes, spaces, non-ASCII.
    const PIECES: [&str; 20] = [
        "a", "Z", "0", "7", " ", "+", "&", "=", "%", "%41", "%%", ".", "-", "_", "~", "é", "日本",
        "🦀", "\t", "#?/",
    ];

    /// A key whose brackets balance (others cannot be told apart from nesting).
    fn awkward_key(rng: &mut Rng, depth: usize) -> String {
        let mut key = String::new();
        for _ in 0..=rng.below(4) {
            if depth < 2 && rng.below(4) == 0 {
                let inner = if rng.below(3) == 0 {
                    String::new()
                } else {
                    awkward_key(rng, depth + 1)
                };
                key.push('[');
                key.push_str(&inner);
                key.push(']');
            } else {
                key.push_str(rng.pick(&PIECES));
            }
        }
        key
    }

    /// A value: anything at all, unbalanced brackets included.
    fn awkward_value(rng: &mut Rng) -> String {
        let mut value = String::new();
        for _ in 0..rng.below(6) {
            value.push_str(rng.pick(&["[", "]", "[]", "][", "a]b[", "", "=&"]));
            value.push_str(rng.pick(&PIECES));
        }
        value
    }

    #[test]
    fn awkward_metadata_round_trips() {
        let mut rng = Rng(0x5eed_1234_abcd_ef01);
        let fixed: [(&str, &str); 8] = [
            ("a[b]", "]["),
            ("[x]", "[y"),
            ("[]", "]"),
            ("[[n]]", "&=+%"),
            ("with space", " lead and trail "),
            ("100%", "%FF"),
            ("ключ", "значение 🦀"),
            ("a&b=c", "d+e"),
        ];
        for round in 0..500 {
            let mut params = create("file_1");
            let mut expected = Map::new();
            let entries: Vec<(String, String)> = if round == 0 {
                fixed
                    .iter()
                    .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
                    .collect()
            } else {
                (0..=rng.below(5))
                    .map(|_| (awkward_key(&mut rng, 0), awkward_value(&mut rng)))
                    .collect()
            };
            for (key, value) in entries {
                if key.is_empty() {
                    continue;
                }
                params.metadata.set(key.clone(), value.clone());
                expected.insert(key, Value::String(value));
            }
            let form = to_string(&params).unwrap();
            let json = decode::<CreateFileLink>(&form)
                .unwrap_or_else(|rejection| panic!("{form:?}: {rejection:?}"));
            let expected_metadata = if expected.is_empty() {
                Value::Null
            } else {
                Value::Object(expected)
            };
            assert_eq!(json["metadata"], expected_metadata, "{form}");
            assert_eq!(
                serde_json::from_value::<CreateFileLink>(json).unwrap(),
                params,
                "{form}"
            );
        }
    }

    #[test]
    fn unbalanced_metadata_keys_are_rejected_not_misread() {
        for key in ["a]", "]a", "[a", "a]b[", "]["] {
            let mut params = create("file_1");
            params.metadata.set(key, "v");
            let form = to_string(&params).unwrap();
            let rejection = reject::<CreateFileLink>(&form);
            assert_eq!(rejection.status, 400, "{form}");
            assert!(
                rejection
                    .param
                    .as_deref()
                    .is_some_and(|param| param.starts_with("metadata")),
                "{form}: {rejection:?}"
            );
        }
        // `][` reads as `metadata[][]`: well-formed nesting, but not a string value.
        assert_invalid(
            &reject::<CreateFileLink>("file=f&metadata[][]=v"),
            "metadata[0]",
        );
    }

    #[test]
    fn garbage_never_panics() {
        let mut rng = Rng(0x0dd_ba11);
        let pieces = [
            "a", "file", "metadata", "expand", "created", "limit", "[", "]", "[]", "[0]", "[k]",
            "=", "&", "%", "%4", "%FF", "%C3%A9", "+", "", "gte", "now", "9",
        ];
        for _ in 0..3000 {
            let form: String = (0..rng.below(12)).map(|_| rng.pick(&pieces)).collect();
            let Ok(pairs) = parse_form(&form) else {
                continue;
            };
            for result in [
                decode_params::<CreateFileLink>(&pairs),
                decode_params::<UpdateFileLink>(&pairs),
                decode_params::<ListFileLinks>(&pairs),
                decode_params::<Misc>(&pairs),
                decode_params::<Value>(&pairs),
            ] {
                if let Err(rejection) = result {
                    assert_eq!(rejection.status, 400, "{form}");
                    assert!(!rejection.message.is_empty(), "{form}");
                }
            }
        }
    }

    #[test]
    fn more_than_50_metadata_keys_set_are_refused_before_decoding() {
        let form = |set: usize, unset: usize| {
            let mut pairs = vec![("file".to_owned(), "file_1".to_owned())];
            pairs.extend((0..set).map(|i| (format!("metadata[k{i}]"), "v".to_owned())));
            pairs.extend((0..unset).map(|i| (format!("metadata[u{i}]"), String::new())));
            pairs
        };
        let decoded = decode_params::<CreateFileLink>(&form(50, 30)).unwrap();
        assert_eq!(decoded["metadata"].as_object().map(Map::len), Some(80));
        let rejection = decode_params::<CreateFileLink>(&form(51, 0)).unwrap_err();
        assert_eq!(rejection.param.as_deref(), Some("metadata"));
        assert_eq!(
            rejection.message,
            "Invalid metadata: metadata can have up to 50 keys, but you passed in 51 keys."
        );
        let rejection = decode_params::<UpdateFileLink>(&form(1000, 5)[1..]).unwrap_err();
        assert!(rejection.message.ends_with("you passed in 1000 keys."));
        // Params with no `metadata` take no such limit (and reject it as unknown).
        let rejection = decode_params::<ListFileLinks>(&form(60, 0)[1..]).unwrap_err();
        assert_eq!(rejection.message, "Received unknown parameter: metadata");
    }

    #[test]
    fn more_than_50_keys_in_a_nested_metadata_are_refused_too() {
        #[derive(Serialize, Deserialize)]
        struct Params {
            #[serde(default)]
            file_link_data: Option<Data>,
        }
        #[derive(Serialize, Deserialize)]
        struct Data {
            create: bool,
            #[serde(default)]
            metadata: MetadataParam,
        }
        let form = |set: usize| {
            let mut pairs = vec![("file_link_data[create]".to_owned(), "true".to_owned())];
            pairs.extend(
                (0..set).map(|i| (format!("file_link_data[metadata][k{i}]"), "v".to_owned())),
            );
            pairs
        };
        assert!(decode_params::<Params>(&form(50)).is_ok());
        let rejection = decode_params::<Params>(&form(80_000)).unwrap_err();
        assert_eq!(rejection.param.as_deref(), Some("file_link_data[metadata]"));
        assert!(rejection.message.ends_with("you passed in 80000 keys."));
    }
}
