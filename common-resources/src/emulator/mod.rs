//! The resources' behaviour in [`resource_emulator`] (feature `emulator`), as their hooks: what
//! Stripe does beyond storing what it is sent. Each module is one resource's (or one family's)
//! hooks, short enough to copy for your own resources:
//!
//! - payment intents: Stripe's status machine (`requires_payment_method` ->
//!   `requires_confirmation` -> `requires_capture` or `succeeded`, or `canceled`; an action in
//!   another state is Stripe's 400 `payment_intent_unexpected_state`), its test payment
//!   methods ([`CARD_VISA`] succeeds, [`CARD_DECLINED`] is a 402 `card_declined` kept as the
//!   intent's `last_payment_error`), and a `charge` balance transaction on success;
//! - refunds: of a succeeded intent or its charge, never more than was received; they move the
//!   balance back; `cancel`;
//! - the balance: the sum of the balance transactions, and its history;
//! - customers: a balance kept by their balance transactions, a discount from a coupon, tax ids;
//! - products, prices and checkout sessions: line items from a `price` or `price_data`, totals,
//!   expiry on the clock and `expire`;
//! - subscriptions: for a customer and recurring prices, trials ending on the clock, `cancel`
//!   (Stripe's `DELETE` with parameters) and `resume`;
//! - transfers and their reversals; accounts and their external accounts (bank accounts and
//!   cards from Stripe's test tokens).
//!
//! Each module's own documentation says what it does and where it departs from Stripe.
//!
//! ```
//! let emulator = resource_emulator::Emulator::new();
//! common_resources::emulator::register(&emulator);
//! ```

mod account;
mod balance;
mod catalog;
mod charge;
mod checkout;
mod customer;
mod fields;
mod payment_intent;
mod refund;
mod subscription;
mod transfer;

use resource_emulator::Emulator;

/// Serves every resource of this crate, with its hooks.
pub fn register(emulator: &Emulator) {
    account::register(emulator);
    balance::register(emulator);
    catalog::register(emulator);
    checkout::register(emulator);
    customer::register(emulator);
    payment_intent::register(emulator);
    refund::register(emulator);
    subscription::register(emulator);
    transfer::register(emulator);
}

/// Stripe's test payment method that always succeeds.
pub const CARD_VISA: &str = "pm_card_visa";
/// Stripe's test payment method that is always declined.
pub const CARD_DECLINED: &str = "pm_card_chargeDeclined";
