//! Property test of the form encoder: for arbitrary parameters (metadata keys and values that are
//! any Unicode strings, including empty ones, brackets, `&=+%#?`, spaces, control characters and
//! non-ASCII; optional scalars; expand lists), `resource_core::form::to_string` followed by an
//! independent, strict form decoder gives back exactly the pairs a hand-written model of the
//! parameters predicts, in order.
//!
//! The decoder below is written from the spec (`application/x-www-form-urlencoded` with Stripe's
//! literal brackets), not from the encoder, and is strict: it rejects any byte the encoder must
//! not emit literally and any lowercase or truncated `%XX` escape.
//!
//! A metadata key containing `[` or `]` is sent literally, as the official SDKs do
//! (`metadata[x[y]]=1`), so the decoded key string is still exactly `metadata[x[y]]`: the property
//! holds on the raw strings.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a broken property fails loudly"
)]

use file_link::{CreateFileLink, UpdateFileLink};
use proptest::prelude::*;
use resource_core::form::{self, Pair};
use resource_core::{ExpiresAt, Metadata};
use serde::Serialize;
use tests::strict_decode;

/// Characters that matter to form encoding, to be drawn often: the form's own syntax, brackets,
/// controls, a NEL, a no-break space, multi-byte UTF-8 up to four bytes, invisible ones.
const AWKWARD: &str =
    "[]&=+%#? /\\\"';,~-_.*\0\t\n\r\u{7f}\u{85}\u{a0}éü€日🦀\u{200b}\u{feff}\u{10ffff}aZ09";

/// Any Unicode string (empty included), biased towards the characters that matter to the encoder.
fn text() -> impl Strategy<Value = String> {
    let character = prop_oneof![
        3 => proptest::sample::select(AWKWARD.chars().collect::<Vec<char>>()),
        2 => proptest::char::range(' ', '~'),
        2 => any::<char>(),
    ];
    proptest::collection::vec(character, 0..10).prop_map(|chars| chars.into_iter().collect())
}

fn timestamp() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(0_i64),
        Just(i64::MIN),
        Just(i64::MAX),
        1_600_000_000_i64..2_000_000_000,
        any::<i64>(),
    ]
}

/// What a metadata parameter builder is told, in order.
#[derive(Debug, Clone)]
enum MetadataOp {
    Set(String, String),
    Unset(String),
    Clear,
}

fn metadata_ops() -> impl Strategy<Value = Vec<MetadataOp>> {
    let op = prop_oneof![
        6 => (text(), text()).prop_map(|(k, v)| MetadataOp::Set(k, v)),
        // Reusing a short key makes "set again keeps its position" likely.
        2 => (prop_oneof![Just(String::new()), Just("k".to_owned()), Just("[k]".to_owned())], text())
            .prop_map(|(k, v)| MetadataOp::Set(k, v)),
        1 => text().prop_map(MetadataOp::Unset),
        1 => Just(MetadataOp::Clear),
    ];
    proptest::collection::vec(op, 0..8)
}

/// What a `MetadataParam` holds after `ops`: nothing, a clear, or ordered entries in which a key
/// set again keeps its first position.
enum MetadataModel {
    Nothing,
    Clear,
    Entries(Vec<Pair>),
}

impl MetadataModel {
    fn after(ops: &[MetadataOp]) -> Self {
        let mut model = MetadataModel::Nothing;
        for op in ops {
            let (key, value) = match op {
                MetadataOp::Clear => {
                    model = MetadataModel::Clear;
                    continue;
                }
                MetadataOp::Set(key, value) => (key, value.as_str()),
                MetadataOp::Unset(key) => (key, ""),
            };
            // A set after a clear (or the first set) starts a new set of entries.
            if !matches!(model, MetadataModel::Entries(_)) {
                model = MetadataModel::Entries(Vec::new());
            }
            let MetadataModel::Entries(entries) = &mut model else {
                unreachable!("just made entries")
            };
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => value.clone_into(&mut entry.1),
                None => entries.push((key.clone(), value.to_owned())),
            }
        }
        model
    }

    fn pairs(&self, out: &mut Vec<Pair>) {
        match self {
            MetadataModel::Nothing => {}
            MetadataModel::Clear => out.push(("metadata".to_owned(), String::new())),
            MetadataModel::Entries(entries) => out.extend(
                entries
                    .iter()
                    .map(|(k, v)| (format!("metadata[{k}]"), v.clone())),
            ),
        }
    }
}

