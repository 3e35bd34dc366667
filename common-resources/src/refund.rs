//! Refunds: `/v1/refunds`, of a payment intent or a charge.

use resource_core::{Metadata, MetadataParam, RangeQuery, StripeResource};
use serde::{Deserialize, Serialize};

/// Money returned to the customer for a payment (API version 2026-01-28.clover).
///
/// `status` is `pending`, `requires_action`, `succeeded`, `failed` or `canceled`; only a refund in
/// `requires_action` (a payment method that needs the customer to act) can be canceled.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "refund",
    path = "/v1/refunds",
    prefix = "re",
    create = CreateRefund,
    retrieve,
    update = UpdateRefund,
    list = ListRefunds,
    action(cancel, post = "{id}/cancel", params = CancelRefund),
)]
pub struct Refund {
    /// Unique identifier (`re_...`).
    pub id: RefundId,
    /// Always `"refund"`.
    pub object: String,
    /// The amount refunded, in the smallest currency unit.
    pub amount: i64,
    /// The balance transaction of the refund, once there is one.
    pub balance_transaction: Option<String>,
    /// The charge refunded, if any.
    pub charge: Option<String>,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// The currency.
    pub currency: String,
    /// Why it failed, when it did: `expired_or_canceled_card`, `lost_or_stolen_card`, ...
    pub failure_reason: Option<String>,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// The payment intent refunded, if any.
    pub payment_intent: Option<String>,
    /// `duplicate`, `fraudulent`, `requested_by_customer` or `expired_uncaptured_charge`.
    pub reason: Option<String>,
    /// `pending`, `requires_action`, `succeeded`, `failed` or `canceled`.
    pub status: Option<String>,
}

/// Parameters of `POST /v1/refunds`: name the payment with `payment_intent` or `charge`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateRefund {
    /// Refund less than the whole payment, in the smallest currency unit.
    pub amount: Option<i64>,
    /// The charge to refund.
    pub charge: Option<String>,
    /// Your key-value pairs.
    pub metadata: MetadataParam,
    /// The payment intent to refund.
    pub payment_intent: Option<String>,
    /// `duplicate`, `fraudulent` or `requested_by_customer`.
    pub reason: Option<String>,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `POST /v1/refunds/{refund}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateRefund {
    /// Your key-value pairs: set, unset or clear.
    pub metadata: MetadataParam,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `GET /v1/refunds`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListRefunds {
    /// Only the refunds of this charge.
    pub charge: Option<String>,
    /// Only refunds created at, or within, these times.
    pub created: Option<RangeQuery>,
    /// A cursor: the page before this refund id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// Only the refunds of this payment intent.
    pub payment_intent: Option<String>,
    /// A cursor: the page after this refund id.
    pub starting_after: Option<String>,
    /// Fields of each refund to expand, as `data.<field>`.
    pub expand: Vec<String>,
}

/// Parameters of `POST /v1/refunds/{refund}/cancel`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CancelRefund {
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}
