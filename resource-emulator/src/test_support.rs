//! What the unit tests share.

use serde_json::Value;

use crate::emulate::Object;

/// The fields of a JSON object written with `json!` (none for anything else).
pub(crate) fn object(value: Value) -> Object {
    match value {
        Value::Object(object) => object,
        _ => Object::new(),
    }
}
