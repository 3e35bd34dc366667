//! Payment intents: `/v1/payment_intents`, with the actions that move them through their states.

use resource_core::{Metadata, MetadataParam, RangeQuery, StripeResource};
use serde::{Deserialize, Serialize};

/// A payment, from creation to success or cancellation (API version 2026-01-28.clover).
///
/// `status` moves `requires_payment_method` -> `requires_confirmation` -> (`requires_action`)
/// -> `requires_capture` (with `capture_method=manual`) or `succeeded`; or `canceled`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "payment_intent",
    path = "/v1/payment_intents",
    prefix = "pi",
    create = CreatePaymentIntent,
    retrieve,
    update = UpdatePaymentIntent,
    list = ListPaymentIntents,
    search,
    action(confirm, post = "{id}/confirm", params = ConfirmPaymentIntent),
    action(capture, post = "{id}/capture", params = CapturePaymentIntent),
    action(cancel, post = "{id}/cancel", params = CancelPaymentIntent),
)]
pub struct PaymentIntent {
    /// Unique identifier (`pi_...`).
    pub id: PaymentIntentId,
    /// Always `"payment_intent"`.
    pub object: String,
    /// The amount to collect, in the smallest currency unit.
    pub amount: i64,
    /// The amount that can still be captured.
    #[serde(default)]
    pub amount_capturable: i64,
    /// The amount received.
    #[serde(default)]
    pub amount_received: i64,
    /// Why it was canceled, when it was.
    pub cancellation_reason: Option<String>,
    /// `automatic`, `automatic_async` or `manual`.
    pub capture_method: String,
    /// The secret a client-side confirmation uses.
    pub client_secret: Option<String>,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// The currency.
    pub currency: String,
    /// The customer paying, if any.
    pub customer: Option<String>,
    /// An arbitrary description.
    pub description: Option<String>,
    /// Why the last payment attempt failed, until the next one.
    #[serde(default)]
    pub last_payment_error: Option<PaymentError>,
    /// The last charge made, once there is one.
    pub latest_charge: Option<String>,
    /// Whether the object lives in live mode.
    pub livemode: bool,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// The payment method attached, if any.
    pub payment_method: Option<String>,
    /// The state: `requires_payment_method`, `requires_confirmation`, `requires_action`,
    /// `processing`, `requires_capture`, `canceled` or `succeeded`.
    pub status: String,
}

/// Why a payment attempt failed: Stripe's error, as the intent keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct PaymentError {
    /// Such as `card_error`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Such as `card_declined`.
    #[serde(default)]
    pub code: Option<String>,
    /// The issuer's reason, such as `generic_decline`.
    #[serde(default)]
    pub decline_code: Option<String>,
    /// A message for people.
    #[serde(default)]
    pub message: Option<String>,
}

/// Parameters of `POST /v1/payment_intents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatePaymentIntent {
    /// The amount to collect, in the smallest currency unit.
    pub amount: i64,
    /// The currency, such as `usd`.
    pub currency: String,
    /// `automatic` (default) or `manual`: capture later with [`PaymentIntent::capture`].
    #[serde(default)]
    pub capture_method: Option<String>,
    /// Confirm at once (with `payment_method`).
    #[serde(default)]
    pub confirm: Option<bool>,
    /// The customer paying.
    #[serde(default)]
    pub customer: Option<String>,
    /// An arbitrary description.
    #[serde(default)]
    pub description: Option<String>,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: MetadataParam,
    /// The payment method to use, such as `pm_card_visa` in test mode.
    #[serde(default)]
    pub payment_method: Option<String>,
    /// The payment method types it may be paid with, such as `card`.
    #[serde(default)]
    pub payment_method_types: Vec<String>,
    /// Let Stripe offer the payment methods enabled in the Dashboard.
    #[serde(default)]
    pub automatic_payment_methods: Option<AutomaticPaymentMethods>,
    /// Where to send the customer back after a redirect (with `confirm`).
    #[serde(default)]
    pub return_url: Option<String>,
    /// Fields of the answer to expand.
    #[serde(default)]
    pub expand: Vec<String>,
}

/// `automatic_payment_methods` of a payment intent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutomaticPaymentMethods {
    /// Whether Stripe offers the payment methods enabled in the Dashboard.
    pub enabled: bool,
    /// `always` or `never`: whether redirect-based payment methods may be offered.
    pub allow_redirects: Option<String>,
}

impl CreatePaymentIntent {
    /// A payment of `amount` in `currency`, and nothing else.
    #[must_use]
    pub fn new(amount: i64, currency: impl Into<String>) -> Self {
        CreatePaymentIntent {
            amount,
            currency: currency.into(),
            capture_method: None,
            confirm: None,
            customer: None,
            description: None,
            metadata: MetadataParam::new(),
            payment_method: None,
            payment_method_types: Vec::new(),
            automatic_payment_methods: None,
            return_url: None,
            expand: Vec::new(),
        }
    }
}

/// Parameters of `POST /v1/payment_intents/{intent}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdatePaymentIntent {
    /// A new amount.
    pub amount: Option<i64>,
    /// A new currency.
    pub currency: Option<String>,
    /// The customer paying.
    pub customer: Option<String>,
    /// An arbitrary description.
    pub description: Option<String>,
    /// Your key-value pairs: set, unset or clear.
    pub metadata: MetadataParam,
    /// The payment method to use.
    pub payment_method: Option<String>,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `GET /v1/payment_intents`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListPaymentIntents {
    /// Only intents created at, or within, these times.
    pub created: Option<RangeQuery>,
    /// Only the intents of this customer.
    pub customer: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// Fields of each intent to expand, as `data.<field>`.
    pub expand: Vec<String>,
}

/// Parameters of `POST /v1/payment_intents/{intent}/confirm`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConfirmPaymentIntent {
    /// The payment method to use, such as `pm_card_visa` in test mode.
    pub payment_method: Option<String>,
    /// Where to send the customer back after a redirect.
    pub return_url: Option<String>,
    /// Your key-value pairs.
    pub metadata: MetadataParam,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `POST /v1/payment_intents/{intent}/capture`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CapturePaymentIntent {
    /// Capture less than the full amount; the rest is released.
    pub amount_to_capture: Option<i64>,
    /// Your key-value pairs.
    pub metadata: MetadataParam,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `POST /v1/payment_intents/{intent}/cancel`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CancelPaymentIntent {
    /// `duplicate`, `fraudulent`, `requested_by_customer` or `abandoned`.
    pub cancellation_reason: Option<String>,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}
