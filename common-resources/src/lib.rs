//! The Stripe resources integrations use most, declared the way an application declares its
//! own: a plain struct per object with `#[derive(StripeResource)]`, and plain parameter structs.
//! Each shape of the API has an example here:
//!
//! | resource | path | shape |
//! |---|---|---|
//! | [`Customer`] | `/v1/customers` | create, retrieve (an object or its deleted form), update, delete, list, search |
//! | [`CustomerBalanceTransaction`] | `/v1/customers/{customer}/balance_transactions` | nested under a typed parent |
//! | [`Discount`] | `/v1/customers/{customer}/discount` | a nested singleton |
//! | [`PaymentIntent`] | `/v1/payment_intents` | actions on an instance: `confirm`, `capture`, `cancel` |
//! | [`Balance`] | `/v1/balance` | a singleton, with a list at another path (`history`) |
//! | [`BalanceTransaction`] | `/v1/balance_transactions` | retrieve and list |
//! | [`Subscription`] | `/v1/subscriptions` | `cancel`: a `DELETE` with parameters |
//! | [`Quote`] | `/v1/quotes` | `pdf`: a file streamed from the files host |
//!
//! Objects carry the fields most integrations read (serde ignores the rest); parameters are
//! plain structs with public fields, built with struct update syntax:
//!
//! ```no_run
//! use common_resources::{CreateCustomer, Customer};
//!
//! # fn main() -> Result<(), resource_core::Error> {
//! # let client = resource_core::Client::builder("sk_test_123").build()?;
//! let jenny = Customer::create(
//!     &client,
//!     &CreateCustomer { email: Some("jenny@example.com".into()), ..Default::default() },
//! )?;
//! # let _ = jenny;
//! # Ok(())
//! # }
//! ```
//!
//! Parameter structs need no per-field serde attributes: `None` and empty lists are not sent
//! (the form encoder leaves them out), and `#[serde(default)]` on the struct lets the emulator
//! read a request back into it with every absent field at its default.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod balance;
mod customer;
mod customer_balance_transaction;
mod discount;
#[cfg(feature = "emulator")]
pub mod emulator;
mod payment_intent;
mod quote;
mod subscription;

pub use balance::{
    Balance, BalanceAmount, BalanceTransaction, BalanceTransactionId, ListBalanceTransactions,
};
pub use customer::{CreateCustomer, Customer, CustomerId, ListCustomers, UpdateCustomer};
pub use customer_balance_transaction::{
    CreateCustomerBalanceTransaction, CustomerBalanceTransaction, CustomerBalanceTransactionId,
    ListCustomerBalanceTransactions, UpdateCustomerBalanceTransaction,
};
pub use discount::Discount;
pub use payment_intent::{
    CancelPaymentIntent, CapturePaymentIntent, ConfirmPaymentIntent, CreatePaymentIntent,
    ListPaymentIntents, PaymentError, PaymentIntent, PaymentIntentId, UpdatePaymentIntent,
};
pub use quote::{Quote, QuoteId};
pub use subscription::{CancelSubscription, Subscription, SubscriptionId};
