//! Stripe-shaped error answers.

use serde_json::{Map, Value, json};

/// An error the emulator answers with: an HTTP status and Stripe's `error` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The HTTP status.
    pub status: u16,
    /// The error `type`: `invalid_request_error`, `idempotency_error`, `api_error`, ...
    pub type_: &'static str,
    /// The error `code`, such as `resource_missing` or `parameter_missing`.
    pub code: Option<String>,
    /// The parameter the error is about.
    pub param: Option<String>,
    /// The human-readable message.
    pub message: String,
    /// More fields of the error object, such as a card error's `decline_code`, `charge` and
    /// `payment_intent`.
    pub fields: Map<String, Value>,
}

impl Rejection {
    /// A 400 `invalid_request_error`.
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Rejection {
            status: 400,
            type_: "invalid_request_error",
            code: None,
            param: None,
            message: message.into(),
            fields: Map::new(),
        }
    }

    /// Adds a field to the error object: `.with("decline_code", "generic_decline")`.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.fields.insert(name.to_owned(), value.into());
        self
    }

    /// Names the parameter the error is about.
    #[must_use]
    pub fn param(mut self, param: impl Into<String>) -> Self {
        self.param = Some(param.into());
        self
    }

    /// Sets the error code.
    #[must_use]
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Sets the HTTP status.
    #[must_use]
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// 404 `resource_missing`: `No such file link: 'link_x'`, about `param` (`id` for a path).
    pub fn no_such(object: &str, id: &str, param: &str) -> Self {
        Rejection::invalid_request(format!(
            "No such {}: '{id}'",
            object.replace(['_', '.'], " ")
        ))
        .status(404)
        .code("resource_missing")
        .param(param)
    }

    /// 400 `parameter_missing`.
    pub fn parameter_missing(param: &str) -> Self {
        Rejection::invalid_request(format!("Missing required param: {param}."))
            .code("parameter_missing")
            .param(param)
    }

    /// 400 `parameter_invalid_empty`: `param` sent as `""` (an unset) where it cannot be unset.
    pub fn parameter_invalid_empty(param: &str) -> Self {
        Rejection::invalid_request(format!(
            "You passed an empty string for '{param}'. We assume empty values are an attempt \
             to unset a parameter; however '{param}' cannot be unset. You should remove \
             '{param}' from your request or supply a non-empty value."
        ))
        .code("parameter_invalid_empty")
        .param(param)
    }

    /// 400 for a parameter the operation does not take.
    pub fn unknown_parameter(param: &str) -> Self {
        Rejection::invalid_request(format!("Received unknown parameter: {param}"))
            .code("parameter_unknown")
            .param(param)
    }

    /// 400 `idempotency_error`.
    pub fn idempotency(message: impl Into<String>) -> Self {
        Rejection {
            type_: "idempotency_error",
            ..Rejection::invalid_request(message)
        }
    }

    /// 401: no key, or not a test-mode secret key.
    pub fn authentication(message: impl Into<String>) -> Self {
        Rejection::invalid_request(message).status(401)
    }

    /// The response body: `{"error": {...}}`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut error = json!({"type": self.type_, "message": self.message});
        if let Some(code) = &self.code {
            error["code"] = json!(code);
        }
        if let Some(param) = &self.param {
            error["param"] = json!(param);
        }
        if let Value::Object(error) = &mut error {
            error.extend(self.fields.clone());
        }
        json!({ "error": error })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejections_read_like_stripe() {
        assert_eq!(
            Rejection::no_such("file_link", "link_x", "id").to_json(),
            json!({"error": {"type": "invalid_request_error", "code": "resource_missing", "param": "id",
                "message": "No such file link: 'link_x'"}})
        );
        assert_eq!(Rejection::no_such("file_link", "link_x", "id").status, 404);
        assert_eq!(
            Rejection::parameter_missing("file").message,
            "Missing required param: file."
        );
        assert_eq!(
            Rejection::unknown_parameter("x").message,
            "Received unknown parameter: x"
        );
        assert_eq!(
            Rejection::idempotency("k").to_json()["error"]["type"],
            "idempotency_error"
        );
    }
}
