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
//! | [`Subscription`] | `/v1/subscriptions` | create, retrieve, update, list, search; `cancel`: a `DELETE` with parameters; `resume` |
//! | [`Quote`] | `/v1/quotes` | `pdf`: a file streamed from the files host |
//! | [`Refund`] | `/v1/refunds` | create, retrieve, update, list; `cancel` |
//! | [`Product`] | `/v1/products` | create (with a required `name`), retrieve, update, delete, list |
//! | [`Price`] | `/v1/prices` | nested parameter objects (`product_data`, `recurring`); no delete |
//! | [`Coupon`] | `/v1/coupons` | ids with no fixed prefix (`prefix = ""`) |
//! | [`TaxId`] | `/v1/customers/{customer}/tax_ids` | nested: create, retrieve, delete, list |
//! | [`CheckoutSession`] | `/v1/checkout/sessions` | a dotted `object` (`checkout.session`), a list of nested parameters (`line_items`); `expire` |
//! | [`CheckoutSessionLineItem`] | `/v1/checkout/sessions/{session}/line_items` | nested, list only |
//! | [`Transfer`] | `/v1/transfers` | create, retrieve, update, list |
//! | [`TransferReversal`] | `/v1/transfers/{transfer}/reversals` | nested under a transfer |
//! | [`Account`] | `/v1/accounts` | connected accounts: create, retrieve, update, delete, list |
//! | [`ExternalAccount`] | `/v1/accounts/{account}/external_accounts` | two kinds of object (`bank_account`, `card`), two id prefixes (`ba`, `card`) |
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

mod account;
mod balance;
mod checkout_session;
mod coupon;
mod customer;
mod customer_balance_transaction;
mod discount;
#[cfg(feature = "emulator")]
pub mod emulator;
mod external_account;
mod payment_intent;
mod price;
mod product;
mod quote;
mod refund;
mod subscription;
mod tax_id;
mod transfer;
mod transfer_reversal;

pub use account::{Account, AccountId, CreateAccount, ListAccounts, UpdateAccount};
pub use balance::{
    Balance, BalanceAmount, BalanceTransaction, BalanceTransactionId, ListBalanceTransactions,
};
pub use checkout_session::{
    CheckoutLineItemParams, CheckoutSession, CheckoutSessionId, CheckoutSessionLineItem,
    CheckoutSessionLineItemId, CreateCheckoutSession, ExpireCheckoutSession,
    ListCheckoutSessionLineItems, ListCheckoutSessions, PriceDataParams, ProductDataParams,
    UpdateCheckoutSession,
};
pub use coupon::{Coupon, CouponId, CreateCoupon, ListCoupons, UpdateCoupon};
pub use customer::{CreateCustomer, Customer, CustomerId, ListCustomers, UpdateCustomer};
pub use customer_balance_transaction::{
    CreateCustomerBalanceTransaction, CustomerBalanceTransaction, CustomerBalanceTransactionId,
    ListCustomerBalanceTransactions, UpdateCustomerBalanceTransaction,
};
pub use discount::{Discount, DiscountSource};
pub use external_account::{
    CreateExternalAccount, ExternalAccount, ExternalAccountId, ListExternalAccounts,
    UpdateExternalAccount,
};
pub use payment_intent::{
    AutomaticPaymentMethods, CancelPaymentIntent, CapturePaymentIntent, ConfirmPaymentIntent,
    CreatePaymentIntent, ListPaymentIntents, PaymentError, PaymentIntent, PaymentIntentId,
    UpdatePaymentIntent,
};
pub use price::{
    CreatePrice, ListPrices, Price, PriceId, PriceProductDataParams, PriceRecurring,
    RecurringParams, UpdatePrice,
};
pub use product::{CreateProduct, ListProducts, Product, ProductId, UpdateProduct};
pub use quote::{Quote, QuoteId};
pub use refund::{CancelRefund, CreateRefund, ListRefunds, Refund, RefundId, UpdateRefund};
pub use subscription::{
    CancelSubscription, CreateSubscription, EndBehaviorParams, ListSubscriptions,
    ResumeSubscription, Subscription, SubscriptionId, SubscriptionItem, SubscriptionItemParams,
    TrialSettingsParams, UpdateSubscription,
};
pub use tax_id::{CreateTaxId, ListTaxIds, TaxId, TaxIdId};
pub use transfer::{CreateTransfer, ListTransfers, Transfer, TransferId, UpdateTransfer};
pub use transfer_reversal::{
    CreateTransferReversal, ListTransferReversals, TransferReversal, TransferReversalId,
    UpdateTransferReversal,
};
