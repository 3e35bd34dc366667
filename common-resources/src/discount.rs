//! A customer's discount: `/v1/customers/{customer}/discount`, one per customer, no id in the
//! path.

use resource_core::StripeResource;
use serde::{Deserialize, Serialize};

use crate::CustomerId;

/// The discount applied to a customer (API version 2026-01-28.clover): a nested singleton.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "discount",
    path = "/v1/customers/{customer}/discount",
    parents(customer = CustomerId),
    singleton,
    retrieve,
    delete,
)]
pub struct Discount {
    /// Its own id (`di_...`), although it is reached through its customer.
    pub id: String,
    /// Always `"discount"`.
    pub object: String,
    /// The customer it applies to.
    pub customer: Option<String>,
    /// When it ends (Unix seconds), if ever.
    pub end: Option<i64>,
    /// When it started (Unix seconds).
    pub start: i64,
}
