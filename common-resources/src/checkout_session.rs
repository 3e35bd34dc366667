//! Checkout Sessions: `/v1/checkout/sessions`, a payment page hosted by Stripe; and their line
//! items, `/v1/checkout/sessions/{session}/line_items`.

use resource_core::{Metadata, MetadataParam, RangeQuery, StripeResource};
use serde::{Deserialize, Serialize};

use crate::Price;

/// A customer's visit to a Stripe-hosted payment page (API version 2026-01-28.clover): send the
/// customer to `url`; Stripe sends them back to `success_url` or `cancel_url`.
///
/// `status` moves `open` -> `complete` when paid (or set up), or `expired` after `expires_at`
/// or [`CheckoutSession::expire`].
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "checkout.session",
    path = "/v1/checkout/sessions",
    prefix = "cs",
    create = CreateCheckoutSession,
    retrieve,
    update = UpdateCheckoutSession,
    list = ListCheckoutSessions,
    action(expire, post = "{id}/expire", params = ExpireCheckoutSession),
)]
pub struct CheckoutSession {
    /// Unique identifier (`cs_test_...` or `cs_live_...`).
    pub id: CheckoutSessionId,
    /// Always `"checkout.session"`.
    pub object: String,
    /// The total before discounts and taxes, in the smallest currency unit.
    pub amount_subtotal: Option<i64>,
    /// The total after discounts and taxes.
    pub amount_total: Option<i64>,
    /// Where the customer goes back to when they leave without paying.
    pub cancel_url: Option<String>,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// The currency.
    pub currency: Option<String>,
    /// The customer, once there is one.
    pub customer: Option<String>,
    /// The email address given when creating it.
    pub customer_email: Option<String>,
    /// When it expires (Unix seconds).
    pub expires_at: i64,
    /// Whether the object lives in live mode.
    pub livemode: bool,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// `payment`, `setup` or `subscription`.
    pub mode: String,
    /// The payment intent, in `payment` mode.
    pub payment_intent: Option<String>,
    /// `paid`, `unpaid` or `no_payment_required`.
    pub payment_status: String,
    /// `open`, `complete` or `expired`.
    pub status: Option<String>,
    /// Where the customer goes after paying.
    pub success_url: Option<String>,
    /// The payment page to send the customer to, while `open`.
    pub url: Option<String>,
}

/// Parameters of `POST /v1/checkout/sessions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateCheckoutSession {
    /// Where the customer goes back to when they leave without paying.
    pub cancel_url: Option<String>,
    /// An existing customer to pay as.
    pub customer: Option<String>,
    /// The email address to fill in, without a `customer`.
    pub customer_email: Option<String>,
    /// What is bought: each a price (or an inline one) and a quantity.
    pub line_items: Vec<CheckoutLineItemParams>,
    /// Your key-value pairs.
    pub metadata: MetadataParam,
    /// `payment`, `setup` or `subscription`.
    pub mode: Option<String>,
    /// Where the customer goes after paying.
    pub success_url: Option<String>,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// One of `line_items` of [`CreateCheckoutSession`]: `price` or `price_data`, and a quantity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckoutLineItemParams {
    /// The id of an existing price.
    pub price: Option<String>,
    /// A price made for this session only, instead of `price`.
    pub price_data: Option<PriceDataParams>,
    /// How many.
    pub quantity: Option<u64>,
}

/// `price_data` of [`CheckoutLineItemParams`]: a price made for one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceDataParams {
    /// The currency, such as `usd`.
    pub currency: String,
    /// The id of an existing product; or `product_data`.
    #[serde(default)]
    pub product: Option<String>,
    /// A product made for this session only, instead of `product`.
    #[serde(default)]
    pub product_data: Option<ProductDataParams>,
    /// The amount, in the smallest currency unit.
    #[serde(default)]
    pub unit_amount: Option<i64>,
}

impl PriceDataParams {
    /// A price in `currency`, and nothing else yet (add `unit_amount`, and `product` or
    /// `product_data`).
    #[must_use]
    pub fn new(currency: impl Into<String>) -> Self {
        PriceDataParams {
            currency: currency.into(),
            product: None,
            product_data: None,
            unit_amount: None,
        }
    }
}

/// `product_data` of [`PriceDataParams`]: a product made for one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDataParams {
    /// The product's name, shown to the customer.
    pub name: String,
}

/// Parameters of `POST /v1/checkout/sessions/{session}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateCheckoutSession {
    /// Your key-value pairs: set, unset or clear.
    pub metadata: MetadataParam,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `GET /v1/checkout/sessions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListCheckoutSessions {
    /// Only sessions created at, or within, these times.
    pub created: Option<RangeQuery>,
    /// Only the sessions of this customer.
    pub customer: Option<String>,
    /// A cursor: the page before this session id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// Only the session of this payment intent.
    pub payment_intent: Option<String>,
    /// A cursor: the page after this session id.
    pub starting_after: Option<String>,
    /// Only `open`, `complete` or `expired` sessions.
    pub status: Option<String>,
    /// Fields of each session to expand, as `data.<field>`.
    pub expand: Vec<String>,
}

/// Parameters of `POST /v1/checkout/sessions/{session}/expire`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExpireCheckoutSession {
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// One line of what a Checkout Session sells (API version 2026-01-28.clover): listed through
/// its session, whose id [`CheckoutSessionLineItem::list`] takes first; no other operation.
///
/// Stripe's `object` for it is `"item"`, shared with the line items of payment links and quotes.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "item",
    path = "/v1/checkout/sessions/{session}/line_items",
    parents(session = CheckoutSessionId),
    prefix = "li",
    list = ListCheckoutSessionLineItems,
)]
pub struct CheckoutSessionLineItem {
    /// Unique identifier (`li_...`).
    pub id: CheckoutSessionLineItemId,
    /// Always `"item"`.
    pub object: String,
    /// The discounts, in the smallest currency unit.
    pub amount_discount: i64,
    /// The total before discounts and taxes.
    pub amount_subtotal: i64,
    /// The taxes.
    pub amount_tax: i64,
    /// The total after discounts and taxes.
    pub amount_total: i64,
    /// The currency.
    pub currency: String,
    /// What it is, by default the product's name.
    pub description: Option<String>,
    /// The price, whole.
    pub price: Option<Price>,
    /// How many.
    pub quantity: Option<u64>,
}

/// Parameters of `GET /v1/checkout/sessions/{session}/line_items`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListCheckoutSessionLineItems {
    /// A cursor: the page before this line item id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// A cursor: the page after this line item id.
    pub starting_after: Option<String>,
    /// Fields of each line item to expand, as `data.<field>`.
    pub expand: Vec<String>,
}
