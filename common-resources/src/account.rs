//! Connected accounts: `/v1/accounts`, the accounts a Connect platform pays out to.

use resource_core::{Metadata, MetadataParam, RangeQuery, StripeResource};
use serde::{Deserialize, Serialize};

/// A connected account of your platform (API version 2026-01-28.clover); its bank accounts and
/// cards are [`ExternalAccount`](crate::ExternalAccount)s.
///
/// Many fields are only present for the accounts your platform controls, so most are optional.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "account",
    path = "/v1/accounts",
    prefix = "acct",
    create = CreateAccount,
    retrieve,
    update = UpdateAccount,
    delete,
    list = ListAccounts,
)]
pub struct Account {
    /// Unique identifier (`acct_...`).
    pub id: AccountId,
    /// Always `"account"`.
    pub object: String,
    /// `individual`, `company`, `government_entity` or `non_profit`, once known.
    pub business_type: Option<String>,
    /// Whether it can take payments.
    #[serde(default)]
    pub charges_enabled: bool,
    /// Its country (two letters).
    pub country: Option<String>,
    /// When it was connected (Unix seconds).
    pub created: Option<i64>,
    /// The currency its payouts default to.
    pub default_currency: Option<String>,
    /// Whether its owner finished onboarding.
    #[serde(default)]
    pub details_submitted: bool,
    /// Its owner's email address.
    pub email: Option<String>,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// Whether Stripe can pay out to it.
    #[serde(default)]
    pub payouts_enabled: bool,
    /// `standard`, `express`, `custom` or `none`.
    #[serde(rename = "type")]
    pub type_: Option<String>,
}

/// Parameters of `POST /v1/accounts`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateAccount {
    /// `individual`, `company`, `government_entity` or `non_profit`.
    pub business_type: Option<String>,
    /// Its country (two letters; default your platform's).
    pub country: Option<String>,
    /// Its owner's email address.
    pub email: Option<String>,
    /// Your key-value pairs.
    pub metadata: MetadataParam,
    /// `standard`, `express` or `custom`.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `POST /v1/accounts/{account}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateAccount {
    /// Its owner's email address.
    pub email: Option<String>,
    /// Your key-value pairs: set, unset or clear.
    pub metadata: MetadataParam,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `GET /v1/accounts`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListAccounts {
    /// Only accounts connected at, or within, these times.
    pub created: Option<RangeQuery>,
    /// A cursor: the page before this account id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// A cursor: the page after this account id.
    pub starting_after: Option<String>,
    /// Fields of each account to expand, as `data.<field>`.
    pub expand: Vec<String>,
}
