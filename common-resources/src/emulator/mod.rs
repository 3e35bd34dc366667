//! The resources' behaviour in [`resource_emulator`] (feature `emulator`), as their hooks: what
//! Stripe does beyond storing what it is sent. Each module is one resource's (or one family's)
//! hooks, short enough to copy for your own resources:
//!
//! - payment intents: Stripe's status machine (`requires_payment_method` ->
//!   `requires_confirmation` -> `requires_capture` or `succeeded`, or `canceled`; an action in
//!   another state is Stripe's 400 `payment_intent_unexpected_state`), its test payment
//!   methods ([`CARD_VISA`] succeeds, [`CARD_DECLINED`] is a 402 `card_declined` kept as the
//!   intent's `last_payment_error`), and a `charge` balance transaction on success;
//! - customers: a balance kept by their balance transactions, a discount from a coupon, tax ids;
//! - the balance: the sum of the balance transactions, and its history.
//!
//! ```
//! let emulator = resource_emulator::Emulator::new();
//! common_resources::emulator::register(&emulator);
//! ```

mod balance;
mod customer;
mod payment_intent;

use resource_emulator::Emulator;

/// Serves every resource of this crate, with its hooks.
pub fn register(emulator: &Emulator) {
    balance::register(emulator);
    customer::register(emulator);
    payment_intent::register(emulator);
}

/// Stripe's test payment method that always succeeds.
pub const CARD_VISA: &str = "pm_card_visa";
/// Stripe's test payment method that is always declined.
pub const CARD_DECLINED: &str = "pm_card_chargeDeclined";
