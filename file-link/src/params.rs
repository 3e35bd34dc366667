//! Parameters of the File Links operations, declared in the API reference's order, `expand` last
//! (the field order is the order on the wire). They also deserialize (an emulator reads them
//! back from a form): absent optional parameters default, `file` on create is required.

use resource_core::{ExpiresAt, MetadataParam, RangeQuery};
use serde::{Deserialize, Serialize};

/// Parameters of `POST /v1/file_links`.
///
/// The file's purpose must allow links: `business_icon`, `business_logo`, `customer_signature`,
/// `dispute_evidence`, `finance_report_run`, `financial_account_statement`,
/// `identity_document_downloadable`, `issuing_regulatory_reporting`, `pci_document`, `selfie`,
/// `sigma_scheduled_query`, `tax_document_user_upload`, `terminal_android_apk` or
/// `terminal_reader_splashscreen`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateFileLink {
    file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<i64>,
    #[serde(default)]
    metadata: MetadataParam,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    expand: Vec<String>,
}

impl CreateFileLink {
    /// A link to the file `file` (a `file_...` id).
    #[must_use]
    pub fn new(file: impl AsRef<str>) -> Self {
        CreateFileLink {
            file: file.as_ref().to_owned(),
            expires_at: None,
            metadata: MetadataParam::new(),
            expand: Vec::new(),
        }
    }

    /// The link isn't usable after this future Unix timestamp.
    #[must_use]
    pub fn expires_at(mut self, timestamp: i64) -> Self {
        self.expires_at = Some(timestamp);
        self
    }

    /// Sets a metadata key.
    #[must_use]
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.set(key, value);
        self
    }

    /// Expands a field of the answer (repeatable), such as `file`.
    #[must_use]
    pub fn expand(mut self, field: impl Into<String>) -> Self {
        self.expand.push(field.into());
        self
    }
}

/// Parameters of `POST /v1/file_links/:id`. Expired links can no longer be updated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateFileLink {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<ExpiresAt>,
    #[serde(default)]
    metadata: MetadataParam,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    expand: Vec<String>,
}

impl UpdateFileLink {
    /// No changes (an empty `POST`).
    #[must_use]
    pub fn new() -> Self {
        UpdateFileLink::default()
    }

    /// A new expiry: a timestamp (`ExpiresAt::At` or a plain `i64`), `ExpiresAt::Now` to expire
    /// the link at once, or `ExpiresAt::Never` to remove the expiry.
    #[must_use]
    pub fn expires_at(mut self, expires_at: impl Into<ExpiresAt>) -> Self {
        self.expires_at = Some(expires_at.into());
        self
    }

    /// Sets a metadata key.
    #[must_use]
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.set(key, value);
        self
    }

    /// Removes a metadata key (`metadata[key]=`).
    #[must_use]
    pub fn unset_metadata(mut self, key: impl Into<String>) -> Self {
        self.metadata.unset(key);
        self
    }

    /// Removes every metadata key (`metadata=`), dropping keys set earlier on this builder.
    #[must_use]
    pub fn clear_metadata(mut self) -> Self {
        self.metadata.clear();
        self
    }

    /// Expands a field of the answer (repeatable), such as `file`.
    #[must_use]
    pub fn expand(mut self, field: impl Into<String>) -> Self {
        self.expand.push(field.into());
        self
    }
}

/// Parameters of `GET /v1/file_links`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFileLinks {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created: Option<RangeQuery>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ending_before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expired: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    starting_after: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    expand: Vec<String>,
}

impl ListFileLinks {
    /// No filters: the 10 newest links.
    #[must_use]
    pub fn new() -> Self {
        ListFileLinks::default()
    }

    /// Only links created at this time (`RangeQuery::exact` or a plain `i64`) or in this range.
    #[must_use]
    pub fn created(mut self, created: impl Into<RangeQuery>) -> Self {
        self.created = Some(created.into());
        self
    }

    /// The page before this link id (pages backwards).
    #[must_use]
    pub fn ending_before(mut self, link: impl AsRef<str>) -> Self {
        self.ending_before = Some(link.as_ref().to_owned());
        self
    }

    /// Only expired (`true`) or unexpired (`false`) links.
    #[must_use]
    pub fn expired(mut self, expired: bool) -> Self {
        self.expired = Some(expired);
        self
    }

    /// Only links to this file id.
    #[must_use]
    pub fn file(mut self, file: impl AsRef<str>) -> Self {
        self.file = Some(file.as_ref().to_owned());
        self
    }

    /// The page size, 1 to 100 (Stripe's default is 10).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The page after this link id.
    #[must_use]
    pub fn starting_after(mut self, link: impl AsRef<str>) -> Self {
        self.starting_after = Some(link.as_ref().to_owned());
        self
    }

    /// Expands a field of each link (repeatable), such as `data.file`.
    #[must_use]
    pub fn expand(mut self, field: impl Into<String>) -> Self {
        self.expand.push(field.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use resource_core::form::to_string;

    #[test]
    fn create_encodes_in_declaration_order() {
        let params = CreateFileLink::new("file_123")
            .expand("file")
            .metadata("order_id", "6735")
            .metadata("a b", "c&d=e")
            .expires_at(1_700_000_000);
        assert_eq!(
            to_string(&params).unwrap(),
            "file=file_123&expires_at=1700000000&metadata[order_id]=6735&metadata[a+b]=c%26d%3De&expand[0]=file"
        );
    }

    #[test]
    fn update_expresses_every_unset() {
        assert_eq!(to_string(&UpdateFileLink::new()).unwrap(), "");
        assert_eq!(
            to_string(&UpdateFileLink::new().expires_at(ExpiresAt::Now)).unwrap(),
            "expires_at=now"
        );
        assert_eq!(
            to_string(&UpdateFileLink::new().expires_at(ExpiresAt::Never)).unwrap(),
            "expires_at="
        );
        assert_eq!(
            to_string(&UpdateFileLink::new().expires_at(1_800_000_000)).unwrap(),
            "expires_at=1800000000"
        );
        assert_eq!(
            to_string(&UpdateFileLink::new().unset_metadata("k")).unwrap(),
            "metadata[k]="
        );
        assert_eq!(
            to_string(&UpdateFileLink::new().metadata("a", "1").clear_metadata()).unwrap(),
            "metadata="
        );
    }

    #[test]
    fn list_encodes_filters_and_ranges() {
        let params = ListFileLinks::new()
            .limit(3)
            .file("file_123")
            .expired(false)
            .created(RangeQuery::new().gte(1_680_000_000).lt(1_690_000_000))
            .expand("data.file");
        assert_eq!(
            to_string(&params).unwrap(),
            "created[gte]=1680000000&created[lt]=1690000000&expired=false&file=file_123&limit=3&expand[0]=data.file"
        );
        assert_eq!(
            to_string(&ListFileLinks::new().created(1_680_000_000)).unwrap(),
            "created=1680000000"
        );
    }
}
