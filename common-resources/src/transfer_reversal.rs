//! A transfer's reversals: `/v1/transfers/{transfer}/reversals`.

use resource_core::{Metadata, MetadataParam, StripeResource};
use serde::{Deserialize, Serialize};

use crate::TransferId;

/// Funds of a transfer taken back from the connected account (API version 2026-01-28.clover).
/// Each belongs to one transfer, whose id every operation takes first.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "transfer_reversal",
    path = "/v1/transfers/{transfer}/reversals",
    parents(transfer = TransferId),
    prefix = "trr",
    create = CreateTransferReversal,
    retrieve,
    update = UpdateTransferReversal,
    list = ListTransferReversals,
)]
pub struct TransferReversal {
    /// Unique identifier (`trr_...`).
    pub id: TransferReversalId,
    /// Always `"transfer_reversal"`.
    pub object: String,
    /// The amount reversed, in the smallest currency unit.
    pub amount: i64,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// The currency.
    pub currency: String,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// The transfer reversed.
    pub transfer: String,
}

/// Parameters of `POST /v1/transfers/{transfer}/reversals`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateTransferReversal {
    /// Reverse less than what is left of the transfer, in the smallest currency unit.
    pub amount: Option<i64>,
    /// An arbitrary description.
    pub description: Option<String>,
    /// Your key-value pairs.
    pub metadata: MetadataParam,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `POST /v1/transfers/{transfer}/reversals/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateTransferReversal {
    /// Your key-value pairs: set, unset or clear.
    pub metadata: MetadataParam,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `GET /v1/transfers/{transfer}/reversals`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTransferReversals {
    /// A cursor: the page before this reversal id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// A cursor: the page after this reversal id.
    pub starting_after: Option<String>,
    /// Fields of each reversal to expand, as `data.<field>`.
    pub expand: Vec<String>,
}
