//! The emulator's own controls over HTTP, so that a test suite in any language can do what
//! [`Emulator::advance`] and [`Emulator::flush_webhooks`] do in process. They live under
//! `/_emulator/`, where Stripe's API has nothing, and take the same test-mode secret key:
//!
//! - `GET /_emulator/clock`: `{"object": "emulator.clock", "now": UNIX_SECONDS}`;
//! - `POST /_emulator/clock/advance` with `seconds=N` (form-encoded, negative to go back): moves
//!   the clock as `Emulator::advance` does (what it changes is stored and emits its events;
//!   webhook retries come due) and answers the clock;
//! - `POST /_emulator/webhooks/flush`: answers once every webhook delivery due has been
//!   attempted (`Emulator::flush_webhooks`): `{"object": "emulator.webhooks", "queued",
//!   "delivered", "given_up", "dropped"}`.

use serde_json::{Value, json};

use crate::Emulator;
use crate::auth::authenticate;
use crate::decode::parse_form;
use crate::engine::{Incoming, Reply};
use crate::rejection::Rejection;

const PREFIX: &str = "/_emulator/";

/// The answer to a control request; `None` for any other request.
pub(crate) fn handle(emulator: &Emulator, request: &Incoming<'_>) -> Option<Reply> {
    let control = request.path.strip_prefix(PREFIX)?;
    let answer = authenticate(request).and_then(|_key| route(emulator, request, control));
    Some(match answer {
        Ok(answer) => Reply::json(request, 200, answer),
        Err(rejection) => Reply::json(request, rejection.status, rejection.to_json()),
    })
}

fn route(emulator: &Emulator, request: &Incoming<'_>, control: &str) -> Result<Value, Rejection> {
    match (request.method, control) {
        ("GET", "clock") => Ok(clock(emulator)),
        ("POST", "clock/advance") => {
            emulator.advance(seconds(request.body)?);
            Ok(clock(emulator))
        }
        ("POST", "webhooks/flush") => {
            emulator.flush_webhooks();
            let counts = emulator.usage().webhooks;
            Ok(json!({
                "object": "emulator.webhooks", "queued": counts.queued,
                "delivered": counts.delivered, "given_up": counts.given_up,
                "dropped": counts.dropped,
            }))
        }
        (method, _) => Err(Rejection::invalid_request(format!(
            "Unrecognized request URL ({method}: {}). The emulator's controls are GET \
             {PREFIX}clock, POST {PREFIX}clock/advance and POST {PREFIX}webhooks/flush.",
            request.path
        ))
        .status(404)),
    }
}

fn clock(emulator: &Emulator) -> Value {
    json!({"object": "emulator.clock", "now": emulator.now()})
}

/// The `seconds` of an advance's form body.
fn seconds(body: &[u8]) -> Result<i64, Rejection> {
    let body = std::str::from_utf8(body)
        .map_err(|_| Rejection::invalid_request("The body is not UTF-8."))?;
    let pairs = parse_form(body)?;
    let value = pairs
        .iter()
        .find(|(name, _)| name == "seconds")
        .map(|(_, value)| value.as_str())
        .ok_or_else(|| Rejection::parameter_missing("seconds"))?;
    value.parse().map_err(|_| {
        Rejection::invalid_request(format!("Invalid integer: {value}")).param("seconds")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(emulator: &Emulator, method: &str, path: &str, body: &str) -> (u16, Value) {
        let headers = vec![("Authorization".to_owned(), "Bearer sk_test_1".to_owned())];
        let answer = emulator.handle(&Incoming {
            method,
            path,
            query: "",
            headers: &headers,
            body: body.as_bytes(),
        });
        let json = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
        (answer.status, json)
    }

    #[test]
    fn the_clock_is_read_and_moved_over_http() {
        let emulator = Emulator::new();
        let (status, clock) = ask(&emulator, "GET", "/_emulator/clock", "");
        assert_eq!((status, &clock["object"]), (200, &json!("emulator.clock")));
        let before = clock["now"].as_i64().unwrap_or_default();
        let (status, moved) = ask(
            &emulator,
            "POST",
            "/_emulator/clock/advance",
            "seconds=3600",
        );
        assert_eq!(status, 200);
        let after = moved["now"].as_i64().unwrap_or_default();
        assert!(
            (3600..=3601).contains(&(after - before)),
            "{before} -> {after}"
        );
        assert!((3600..=3601).contains(&(emulator.now() - before)));
    }

    #[test]
    fn bad_control_requests_get_stripe_shaped_errors() {
        let emulator = Emulator::new();
        let (status, error) = ask(&emulator, "POST", "/_emulator/clock/advance", "");
        assert_eq!((status, &error["error"]["param"]), (400, &json!("seconds")));
        let (status, error) = ask(&emulator, "POST", "/_emulator/clock/advance", "seconds=x");
        assert_eq!(
            (status, &error["error"]["message"]),
            (400, &json!("Invalid integer: x"))
        );
        let (status, _) = ask(&emulator, "DELETE", "/_emulator/clock", "");
        assert_eq!(status, 404);
        let unauthenticated = emulator.handle(&Incoming {
            method: "GET",
            path: "/_emulator/clock",
            query: "",
            headers: &[],
            body: b"",
        });
        assert_eq!(unauthenticated.status, 401);
    }

    #[test]
    fn a_flush_answers_the_delivery_counts() {
        let emulator = Emulator::new();
        let (status, counts) = ask(&emulator, "POST", "/_emulator/webhooks/flush", "");
        assert_eq!(
            (status, counts),
            (
                200,
                json!({"object": "emulator.webhooks", "queued": 0, "delivered": 0,
                       "given_up": 0, "dropped": 0})
            )
        );
    }
}
