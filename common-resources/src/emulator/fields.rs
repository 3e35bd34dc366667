//! Reading and building the JSON objects hooks work on, and the error for a parameter naming an
//! object that does not exist.

use resource_emulator::{Object, Rejection};
use serde_json::Value;

/// The text of `field`, `""` when it is absent, `null` or not text.
pub(super) fn text<'a>(object: &'a Object, field: &str) -> &'a str {
    object
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The integer of `field`, `0` when it is absent, `null` or not an integer.
pub(super) fn integer(object: &Object, field: &str) -> i64 {
    object
        .get(field)
        .and_then(Value::as_i64)
        .unwrap_or_default()
}

/// The fields of a JSON object (built with `json!`).
pub(super) fn object(value: Value) -> Object {
    match value {
        Value::Object(object) => object,
        _ => Object::new(),
    }
}

/// Stripe's 400 for a parameter naming an object that does not exist: `No such product: 'x'`.
pub(super) fn no_such(object: &str, id: &str, param: &str) -> Rejection {
    Rejection::no_such(object, id, param).status(400)
}
