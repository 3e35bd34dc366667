//! The form encoder on parameters built by `arbitrary`: raw pairs with any keys and values, a
//! struct of several shapes (optional integers and floats, booleans, sequences with holes, nested
//! and ordered maps, a unit enum), and the File Links builders driven by any sequence of calls.
//! `to_pairs` gives exactly the pairs a hand-written model predicts; `encode_pairs` emits only
//! `A-Z a-z 0-9 - _ . ~ [ ] + % = &`; a strict reference decoder gives back exactly those pairs,
//! in order; a non-finite float is refused, naming its key.
#![no_main]

use std::collections::BTreeMap;

use arbitrary::Arbitrary;
use file_link::{CreateFileLink, UpdateFileLink};
use libfuzzer_sys::fuzz_target;
use resource_core::form::{encode_pairs, to_pairs, to_string};
use resource_core::{ErrorKind, ExpiresAt, Metadata};
use resource_fuzz::{Pair, only_allowed_bytes, strict_decode};
use serde::Serialize;

#[derive(Debug, Arbitrary)]
struct Input {
    raw: Vec<(String, String)>,
    shapes: Shapes,
    file: String,
    create_expires_at: Option<i64>,
    update_expires_at: Option<Expiry>,
    ops: Vec<Op>,
    expand: Vec<String>,
}

#[derive(Debug, Clone, Copy, Arbitrary)]
enum Expiry {
    At(i64),
    Now,
    Never,
}

#[derive(Debug, Arbitrary)]
enum Op {
    Set(String, String),
    Unset(String),
    Clear,
}

#[derive(Debug, Arbitrary, Serialize)]
struct Shapes {
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<i64>,
    capture: bool,
    // No `skip_serializing_if`: the encoder itself leaves `None` out.
    ratio: Option<f64>,
    small: Option<f32>,
    mode: Mode,
    tags: Vec<String>,
    holes: Vec<Option<u32>>,
    metadata: BTreeMap<String, String>,
    nested: Nested,
}

#[derive(Debug, Clone, Copy, Arbitrary, Serialize)]
#[serde(rename_all = "snake_case")]
enum Mode {
    Payment,
    SetupIntent,
}

#[derive(Debug, Arbitrary, Serialize)]
struct Nested {
    #[serde(serialize_with = "ordered")]
    ordered: Vec<(String, String)>,
    inner: BTreeMap<String, Vec<Option<i8>>>,
    note: Option<String>,
}

/// Serializes entries as a map in the given order, through `Metadata` (which keeps the first
/// position of a repeated key and its last value).
fn ordered<S: serde::Serializer>(
    entries: &[(String, String)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    entries
        .iter()
        .cloned()
        .collect::<Metadata>()
        .serialize(serializer)
}

/// What ordered entries hold after repeated keys: first position, last value.
fn dedup_ordered(entries: &[(String, String)]) -> Vec<Pair> {
    let mut out: Vec<Pair> = Vec::new();
    for (key, value) in entries {
        match out.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1.clone_from(value),
            None => out.push((key.clone(), value.clone())),
        }
    }
    out
}

/// The pairs `Shapes` must give, or the key of the first non-finite float.
fn shapes_model(shapes: &Shapes) -> Result<Vec<Pair>, String> {
    let mut out = Vec::new();
    if let Some(amount) = shapes.amount {
        out.push(("amount".to_owned(), amount.to_string()));
    }
    out.push(("capture".to_owned(), shapes.capture.to_string()));
    if let Some(ratio) = shapes.ratio {
        if !ratio.is_finite() {
            return Err("ratio".to_owned());
        }
        out.push(("ratio".to_owned(), ratio.to_string()));
    }
    if let Some(small) = shapes.small {
        if !small.is_finite() {
            return Err("small".to_owned());
        }
        out.push(("small".to_owned(), small.to_string()));
    }
    let mode = match shapes.mode {
        Mode::Payment => "payment",
        Mode::SetupIntent => "setup_intent",
    };
    out.push(("mode".to_owned(), mode.to_owned()));
    for (i, tag) in shapes.tags.iter().enumerate() {
        out.push((format!("tags[{i}]"), tag.clone()));
    }
    for (i, hole) in shapes.holes.iter().enumerate() {
        if let Some(value) = hole {
            out.push((format!("holes[{i}]"), value.to_string()));
        }
    }
    for (key, value) in &shapes.metadata {
        out.push((format!("metadata[{key}]"), value.clone()));
    }
    for (key, value) in dedup_ordered(&shapes.nested.ordered) {
        out.push((format!("nested[ordered][{key}]"), value));
    }
    for (key, values) in &shapes.nested.inner {
        for (i, value) in values.iter().enumerate() {
            if let Some(value) = value {
                out.push((format!("nested[inner][{key}][{i}]"), value.to_string()));
            }
        }
    }
    if let Some(note) = &shapes.nested.note {
        out.push(("nested[note]".to_owned(), note.clone()));
    }
    Ok(out)
}

