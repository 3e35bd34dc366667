//! The emulator's form decoder on any text: `resource_emulator::decode::parse_form`, then
//! `decode_params::<P>` for File Links' own params types (create, update, list of links; create
//! with an uploaded file's reference and `file_link_data`, list of files), a local struct of many
//! shapes (nested structs, maps of maps and of sequences, `Vec` of structs, `Option<u32>`,
//! `bool`, floats, a unit enum, `MetadataParam`, `RangeQuery`, `ExpiresAt`) and untyped JSON.
//!
//! - never a panic: `Ok`, or a 400 `invalid_request_error` [`Rejection`] with a message, whose
//!   `param` names a parameter the form has (but for a missing one), and `Received unknown
//!   parameter: x` exactly when the code is `parameter_unknown`;
//! - the JSON it gives is `P`'s own: it reads back as a `P` that serializes to the same JSON;
//! - round trip: that `P`, encoded by the client's `resource_core::form::to_string`, parses into
//!   exactly `to_pairs` and decodes again to the same JSON (and the same `P`). For the local
//!   struct the comparison ignores `null`s and empty arrays and hashes: a form cannot carry an
//!   empty list inside a hash (`lists[k]=` reads as `[]`, and the encoder leaves `[]` out).
//!
//! Input: the form text itself (lossy UTF-8), as a body or query string; `-dict=form.dict`.
#![no_main]

use std::collections::BTreeMap;
use std::fmt::Debug;

