//! Webhook endpoints: `/v1/webhook_endpoints`, where Stripe sends events.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::StripeResource;
use crate::metadata::{Metadata, MetadataParam};

/// A URL Stripe sends events to (API version 2026-01-28.clover), with the types it wants.
///
/// Its signing [`secret`](Self::secret) is in the answer of `create` only: keep it then, and
/// pass it to [`Webhook::construct_event`](crate::Webhook::construct_event). `Debug` shows
/// `secret: Some(<redacted>)` instead of it; `Serialize` keeps it (the object can be stored).
///
/// ```no_run
/// use resource_core::{Client, CreateWebhookEndpoint, WebhookEndpoint};
///
/// # fn main() -> Result<(), resource_core::Error> {
/// let client = Client::builder("sk_test_123").build()?;
/// let endpoint = WebhookEndpoint::create(
///     &client,
///     &CreateWebhookEndpoint::new(
///         "https://example.com/stripe/webhook",
///         ["payment_intent.succeeded", "customer.created"], // or ["*"]: every type
///     ),
/// )?;
/// let secret = endpoint.secret.clone(); // whsec_...: store it with your configuration
/// # let _ = secret;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "webhook_endpoint",
    path = "/v1/webhook_endpoints",
    prefix = "we",
    create = CreateWebhookEndpoint,
    retrieve,
    update = UpdateWebhookEndpoint,
    delete,
    list = ListWebhookEndpoints,
)]
pub struct WebhookEndpoint {
    /// Unique identifier (`we_...`).
    pub id: WebhookEndpointId,
    /// Always `"webhook_endpoint"`.
    pub object: String,
    /// The API version events are rendered in for this endpoint; `None`: the account's default.
    pub api_version: Option<String>,
    /// The Connect application the endpoint belongs to.
    #[serde(default)]
    pub application: Option<String>,
    /// When the endpoint was created (Unix seconds).
    pub created: i64,
    /// An arbitrary description.
    pub description: Option<String>,
    /// The event types sent to it; `["*"]` for every type.
    pub enabled_events: Vec<String>,
    /// Whether the endpoint lives in live mode.
    pub livemode: bool,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// The signing secret (`whsec_...`): only in the answer of `create`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// `enabled` or `disabled`.
    pub status: String,
    /// Where events are sent.
    pub url: String,
}

/// Every field but the secret, which shows as `Some(<redacted>)`.
impl fmt::Debug for WebhookEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Redacted;
        impl fmt::Debug for Redacted {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("<redacted>")
            }
        }
        // Destructured, so a field added to the struct cannot be forgotten here.
        let WebhookEndpoint {
            id,
            object,
            api_version,
            application,
            created,
            description,
            enabled_events,
            livemode,
            metadata,
            secret,
            status,
            url,
        } = self;
        f.debug_struct("WebhookEndpoint")
            .field("id", id)
            .field("object", object)
            .field("api_version", api_version)
            .field("application", application)
            .field("created", created)
            .field("description", description)
            .field("enabled_events", enabled_events)
            .field("livemode", livemode)
            .field("metadata", metadata)
            .field("secret", &secret.as_ref().map(|_| Redacted))
            .field("status", status)
            .field("url", url)
            .finish()
    }
}

/// Parameters of `POST /v1/webhook_endpoints`: [`new`](Self::new) takes the required `url` and
/// `enabled_events`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateWebhookEndpoint {
    /// The API version events are rendered in; by default the account's.
    #[serde(default)]
    pub api_version: Option<String>,
    /// Whether the endpoint receives the events of connected accounts rather than yours.
    #[serde(default)]
    pub connect: Option<bool>,
    /// An arbitrary description.
    #[serde(default)]
    pub description: Option<String>,
    /// The event types to send: `["*"]` for every type, or names such as
    /// `payment_intent.succeeded`. Required.
    pub enabled_events: Vec<String>,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: MetadataParam,
    /// Where to send events. Required.
    pub url: String,
    /// Fields of the answer to expand.
    #[serde(default)]
    pub expand: Vec<String>,
}

impl CreateWebhookEndpoint {
    /// An endpoint at `url` receiving `enabled_events` (`["*"]` for every type).
    #[must_use]
    pub fn new(
        url: impl Into<String>,
        enabled_events: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        CreateWebhookEndpoint {
            api_version: None,
            connect: None,
            description: None,
            enabled_events: enabled_events.into_iter().map(Into::into).collect(),
            metadata: MetadataParam::new(),
            url: url.into(),
            expand: Vec::new(),
        }
    }
}

/// Parameters of `POST /v1/webhook_endpoints/{id}`; `""` unsets the description.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateWebhookEndpoint {
    /// An arbitrary description.
    pub description: Option<String>,
    /// `true` disables the endpoint, `false` enables it again.
    pub disabled: Option<bool>,
    /// A new list of event types (replaces the old one); `None` keeps it.
    pub enabled_events: Option<Vec<String>>,
    /// Your key-value pairs: set, unset or clear.
    pub metadata: MetadataParam,
    /// A new URL.
    pub url: Option<String>,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `GET /v1/webhook_endpoints`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListWebhookEndpoints {
    /// A cursor: the page before this endpoint id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// A cursor: the page after this endpoint id.
    pub starting_after: Option<String>,
    /// Fields of each endpoint to expand.
    pub expand: Vec<String>,
}