fn expand_pairs(expand: &[String], out: &mut Vec<Pair>) {
    for (i, field) in expand.iter().enumerate() {
        out.push((format!("expand[{i}]"), field.clone()));
    }
}

/// `MetadataParam` after `ops`: nothing, `metadata=`, or ordered entries (a set after a clear
/// starts new entries).
fn metadata_model(ops: &[Op], out: &mut Vec<Pair>) {
    enum State {
        Nothing,
        Clear,
        Entries(Vec<(String, String)>),
    }
    let mut state = State::Nothing;
    for op in ops {
        let (key, value) = match op {
            Op::Clear => {
                state = State::Clear;
                continue;
            }
            Op::Set(key, value) => (key.clone(), value.clone()),
            Op::Unset(key) => (key.clone(), String::new()),
        };
        match &mut state {
            State::Entries(entries) => entries.push((key, value)),
            _ => state = State::Entries(vec![(key, value)]),
        }
    }
    match state {
        State::Nothing => {}
        State::Clear => out.push(("metadata".to_owned(), String::new())),
        State::Entries(entries) => {
            for (key, value) in dedup_ordered(&entries) {
                out.push((format!("metadata[{key}]"), value));
            }
        }
    }
}

/// Encodes `pairs`, checks the bytes, decodes them back and compares.
fn check_encoding(pairs: &[Pair]) -> String {
    let encoded = encode_pairs(pairs);
    assert!(
        only_allowed_bytes(&encoded),
        "disallowed byte in {encoded:?}"
    );
    let decoded = strict_decode(&encoded).unwrap_or_else(|e| panic!("{e}: {encoded:?}"));
    assert_eq!(decoded, pairs, "round trip of {encoded:?}");
    encoded
}

fn check_params<T: Serialize>(params: &T, expected: &[Pair]) {
    let pairs = to_pairs(params).expect("these parameters encode");
    assert_eq!(pairs, expected);
    let encoded = check_encoding(&pairs);
    assert_eq!(to_string(params).expect("these parameters encode"), encoded);
}

fuzz_target!(|input: Input| {
    // Raw pairs.
    check_encoding(&input.raw);

    // A struct of many shapes.
    match shapes_model(&input.shapes) {
        Ok(expected) => check_params(&input.shapes, &expected),
        Err(key) => {
            let error = to_pairs(&input.shapes).expect_err("a non-finite float is refused");
            assert_eq!(error.kind(), ErrorKind::InvalidInput);
            let message = error.to_string();
            assert!(
                message.contains(&format!("`{key}`")) && message.contains("finite"),
                "{message}"
            );
        }
    }

    // CreateFileLink: file, expires_at, metadata (set only), expand.
    let mut create = CreateFileLink::new(&input.file);
    if let Some(timestamp) = input.create_expires_at {
        create = create.expires_at(timestamp);
    }
    let sets: Vec<Op> = input
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Set(key, value) => Some(Op::Set(key.clone(), value.clone())),
            Op::Unset(_) | Op::Clear => None,
        })
        .collect();
    for op in &sets {
        if let Op::Set(key, value) = op {
            create = create.metadata(key.clone(), value.clone());
        }
    }
    for field in &input.expand {
        create = create.expand(field.clone());
    }
    let mut expected = vec![("file".to_owned(), input.file.clone())];
    if let Some(timestamp) = input.create_expires_at {
        expected.push(("expires_at".to_owned(), timestamp.to_string()));
    }
    metadata_model(&sets, &mut expected);
    expand_pairs(&input.expand, &mut expected);
    check_params(&create, &expected);

    // UpdateFileLink: any expiry, any sequence of set / unset / clear, expand.
    let mut update = UpdateFileLink::new();
    let mut expected = Vec::new();
    if let Some(expiry) = input.update_expires_at {
        let (value, text) = match expiry {
            Expiry::At(timestamp) => (ExpiresAt::At(timestamp), timestamp.to_string()),
            Expiry::Now => (ExpiresAt::Now, "now".to_owned()),
            Expiry::Never => (ExpiresAt::Never, String::new()),
        };
        update = update.expires_at(value);
        expected.push(("expires_at".to_owned(), text));
    }
    for op in &input.ops {
        update = match op {
            Op::Set(key, value) => update.metadata(key.clone(), value.clone()),
            Op::Unset(key) => update.unset_metadata(key.clone()),
            Op::Clear => update.clear_metadata(),
        };
    }
    for field in &input.expand {
        update = update.expand(field.clone());
    }
    metadata_model(&input.ops, &mut expected);
    expand_pairs(&input.expand, &mut expected);
    check_params(&update, &expected);
});
