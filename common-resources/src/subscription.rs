//! Subscriptions: `/v1/subscriptions`; canceling one is a `DELETE` with parameters.

use resource_core::{Metadata, StripeResource};
use serde::{Deserialize, Serialize};

/// A customer's recurring payment (API version 2026-01-28.clover).
///
/// [`Subscription::cancel`] is Stripe's `DELETE /v1/subscriptions/{id}`: it takes parameters and
/// answers the canceled subscription (not a deleted form), so it is an action with the `delete`
/// method.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "subscription",
    path = "/v1/subscriptions",
    prefix = "sub",
    retrieve,
    search,
    action(cancel, delete = "{id}", params = CancelSubscription),
)]
pub struct Subscription {
    /// Unique identifier (`sub_...`).
    pub id: SubscriptionId,
    /// Always `"subscription"`.
    pub object: String,
    /// When it was canceled (Unix seconds), if it was.
    pub canceled_at: Option<i64>,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// The customer.
    pub customer: String,
    /// Whether the object lives in live mode.
    pub livemode: bool,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// `incomplete`, `trialing`, `active`, `past_due`, `canceled`, `unpaid`, ...
    pub status: String,
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
