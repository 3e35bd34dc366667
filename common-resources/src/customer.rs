//! Customers: `/v1/customers`.

use resource_core::{Metadata, MetadataParam, OrDeleted, RangeQuery, StripeResource};
use serde::{Deserialize, Serialize};

/// A customer (API version 2026-01-28.clover).
///
/// Retrieving a deleted customer answers its deleted form, so `retrieve` answers an
/// [`OrDeleted<Customer>`](OrDeleted).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "customer",
    path = "/v1/customers",
    prefix = "cus",
    create = CreateCustomer,
    retrieve(returns = OrDeleted<Customer>),
    update = UpdateCustomer,
    delete,
    list = ListCustomers,
    search,
)]
pub struct Customer {
    /// Unique identifier (`cus_...`).
    pub id: CustomerId,
    /// Always `"customer"`.
    pub object: String,
    /// The current balance in the smallest currency unit: negative is a credit, applied to the
    /// next invoice.
    #[serde(default)]
    pub balance: i64,
    /// When the customer was created (Unix seconds).
    pub created: i64,
    /// The default currency, once set.
    pub currency: Option<String>,
    /// An arbitrary description.
    pub description: Option<String>,
    /// The email address.
    pub email: Option<String>,
    /// Whether the object lives in live mode.
    pub livemode: bool,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// The full name or business name.
    pub name: Option<String>,
    /// The phone number.
    pub phone: Option<String>,
}

/// Parameters of `POST /v1/customers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateCustomer {
    /// A starting balance, in the smallest currency unit.
    pub balance: Option<i64>,
    /// The id of a coupon to apply: the customer gets a [`Discount`](crate::Discount). Stripe
    /// refuses it from API version `2025-03-31.basil` on (this crate's default version
    /// included): send an older `Stripe-Version` to use it.
    pub coupon: Option<String>,
    /// An arbitrary description.
    pub description: Option<String>,
    /// The email address.
    pub email: Option<String>,
    /// Your key-value pairs.
    pub metadata: MetadataParam,
    /// The full name or business name.
    pub name: Option<String>,
    /// The phone number.
    pub phone: Option<String>,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `POST /v1/customers/{customer}`; `""` unsets a text field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateCustomer {
    /// A new balance, in the smallest currency unit.
    pub balance: Option<i64>,
    /// The id of a coupon to apply: the customer gets a [`Discount`](crate::Discount). Stripe
    /// refuses it from API version `2025-03-31.basil` on (this crate's default version
    /// included): send an older `Stripe-Version` to use it.
    pub coupon: Option<String>,
    /// An arbitrary description.
    pub description: Option<String>,
    /// The email address.
    pub email: Option<String>,
    /// Your key-value pairs: set, unset or clear.
    pub metadata: MetadataParam,
    /// The full name or business name.
    pub name: Option<String>,
    /// The phone number.
    pub phone: Option<String>,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `GET /v1/customers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListCustomers {
    /// Only customers created at, or within, these times.
    pub created: Option<RangeQuery>,
    /// Only customers with exactly this email address.
    pub email: Option<String>,
    /// A cursor: the page before this customer id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// A cursor: the page after this customer id.
    pub starting_after: Option<String>,
    /// Fields of each customer to expand, as `data.<field>`.
    pub expand: Vec<String>,
}
