//! The account's balance (`/v1/balance`, a singleton) and its transactions.

use resource_core::{RangeQuery, StripeResource};
use serde::{Deserialize, Serialize};

/// The account's balance (API version 2026-01-28.clover): one object, no id.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "balance",
    path = "/v1/balance",
    singleton,
    retrieve,
    action(history, get = "history", params = ListBalanceTransactions, list = BalanceTransaction),
)]
pub struct Balance {
    /// Always `"balance"`.
    pub object: String,
    /// Funds you can pay out, per currency.
    pub available: Vec<BalanceAmount>,
    /// Whether the object lives in live mode.
    pub livemode: bool,
    /// Funds not yet available, per currency.
    pub pending: Vec<BalanceAmount>,
}

/// An amount in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct BalanceAmount {
    /// The amount, in the smallest currency unit.
    pub amount: i64,
    /// The currency.
    pub currency: String,
}

/// A movement of funds in or out of the balance (API version 2026-01-28.clover).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "balance_transaction",
    path = "/v1/balance_transactions",
    prefix = "txn",
    retrieve,
    list = ListBalanceTransactions,
)]
pub struct BalanceTransaction {
    /// Unique identifier (`txn_...`).
    pub id: BalanceTransactionId,
    /// Always `"balance_transaction"`.
    pub object: String,
    /// The gross amount, in the smallest currency unit.
    pub amount: i64,
    /// When the funds become available (Unix seconds).
    pub available_on: i64,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// The currency.
    pub currency: String,
    /// Fees, in the smallest currency unit.
    pub fee: i64,
    /// The amount net of fees.
    pub net: i64,
    /// `available` or `pending`.
    pub status: String,
    /// What moved the funds: `charge`, `refund`, `payout`, ...
    #[serde(rename = "type")]
    pub type_: String,
}

/// Parameters of `GET /v1/balance_transactions` and `GET /v1/balance/history`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListBalanceTransactions {
    /// Only transactions created at, or within, these times.
    pub created: Option<RangeQuery>,
    /// Only transactions in this currency.
    pub currency: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// Only transactions of this type.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// Fields of each transaction to expand, as `data.<field>`.
    pub expand: Vec<String>,
}
