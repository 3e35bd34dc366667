//! A payment intent's latest charge as the `charge.*` events carry it (`charge.succeeded`,
//! `charge.captured`, `charge.failed`, `charge.refunded`). The charge is no resource here, so it
//! is made from what its intent knows, at the time of the event.

use resource_emulator::Object;
use serde_json::{Value, json};

use super::fields::{integer, object, text};

/// The charge of `intent` (its `latest_charge`), `refunded` of it refunded so far.
pub(super) fn of(intent: &Object, refunded: i64) -> Object {
    let error = intent.get("last_payment_error").filter(|e| !e.is_null());
    let failed = error.is_some() && text(intent, "status") == "requires_payment_method";
    let captured = integer(intent, "amount_received");
    let field = |name: &str| {
        error
            .and_then(|e| e.get(name))
            .cloned()
            .unwrap_or(Value::Null)
    };
    object(json!({
        "id": text(intent, "latest_charge"), "object": "charge",
        "amount": integer(intent, "amount"), "amount_captured": captured,
        "amount_refunded": refunded, "captured": captured > 0,
        "created": integer(intent, "created"), "currency": text(intent, "currency"),
        "customer": intent.get("customer"), "description": intent.get("description"),
        "failure_code": field("code"), "failure_message": field("message"),
        "livemode": false, "metadata": {}, "paid": !failed,
        "payment_intent": text(intent, "id"),
        "payment_method": if failed { Value::Null } else { intent.get("payment_method").cloned().unwrap_or(Value::Null) },
        "refunded": captured > 0 && refunded >= captured,
        "status": if failed { "failed" } else { "succeeded" },
    }))
}