use file_link::{CreateFile, CreateFileLink, ListFileLinks, ListFiles, UpdateFileLink};
use libfuzzer_sys::fuzz_target;
use resource_core::form::{to_pairs, to_string};
use resource_core::{ExpiresAt, MetadataParam, RangeQuery};
use resource_emulator::Rejection;
use resource_emulator::decode::{decode_params, parse_form};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Mode {
    Payment,
    Setup,
    Subscription,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Address {
    line1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    postal_code: Option<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Item {
    price: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quantity: Option<u32>,
    #[serde(default)]
    metadata: MetadataParam,
}

/// Stripe-like create params of many shapes.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Shapes {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    amount: Option<u32>,
    #[serde(default)]
    capture: bool,
    #[serde(default)]
    confirm: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ratio: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mode: Option<Mode>,
    #[serde(default)]
    metadata: MetadataParam,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address: Option<Address>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    items: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    counts: Vec<Option<u32>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    nested: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    lists: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created: Option<RangeQuery>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<ExpiresAt>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    expand: Vec<String>,
}

/// How the decoded JSON must compare after a round trip through the encoder.
#[derive(Clone, Copy)]
enum RoundTrip {
    /// Equal.
    Exact,
    /// Equal once `null`s and empty arrays and hashes are left out.
    ModuloEmpty,
}

/// The top-level name of a key or parameter path: up to its first `[`.
fn name_of(key: &str) -> &str {
    key.split_once('[').map_or(key, |(name, _)| name)
}

fn check_rejection(rejection: &Rejection, form: &str, pairs: &[(String, String)], what: &str) {
    assert_eq!(rejection.status, 400, "{what} {form:?}: {rejection:?}");
    assert_eq!(
        rejection.type_, "invalid_request_error",
        "{what} {form:?}: {rejection:?}"
    );
    assert!(
        !rejection.message.is_empty(),
        "{what} {form:?}: {rejection:?}"
    );
    let unknown = rejection.code.as_deref() == Some("parameter_unknown");
    assert_eq!(
        unknown,
        rejection
            .message
            .starts_with("Received unknown parameter: "),
        "{what} {form:?}: {rejection:?}"
    );
    if unknown {
        let param = rejection.param.as_deref().unwrap_or_default();
        assert_eq!(
            rejection.message,
            format!("Received unknown parameter: {param}"),
            "{what} {form:?}"
        );
    }
    if let Some(param) = rejection.param.as_deref()
        && rejection.code.as_deref() != Some("parameter_missing")
    {
        assert!(
            pairs.iter().any(|(key, _)| name_of(key) == name_of(param)),
            "{what} {form:?}: the rejection is about `{param}`, which the form does not have: {rejection:?}"
        );
    }
    let json = rejection.to_json();
    assert!(json["error"]["message"].is_string(), "{json}");
}

/// Leaves out `null`s and empty arrays and hashes, at any depth.
fn prune(value: Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::Array(items) => {
            let items: Vec<Value> = items.into_iter().filter_map(prune).collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        Value::Object(map) => {
            let map: Map<String, Value> = map
                .into_iter()
                .filter_map(|(k, v)| prune(v).map(|v| (k, v)))
                .collect();
            (!map.is_empty()).then_some(Value::Object(map))
        }
        other => Some(other),
    }
}

fn check<P>(form: &str, pairs: &[(String, String)], round_trip: RoundTrip)
where
    P: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let what = std::any::type_name::<P>();
    let json = match decode_params::<P>(pairs) {
        Ok(json) => Value::Object(json),
        Err(rejection) => {
            check_rejection(&rejection, form, pairs, what);
            return;
        }
    };
    // The JSON is P's own.
    let params: P = serde_json::from_value(json.clone()).unwrap_or_else(|error| {
        panic!("{what} {form:?}: the decoded JSON {json} does not read back: {error}")
    });
    assert_eq!(
        serde_json::to_value(&params).expect("P serializes as JSON"),
        json,
        "{what} {form:?}: the JSON does not survive a JSON round trip"
    );

    // Through the client's encoder and back.
    let encoded = to_string(&params)
        .unwrap_or_else(|error| panic!("{what} {form:?}: {params:?} does not encode: {error}"));
    let expected_pairs = to_pairs(&params).expect("to_pairs agrees with to_string");
    let reparsed = parse_form(&encoded).unwrap_or_else(|rejection| {
        panic!("{what} {form:?}: the encoder's {encoded:?} does not parse: {rejection:?}")
    });
    assert_eq!(
        reparsed, expected_pairs,
        "{what} {form:?}: the encoder's {encoded:?} parses into other pairs"
    );
    let again = decode_params::<P>(&reparsed).unwrap_or_else(|rejection| {
        panic!(
            "{what} {form:?}: decoded as {json}, re-encoded as {encoded:?}, which is refused: {rejection:?}"
        )
    });
    let again = Value::Object(again);
    match round_trip {
        RoundTrip::Exact => {
            assert_eq!(
                again, json,
                "{what} {form:?}: re-encoded as {encoded:?}, decoded differently"
            );
            let params_again: P = serde_json::from_value(again).expect("read back");
            assert_eq!(params_again, params, "{what} {form:?}");
        }
        RoundTrip::ModuloEmpty => {
            assert_eq!(
                prune(again.clone()),
                prune(json.clone()),
                "{what} {form:?}: re-encoded as {encoded:?}, decoded as {again} instead of {json}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let form = String::from_utf8_lossy(data);
    let pairs = match parse_form(&form) {
        Ok(pairs) => pairs,
        Err(rejection) => {
            assert_eq!(rejection.status, 400, "{form:?}: {rejection:?}");
            assert!(!rejection.message.is_empty(), "{form:?}");
            return;
        }
    };
    check::<CreateFileLink>(&form, &pairs, RoundTrip::Exact);
    check::<UpdateFileLink>(&form, &pairs, RoundTrip::Exact);
    check::<ListFileLinks>(&form, &pairs, RoundTrip::Exact);
    check::<CreateFile>(&form, &pairs, RoundTrip::Exact);
    check::<ListFiles>(&form, &pairs, RoundTrip::Exact);
    check::<Shapes>(&form, &pairs, RoundTrip::ModuloEmpty);
    check::<Value>(&form, &pairs, RoundTrip::Exact);
});
