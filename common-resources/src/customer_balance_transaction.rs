//! A customer's balance transactions: `/v1/customers/{customer}/balance_transactions`.

use resource_core::{Metadata, MetadataParam, StripeResource};
use serde::{Deserialize, Serialize};

use crate::CustomerId;

/// A change to a customer's credit balance (API version 2026-01-28.clover). Each belongs to
/// one customer, whose id every operation takes first.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "customer_balance_transaction",
    path = "/v1/customers/{customer}/balance_transactions",
    parents(customer = CustomerId),
    prefix = "cbtxn",
    create = CreateCustomerBalanceTransaction,
    retrieve,
    update = UpdateCustomerBalanceTransaction,
    list = ListCustomerBalanceTransactions,
)]
pub struct CustomerBalanceTransaction {
    /// Unique identifier (`cbtxn_...`).
    pub id: CustomerBalanceTransactionId,
    /// Always `"customer_balance_transaction"`.
    pub object: String,
    /// The amount, in the smallest currency unit: negative is a credit to the customer.
    pub amount: i64,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// The currency.
    pub currency: String,
    /// The customer.
    pub customer: String,
    /// An arbitrary description.
    pub description: Option<String>,
    /// The customer's balance after this transaction.
    pub ending_balance: i64,
    /// Whether the object lives in live mode.
    pub livemode: bool,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// What made the transaction: `adjustment`, `applied_to_invoice`, ...
    #[serde(rename = "type")]
    pub type_: String,
}

/// Parameters of `POST /v1/customers/{customer}/balance_transactions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateCustomerBalanceTransaction {
    /// The amount, in the smallest currency unit: negative is a credit to the customer.
    pub amount: i64,
    /// The currency, such as `usd`.
    pub currency: String,
    /// An arbitrary description.
    #[serde(default)]
    pub description: Option<String>,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: MetadataParam,
    /// Fields of the answer to expand.
    #[serde(default)]
    pub expand: Vec<String>,
}

impl CreateCustomerBalanceTransaction {
    /// A transaction of `amount` in `currency`, and nothing else.
    #[must_use]
    pub fn new(amount: i64, currency: impl Into<String>) -> Self {
        CreateCustomerBalanceTransaction {
            amount,
            currency: currency.into(),
            description: None,
            metadata: MetadataParam::new(),
            expand: Vec::new(),
        }
    }
}

/// Parameters of `POST /v1/customers/{customer}/balance_transactions/{transaction}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateCustomerBalanceTransaction {
    /// An arbitrary description.
    pub description: Option<String>,
    /// Your key-value pairs.
    pub metadata: MetadataParam,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `GET /v1/customers/{customer}/balance_transactions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListCustomerBalanceTransactions {
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// Fields of each transaction to expand, as `data.<field>`.
    pub expand: Vec<String>,
}
