//! A connected account's bank accounts and debit cards, where its payouts go:
//! `/v1/accounts/{account}/external_accounts`.

use resource_core::{Metadata, MetadataParam, StripeResource};
use serde::{Deserialize, Serialize};

use crate::AccountId;

/// A connected account's bank account (`ba_...`, `object` `"bank_account"`) or debit card
/// (`card_...`, `object` `"card"`), for its payouts (API version 2026-01-28.clover). One struct
/// reads both: the fields of one kind are `None` on the other (`bank_name` for a bank account,
/// `brand` for a card). Each belongs to one account, whose id every operation takes first.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "bank_account",
    path = "/v1/accounts/{account}/external_accounts",
    parents(account = AccountId),
    prefix = ["ba", "card"],
    create = CreateExternalAccount,
    retrieve,
    update = UpdateExternalAccount,
    delete,
    list = ListExternalAccounts,
)]
pub struct ExternalAccount {
    /// Unique identifier (`ba_...` or `card_...`).
    pub id: ExternalAccountId,
    /// `"bank_account"` or `"card"`.
    pub object: String,
    /// The account it belongs to.
    pub account: Option<String>,
    /// The bank's name, for a bank account.
    pub bank_name: Option<String>,
    /// The card's brand (`Visa`, `Mastercard`, ...), for a card.
    pub brand: Option<String>,
    /// The country of the bank or card (two letters).
    pub country: Option<String>,
    /// The currency paid out to it.
    pub currency: Option<String>,
    /// Whether it is the default for payouts in its currency.
    pub default_for_currency: Option<bool>,
    /// The last four digits of the account or card number.
    pub last4: String,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// For a bank account: `new`, `validated`, `verified`, `verification_failed` or `errored`.
    pub status: Option<String>,
}

/// Parameters of `POST /v1/accounts/{account}/external_accounts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateExternalAccount {
    /// A bank account or debit card token, such as `btok_us_verified` or `tok_visa_debit` in test
    /// mode.
    pub external_account: String,
    /// Make it the default for payouts in its currency.
    #[serde(default)]
    pub default_for_currency: Option<bool>,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: MetadataParam,
    /// Fields of the answer to expand.
    #[serde(default)]
    pub expand: Vec<String>,
}

impl CreateExternalAccount {
    /// The bank account or debit card of the token `external_account`, and nothing else.
    #[must_use]
    pub fn new(external_account: impl Into<String>) -> Self {
        CreateExternalAccount {
            external_account: external_account.into(),
            default_for_currency: None,
            metadata: MetadataParam::new(),
            expand: Vec::new(),
        }
    }
}

/// Parameters of `POST /v1/accounts/{account}/external_accounts/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateExternalAccount {
    /// Make it the default for payouts in its currency.
    pub default_for_currency: Option<bool>,
    /// Your key-value pairs: set, unset or clear.
    pub metadata: MetadataParam,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `GET /v1/accounts/{account}/external_accounts`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListExternalAccounts {
    /// A cursor: the page before this external account id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// Only `bank_account`s or only `card`s.
    pub object: Option<String>,
    /// A cursor: the page after this external account id.
    pub starting_after: Option<String>,
    /// Fields of each external account to expand, as `data.<field>`.
    pub expand: Vec<String>,
}
