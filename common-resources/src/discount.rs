//! A customer's discount: `/v1/customers/{customer}/discount`, one per customer, no id in the
//! path.

use resource_core::{Expandable, StripeResource};
use serde::{Deserialize, Serialize};

use crate::{Coupon, CustomerId};

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
    /// The coupon applied, whole, as API versions before `2025-09-30.clover` answer it; `None`
    /// at the version this crate follows, which names the coupon in `source` instead.
    #[serde(default)]
    pub coupon: Option<Coupon>,
    /// The customer it applies to.
    pub customer: Option<String>,
    /// When it ends (Unix seconds), if ever.
    pub end: Option<i64>,
    /// What it applies: a coupon.
    #[serde(default)]
    pub source: Option<DiscountSource>,
    /// When it started (Unix seconds).
    pub start: i64,
}

/// What a [`Discount`] applies (`source`, since API version `2025-09-30.clover`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct DiscountSource {
    /// The coupon: its id, or the whole coupon with `expand[]=source.coupon`.
    #[serde(default)]
    pub coupon: Option<Expandable<Coupon>>,
    /// Always `"coupon"` for now.
    #[serde(rename = "type")]
    pub type_: String,
}
