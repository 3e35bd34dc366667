//! A customer's tax ids: `/v1/customers/{customer}/tax_ids`.

use resource_core::StripeResource;
use serde::{Deserialize, Serialize};

use crate::CustomerId;

/// A customer's tax id, such as a VAT number, shown on its invoices (API version
/// 2026-01-28.clover). Each belongs to one customer, whose id every operation takes first; a tax
/// id cannot be changed, only deleted and added again.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "tax_id",
    path = "/v1/customers/{customer}/tax_ids",
    parents(customer = CustomerId),
    prefix = "txi",
    create = CreateTaxId,
    retrieve,
    delete,
    list = ListTaxIds,
)]
pub struct TaxId {
    /// Unique identifier (`txi_...`).
    pub id: TaxIdId,
    /// Always `"tax_id"`.
    pub object: String,
    /// The country of the tax id (two letters), when known.
    pub country: Option<String>,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// The customer.
    pub customer: Option<String>,
    /// Whether the object lives in live mode.
    pub livemode: bool,
    /// Its kind, such as `eu_vat`, `gb_vat` or `us_ein`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The tax id itself, such as `DE123456789`.
    pub value: String,
}

/// Parameters of `POST /v1/customers/{customer}/tax_ids`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTaxId {
    /// Its kind, such as `eu_vat`, `gb_vat` or `us_ein`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The tax id itself, such as `DE123456789`.
    pub value: String,
    /// Fields of the answer to expand.
    #[serde(default)]
    pub expand: Vec<String>,
}

impl CreateTaxId {
    /// A tax id of kind `type_` (such as `eu_vat`) and `value`.
    #[must_use]
    pub fn new(type_: impl Into<String>, value: impl Into<String>) -> Self {
        CreateTaxId {
            type_: type_.into(),
            value: value.into(),
            expand: Vec::new(),
        }
    }
}

/// Parameters of `GET /v1/customers/{customer}/tax_ids`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTaxIds {
    /// A cursor: the page before this tax id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// A cursor: the page after this tax id.
    pub starting_after: Option<String>,
    /// Fields of each tax id to expand, as `data.<field>`.
    pub expand: Vec<String>,
}
