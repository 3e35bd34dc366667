//! Coupons: `/v1/coupons`, a percentage or an amount off, whose ids their creators choose.

use resource_core::{Metadata, MetadataParam, RangeQuery, StripeResource};
use serde::{Deserialize, Serialize};

/// A percentage or an amount off, for once, some months or forever (API version
/// 2026-01-28.clover). Applied, it becomes a [`Discount`](crate::Discount).
///
/// Its id is free-form: the `id` given when creating it (such as `SUMMER25`), or one Stripe
/// generates; so [`CouponId`] has no prefix to check.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "coupon",
    path = "/v1/coupons",
    prefix = "",
    create = CreateCoupon,
    retrieve,
    update = UpdateCoupon,
    delete,
    list = ListCoupons,
)]
pub struct Coupon {
    /// Unique identifier, chosen by its creator or generated.
    pub id: CouponId,
    /// Always `"coupon"`.
    pub object: String,
    /// The amount off, in the smallest unit of `currency`; or `percent_off`.
    pub amount_off: Option<i64>,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// The currency of `amount_off`.
    pub currency: Option<String>,
    /// `once`, `repeating` (for `duration_in_months`) or `forever`.
    pub duration: String,
    /// How many months a `repeating` coupon lasts.
    pub duration_in_months: Option<u64>,
    /// Whether the object lives in live mode.
    pub livemode: bool,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// Its name, shown to customers (the id when unset).
    pub name: Option<String>,
    /// The percentage off, such as `25.5`; or `amount_off`.
    pub percent_off: Option<f64>,
    /// How many times it was applied.
    #[serde(default)]
    pub times_redeemed: u64,
    /// Whether it can still be applied.
    pub valid: bool,
}

/// Parameters of `POST /v1/coupons`: one of `amount_off` (with `currency`) and `percent_off`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateCoupon {
    /// The amount off, in the smallest unit of `currency`.
    pub amount_off: Option<i64>,
    /// The currency of `amount_off`.
    pub currency: Option<String>,
    /// `once` (the default), `repeating` (with `duration_in_months`) or `forever`.
    pub duration: Option<String>,
    /// How many months a `repeating` coupon lasts.
    pub duration_in_months: Option<u64>,
    /// Its id, such as `SUMMER25`; Stripe generates one when unset.
    pub id: Option<String>,
    /// Your key-value pairs.
    pub metadata: MetadataParam,
    /// Its name, shown to customers.
    pub name: Option<String>,
    /// The percentage off, more than 0 and at most 100, such as `25.5`.
    pub percent_off: Option<f64>,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `POST /v1/coupons/{coupon}`: what it takes off cannot change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateCoupon {
    /// Your key-value pairs: set, unset or clear.
    pub metadata: MetadataParam,
    /// Its name, shown to customers.
    pub name: Option<String>,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `GET /v1/coupons`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListCoupons {
    /// Only coupons created at, or within, these times.
    pub created: Option<RangeQuery>,
    /// A cursor: the page before this coupon id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// A cursor: the page after this coupon id.
    pub starting_after: Option<String>,
    /// Fields of each coupon to expand, as `data.<field>`.
    pub expand: Vec<String>,
}