fn expand_pairs(expand: &[String], out: &mut Vec<Pair>) {
    out.extend(
        expand
            .iter()
            .enumerate()
            .map(|(i, field)| (format!("expand[{i}]"), field.clone())),
    );
}

/// Encodes `params`, decodes the result independently, and checks it against `expected`; also
/// checks that `to_pairs` gives `expected` before any escaping.
fn check_round_trip<T: Serialize>(params: &T, expected: &[Pair]) -> Result<(), TestCaseError> {
    let raw = form::to_pairs(params).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(raw.as_slice(), expected, "to_pairs");
    let encoded = form::to_string(params).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(
        &encoded,
        &form::encode_pairs(&raw),
        "to_string is encode_pairs(to_pairs)"
    );
    let decoded = strict_decode(&encoded).map_err(TestCaseError::fail)?;
    prop_assert_eq!(decoded.as_slice(), expected, "decoded {:?}", encoded);
    Ok(())
}

/// More shapes than the File Links parameters: optional scalars of several types, a sequence of
/// structs with holes, a nested ordered `Metadata`, a unit enum.
#[derive(Debug, Serialize)]
struct Shapes {
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    capture: Option<bool>,
    // No `skip_serializing_if`: the encoder itself must leave `None` out.
    description: Option<String>,
    quantity: Option<u32>,
    mode: Mode,
    tags: Vec<String>,
    nested: Nested,
    expand: Vec<String>,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
enum Mode {
    Payment,
    SetupIntent,
}

#[derive(Debug, Serialize)]
struct Nested {
    metadata: Metadata,
    items: Vec<Item>,
}

#[derive(Debug, Serialize)]
struct Item {
    price: String,
    quantity: Option<u32>,
}

fn shapes() -> impl Strategy<Value = Shapes> {
    let items = proptest::collection::vec(
        (text(), proptest::option::of(any::<u32>()))
            .prop_map(|(price, quantity)| Item { price, quantity }),
        0..4,
    );
    let metadata = proptest::collection::vec((text(), text()), 0..6)
        .prop_map(|entries| entries.into_iter().collect::<Metadata>());
    (
        (
            proptest::option::of(any::<i64>()),
            proptest::option::of(any::<bool>()),
            proptest::option::of(text()),
            proptest::option::of(any::<u32>()),
            prop_oneof![Just(Mode::Payment), Just(Mode::SetupIntent)],
        ),
        proptest::collection::vec(text(), 0..4),
        metadata,
        items,
        proptest::collection::vec(text(), 0..4),
    )
        .prop_map(
            |((amount, capture, description, quantity, mode), tags, metadata, items, expand)| {
                Shapes {
                    amount,
                    capture,
                    description,
                    quantity,
                    mode,
                    tags,
                    nested: Nested { metadata, items },
                    expand,
                }
            },
        )
}

/// The pairs `Shapes` must encode to, written out by hand.
fn shapes_model(shapes: &Shapes) -> Vec<Pair> {
    let mut out = Vec::new();
    let mut push = |key: String, value: String| out.push((key, value));
    if let Some(amount) = shapes.amount {
        push("amount".into(), amount.to_string());
    }
    if let Some(capture) = shapes.capture {
        push("capture".into(), capture.to_string());
    }
    if let Some(description) = &shapes.description {
        push("description".into(), description.clone());
    }
    if let Some(quantity) = shapes.quantity {
        push("quantity".into(), quantity.to_string());
    }
    let mode = match shapes.mode {
        Mode::Payment => "payment",
        Mode::SetupIntent => "setup_intent",
    };
    push("mode".into(), mode.into());
    for (i, tag) in shapes.tags.iter().enumerate() {
        push(format!("tags[{i}]"), tag.clone());
    }
    for (key, value) in shapes.nested.metadata.iter() {
        push(format!("nested[metadata][{key}]"), value.to_owned());
    }
    for (i, item) in shapes.nested.items.iter().enumerate() {
        push(format!("nested[items][{i}][price]"), item.price.clone());
        if let Some(quantity) = item.quantity {
            push(
                format!("nested[items][{i}][quantity]"),
                quantity.to_string(),
            );
        }
    }
    expand_pairs(&shapes.expand, &mut out);
    out
}

fn expires_at() -> impl Strategy<Value = ExpiresAt> {
    prop_oneof![
        timestamp().prop_map(ExpiresAt::At),
        Just(ExpiresAt::Now),
        Just(ExpiresAt::Never),
    ]
}

proptest! {
    /// `CreateFileLink`: `file=..&expires_at=..&metadata[k]=v..&expand[0]=..`.
    #[test]
    fn create_file_link_round_trips(
        file in text(),
        expires_at in proptest::option::of(timestamp()),
        metadata in proptest::collection::vec((text(), text()), 0..8),
        expand in proptest::collection::vec(text(), 0..4),
    ) {
        let mut params = CreateFileLink::new(&file);
        if let Some(timestamp) = expires_at {
            params = params.expires_at(timestamp);
        }
        let ops: Vec<MetadataOp> = metadata
            .iter()
            .map(|(k, v)| MetadataOp::Set(k.clone(), v.clone()))
            .collect();
        for (key, value) in &metadata {
            params = params.metadata(key.clone(), value.clone());
        }
        for field in &expand {
            params = params.expand(field.clone());
        }

        let mut expected = vec![("file".to_owned(), file)];
        if let Some(timestamp) = expires_at {
            expected.push(("expires_at".to_owned(), timestamp.to_string()));
        }
        MetadataModel::after(&ops).pairs(&mut expected);
        expand_pairs(&expand, &mut expected);
        check_round_trip(&params, &expected)?;
    }

    /// `UpdateFileLink`: any sequence of set / unset / clear, any expiry, any expand list.
    #[test]
    fn update_file_link_round_trips(
        expires_at in proptest::option::of(expires_at()),
        ops in metadata_ops(),
        expand in proptest::collection::vec(text(), 0..4),
    ) {
        let mut params = UpdateFileLink::new();
        if let Some(expires_at) = expires_at {
            params = params.expires_at(expires_at);
        }
        for op in &ops {
            params = match op {
                MetadataOp::Set(key, value) => params.metadata(key.clone(), value.clone()),
                MetadataOp::Unset(key) => params.unset_metadata(key.clone()),
                MetadataOp::Clear => params.clear_metadata(),
            };
        }
        for field in &expand {
            params = params.expand(field.clone());
        }

        let mut expected = Vec::new();
        match expires_at {
            Some(ExpiresAt::At(timestamp)) => expected.push(("expires_at".to_owned(), timestamp.to_string())),
            Some(ExpiresAt::Now) => expected.push(("expires_at".to_owned(), "now".to_owned())),
            Some(ExpiresAt::Never) => expected.push(("expires_at".to_owned(), String::new())),
            None => {}
        }
        MetadataModel::after(&ops).pairs(&mut expected);
        expand_pairs(&expand, &mut expected);
        check_round_trip(&params, &expected)?;
    }

    /// A struct of our own with more shapes.
    #[test]
    fn other_shapes_round_trip(shapes in shapes()) {
        check_round_trip(&shapes, &shapes_model(&shapes))?;
    }

    /// `encode_pairs` on raw pairs, whatever the keys and values: the decoder gives them back.
    #[test]
    fn raw_pairs_round_trip(pairs in proptest::collection::vec((text(), text()), 0..8)) {
        let encoded = form::encode_pairs(&pairs);
        let decoded = strict_decode(&encoded).map_err(TestCaseError::fail)?;
        prop_assert_eq!(decoded, pairs, "decoded {:?}", encoded);
    }
}

/// The decoder is strict enough to notice the mistakes an encoder could make.
#[test]
fn the_decoder_rejects_what_the_encoder_must_not_send() {
    for bad in [
        "a=b c", "a=%2f", "a=%2", "a=%G0", "a", "a=b&c", "a=é", "a=#", "a=b=c",
    ] {
        assert!(strict_decode(bad).is_err(), "{bad:?} was accepted");
    }
    assert_eq!(
        strict_decode("metadata[x[y]]=a+b%26c&expand[0]=").unwrap(),
        vec![
            ("metadata[x[y]]".to_owned(), "a b&c".to_owned()),
            ("expand[0]".to_owned(), String::new()),
        ]
    );
    assert_eq!(strict_decode("").unwrap(), Vec::<Pair>::new());
    assert_eq!(
        strict_decode("=").unwrap(),
        vec![(String::new(), String::new())]
    );
}
