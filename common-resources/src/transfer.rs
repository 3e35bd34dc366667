//! Transfers: `/v1/transfers`, funds sent from your balance to a connected account.

use resource_core::{Metadata, MetadataParam, RangeQuery, StripeResource};
use serde::{Deserialize, Serialize};

/// Funds moved from your balance to a connected account's (API version 2026-01-28.clover); its
/// reversals are [`TransferReversal`](crate::TransferReversal)s.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "transfer",
    path = "/v1/transfers",
    prefix = "tr",
    create = CreateTransfer,
    retrieve,
    update = UpdateTransfer,
    list = ListTransfers,
)]
pub struct Transfer {
    /// Unique identifier (`tr_...`).
    pub id: TransferId,
    /// Always `"transfer"`.
    pub object: String,
    /// The amount, in the smallest currency unit.
    pub amount: i64,
    /// How much of it was reversed.
    #[serde(default)]
    pub amount_reversed: i64,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// The currency.
    pub currency: String,
    /// An arbitrary description.
    pub description: Option<String>,
    /// The connected account (`acct_...`) it was sent to.
    pub destination: Option<String>,
    /// Whether the object lives in live mode.
    pub livemode: bool,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// Whether it was reversed in full.
    #[serde(default)]
    pub reversed: bool,
    /// The group of transactions it belongs to, if any.
    pub transfer_group: Option<String>,
}

/// Parameters of `POST /v1/transfers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTransfer {
    /// The amount, in the smallest currency unit.
    pub amount: i64,
    /// The currency, such as `usd`.
    pub currency: String,
    /// The connected account (`acct_...`) to send it to.
    pub destination: String,
    /// An arbitrary description.
    #[serde(default)]
    pub description: Option<String>,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: MetadataParam,
    /// A group of transactions it belongs to, such as an order id.
    #[serde(default)]
    pub transfer_group: Option<String>,
    /// Fields of the answer to expand.
    #[serde(default)]
    pub expand: Vec<String>,
}

impl CreateTransfer {
    /// A transfer of `amount` in `currency` to the connected account `destination`, and nothing
    /// else.
    #[must_use]
    pub fn new(amount: i64, currency: impl Into<String>, destination: impl Into<String>) -> Self {
        CreateTransfer {
            amount,
            currency: currency.into(),
            destination: destination.into(),
            description: None,
            metadata: MetadataParam::new(),
            transfer_group: None,
            expand: Vec::new(),
        }
    }
}

/// Parameters of `POST /v1/transfers/{transfer}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateTransfer {
    /// An arbitrary description.
    pub description: Option<String>,
    /// Your key-value pairs: set, unset or clear.
    pub metadata: MetadataParam,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `GET /v1/transfers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTransfers {
    /// Only transfers created at, or within, these times.
    pub created: Option<RangeQuery>,
    /// Only the transfers to this connected account.
    pub destination: Option<String>,
    /// A cursor: the page before this transfer id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// A cursor: the page after this transfer id.
    pub starting_after: Option<String>,
    /// Only the transfers of this group.
    pub transfer_group: Option<String>,
    /// Fields of each transfer to expand, as `data.<field>`.
    pub expand: Vec<String>,
}
