//! Prices: `/v1/prices`, what a product costs, once or on a recurring basis. Stripe has no
//! `DELETE` for prices: archive one with `active: false`.

use resource_core::{Metadata, MetadataParam, RangeQuery, StripeResource};
use serde::{Deserialize, Serialize};

/// What a product costs, and how often (API version 2026-01-28.clover).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "price",
    path = "/v1/prices",
    prefix = "price",
    create = CreatePrice,
    retrieve,
    update = UpdatePrice,
    list = ListPrices,
)]
pub struct Price {
    /// Unique identifier (`price_...`).
    pub id: PriceId,
    /// Always `"price"`.
    pub object: String,
    /// Whether it can be used for new purchases.
    pub active: bool,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// The currency.
    pub currency: String,
    /// Whether the object lives in live mode.
    pub livemode: bool,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// A name for it, not shown to customers.
    pub nickname: Option<String>,
    /// The id of the product it is a price of.
    pub product: String,
    /// How often it recurs, for a `recurring` price.
    pub recurring: Option<PriceRecurring>,
    /// `one_time` or `recurring`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The amount, in the smallest currency unit; `None` for a tiered or customer-chosen price.
    pub unit_amount: Option<i64>,
}

/// How often a recurring price recurs: every `interval_count` `interval`s.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct PriceRecurring {
    /// `day`, `week`, `month` or `year`.
    pub interval: String,
    /// How many intervals between two billings (3 with `month`: every quarter).
    pub interval_count: u64,
}

/// Parameters of `POST /v1/prices`: the product is `product` (an existing one) or
/// `product_data` (a new one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatePrice {
    /// The currency, such as `usd`.
    pub currency: String,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: MetadataParam,
    /// A name for it, not shown to customers.
    #[serde(default)]
    pub nickname: Option<String>,
    /// The id of the product it is a price of.
    #[serde(default)]
    pub product: Option<String>,
    /// A new product to create with it, instead of `product`.
    #[serde(default)]
    pub product_data: Option<PriceProductDataParams>,
    /// Make it recurring: how often to bill.
    #[serde(default)]
    pub recurring: Option<RecurringParams>,
    /// The amount, in the smallest currency unit.
    #[serde(default)]
    pub unit_amount: Option<i64>,
    /// Fields of the answer to expand.
    #[serde(default)]
    pub expand: Vec<String>,
}

impl CreatePrice {
    /// A price in `currency`, and nothing else yet (add `unit_amount` and `product`).
    #[must_use]
    pub fn new(currency: impl Into<String>) -> Self {
        CreatePrice {
            currency: currency.into(),
            metadata: MetadataParam::new(),
            nickname: None,
            product: None,
            product_data: None,
            recurring: None,
            unit_amount: None,
            expand: Vec::new(),
        }
    }
}

/// `product_data` of [`CreatePrice`]: the product to create with the price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceProductDataParams {
    /// The product's name, shown to customers.
    pub name: String,
}

/// `recurring` of [`CreatePrice`]: bill every `interval_count` `interval`s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecurringParams {
    /// `day`, `week`, `month` or `year`.
    pub interval: String,
    /// How many intervals between two billings (default 1; at most three years in all).
    #[serde(default)]
    pub interval_count: Option<u64>,
}

impl RecurringParams {
    /// Every `interval` (`day`, `week`, `month` or `year`).
    #[must_use]
    pub fn new(interval: impl Into<String>) -> Self {
        RecurringParams {
            interval: interval.into(),
            interval_count: None,
        }
    }
}

/// Parameters of `POST /v1/prices/{price}`: a price's amount cannot change, only whether it can
/// be used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdatePrice {
    /// Whether it can be used for new purchases.
    pub active: Option<bool>,
    /// Your key-value pairs: set, unset or clear.
    pub metadata: MetadataParam,
    /// A name for it, not shown to customers.
    pub nickname: Option<String>,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `GET /v1/prices`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListPrices {
    /// Only active (`true`) or inactive (`false`) prices.
    pub active: Option<bool>,
    /// Only prices created at, or within, these times.
    pub created: Option<RangeQuery>,
    /// Only prices in this currency.
    pub currency: Option<String>,
    /// A cursor: the page before this price id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// Only the prices of this product.
    pub product: Option<String>,
    /// A cursor: the page after this price id.
    pub starting_after: Option<String>,
    /// Only `one_time` or only `recurring` prices.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// Fields of each price to expand, as `data.<field>`.
    pub expand: Vec<String>,
}
