//! Subscriptions: `/v1/subscriptions`; canceling one is a `DELETE` with parameters.

use resource_core::{List, Metadata, MetadataParam, RangeQuery, StripeResource};
use serde::{Deserialize, Serialize};

use crate::Price;

/// A customer's recurring payment (API version 2026-01-28.clover).
///
/// [`Subscription::cancel`] is Stripe's `DELETE /v1/subscriptions/{id}`: it takes parameters and
/// answers the canceled subscription (not a deleted form), so it is an action with the `delete`
/// method. [`Subscription::resume`] takes a `paused` subscription back to `active`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "subscription",
    path = "/v1/subscriptions",
    prefix = "sub",
    create = CreateSubscription,
    retrieve,
    update = UpdateSubscription,
    list = ListSubscriptions,
    search,
    action(cancel, delete = "{id}", params = CancelSubscription),
    action(resume, post = "{id}/resume", params = ResumeSubscription),
)]
pub struct Subscription {
    /// Unique identifier (`sub_...`).
    pub id: SubscriptionId,
    /// Always `"subscription"`.
    pub object: String,
    /// Whether it is canceled at the end of the current period.
    #[serde(default)]
    pub cancel_at_period_end: bool,
    /// When it was canceled (Unix seconds), if it was.
    pub canceled_at: Option<i64>,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// The customer.
    pub customer: String,
    /// The payment method it charges, over the customer's default.
    pub default_payment_method: Option<String>,
    /// When it ended (Unix seconds), if it has.
    pub ended_at: Option<i64>,
    /// What it bills: each price and its quantity.
    pub items: List<SubscriptionItem>,
    /// Whether the object lives in live mode.
    pub livemode: bool,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// `incomplete`, `trialing`, `active`, `past_due`, `canceled`, `unpaid`, ...
    pub status: String,
    /// When its trial ends (Unix seconds), if it has one.
    pub trial_end: Option<i64>,
    /// When its trial started (Unix seconds), if it has one.
    pub trial_start: Option<i64>,
}

/// One price of a subscription and its quantity: an entry of [`Subscription::items`].
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct SubscriptionItem {
    /// Unique identifier (`si_...`).
    pub id: String,
    /// Always `"subscription_item"`.
    pub object: String,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// The price it bills.
    pub price: Price,
    /// How many of it.
    #[serde(default)]
    pub quantity: Option<u64>,
    /// The subscription it belongs to.
    pub subscription: String,
}

/// Parameters of `POST /v1/subscriptions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateSubscription {
    /// The customer to bill.
    pub customer: String,
    /// The payment method to charge, over the customer's default.
    #[serde(default)]
    pub default_payment_method: Option<String>,
    /// What it bills for: each a recurring price and a quantity.
    #[serde(default)]
    pub items: Vec<SubscriptionItemParams>,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: MetadataParam,
    /// Start with a free trial of this many days.
    #[serde(default)]
    pub trial_period_days: Option<u32>,
    /// What happens when the trial ends.
    #[serde(default)]
    pub trial_settings: Option<TrialSettingsParams>,
    /// Fields of the answer to expand.
    #[serde(default)]
    pub expand: Vec<String>,
}

impl CreateSubscription {
    /// A subscription of `customer`, and nothing else yet (add `items`).
    #[must_use]
    pub fn new(customer: impl Into<String>) -> Self {
        CreateSubscription {
            customer: customer.into(),
            default_payment_method: None,
            items: Vec::new(),
            metadata: MetadataParam::new(),
            trial_period_days: None,
            trial_settings: None,
            expand: Vec::new(),
        }
    }
}

/// One of `items` of [`CreateSubscription`]: a recurring price and a quantity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubscriptionItemParams {
    /// The id of a recurring price.
    pub price: Option<String>,
    /// How many (default 1).
    pub quantity: Option<u64>,
}

/// `trial_settings` of [`CreateSubscription`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialSettingsParams {
    /// What happens when the trial ends.
    pub end_behavior: EndBehaviorParams,
}

/// `trial_settings[end_behavior]` of [`CreateSubscription`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndBehaviorParams {
    /// What happens when the trial ends and the customer has no payment method: `cancel`,
    /// `pause` or `create_invoice`.
    pub missing_payment_method: String,
}

/// Parameters of `POST /v1/subscriptions/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateSubscription {
    /// Cancel at the end of the current period (`true`), or no longer (`false`).
    pub cancel_at_period_end: Option<bool>,
    /// Your key-value pairs: set, unset or clear.
    pub metadata: MetadataParam,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `GET /v1/subscriptions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListSubscriptions {
    /// Only subscriptions created at, or within, these times.
    pub created: Option<RangeQuery>,
    /// Only the subscriptions of this customer.
    pub customer: Option<String>,
    /// A cursor: the page before this subscription id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// Only the subscriptions with this price.
    pub price: Option<String>,
    /// A cursor: the page after this subscription id.
    pub starting_after: Option<String>,
    /// Only subscriptions in this status; `all` for canceled ones too (left out by default),
    /// `ended` for canceled ones only.
    pub status: Option<String>,
    /// Fields of each subscription to expand, as `data.<field>`.
    pub expand: Vec<String>,
}

/// Parameters of `DELETE /v1/subscriptions/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CancelSubscription {
    /// Invoice now for usage not yet invoiced.
    pub invoice_now: Option<bool>,
    /// Credit the unused time.
    pub prorate: Option<bool>,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `POST /v1/subscriptions/{id}/resume`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResumeSubscription {
    /// `now` (bill from today) or `unchanged` (the default: keep the billing date).
    pub billing_cycle_anchor: Option<String>,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}
