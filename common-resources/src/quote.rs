//! Quotes: `/v1/quotes`, whose PDF is a file streamed from the files host.

use resource_core::{Download, StripeResource};
use serde::{Deserialize, Serialize};

/// A quote (API version 2026-01-28.clover).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "quote",
    path = "/v1/quotes",
    prefix = "qt",
    retrieve,
    action(pdf, get = "{id}/pdf", returns = Download, host = "files"),
)]
pub struct Quote {
    /// Unique identifier (`qt_...`).
    pub id: QuoteId,
    /// Always `"quote"`.
    pub object: String,
    /// The total, in the smallest currency unit.
    pub amount_total: i64,
    /// The currency.
    pub currency: Option<String>,
    /// The customer.
    pub customer: Option<String>,
    /// `draft`, `open`, `accepted` or `canceled`.
    pub status: String,
}
