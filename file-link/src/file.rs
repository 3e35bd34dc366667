//! The `file` object a link points to.

use std::fmt;

use resource_core::{List, StripeResource};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{CreateFile, FileLink, ListFiles};

/// A file uploaded to Stripe (the fields of API version 2026-01-28.clover). Uploads go to the
/// files host as `multipart/form-data`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "file",
    path = "/v1/files",
    prefix = "file",
    create(params = CreateFile, host = "files", encoding = "multipart"),
    retrieve,
    list = ListFiles,
)]
pub struct File {
    /// Unique identifier (`file_...`).
    pub id: FileId,
    /// Always `"file"`.
    pub object: String,
    /// When the file was created (Unix seconds).
    pub created: i64,
    /// When the file expires and can no longer be used (Unix seconds).
    #[serde(default)]
    pub expires_at: Option<i64>,
    /// The name the file was uploaded with.
    #[serde(default)]
    pub filename: Option<String>,
    /// The file's links, when present (expandable).
    #[serde(default)]
    pub links: Option<List<FileLink>>,
    /// What the file is for.
    pub purpose: FilePurpose,
    /// The size in bytes.
    pub size: u64,
    /// A title for the file.
    #[serde(default)]
    pub title: Option<String>,
    /// The file type, such as `csv`, `pdf`, `jpg` or `png`.
    #[serde(default, rename = "type")]
    pub type_: Option<String>,
    /// A URL to fetch the file's contents with the secret key.
    #[serde(default)]
    pub url: Option<String>,
}

macro_rules! purposes {
    ($($variant:ident => $wire:literal,)*) => {
        /// The purpose of a [`File`]. Stripe may send purposes newer than this list: they are
        /// kept as [`FilePurpose::Other`].
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum FilePurpose {
            $(
                #[doc = concat!("`", $wire, "`")]
                $variant,
            )*
            /// A purpose this version does not know, as sent.
            Other(String),
        }

        impl FilePurpose {
            /// The purpose as sent on the wire.
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self {
                    $(FilePurpose::$variant => $wire,)*
                    FilePurpose::Other(other) => other,
                }
            }

            fn from_wire(value: &str) -> Self {
                match value {
                    $($wire => FilePurpose::$variant,)*
                    other => FilePurpose::Other(other.to_owned()),
                }
            }
        }
    };
}

purposes! {
    AccountRequirement => "account_requirement",
    AdditionalVerification => "additional_verification",
    BusinessIcon => "business_icon",
    BusinessLogo => "business_logo",
    CustomerSignature => "customer_signature",
    DisputeEvidence => "dispute_evidence",
    DocumentProviderIdentityDocument => "document_provider_identity_document",
    FinanceReportRun => "finance_report_run",
    FinancialAccountStatement => "financial_account_statement",
    IdentityDocument => "identity_document",
    IdentityDocumentDownloadable => "identity_document_downloadable",
    IssuingRegulatoryReporting => "issuing_regulatory_reporting",
    PciDocument => "pci_document",
    PlatformTermsOfService => "platform_terms_of_service",
    Selfie => "selfie",
    SigmaScheduledQuery => "sigma_scheduled_query",
    TaxDocumentUserUpload => "tax_document_user_upload",
    TerminalAndroidApk => "terminal_android_apk",
    TerminalReaderSplashscreen => "terminal_reader_splashscreen",
    TerminalWifiCertificate => "terminal_wifi_certificate",
    TerminalWifiPrivateKey => "terminal_wifi_private_key",
}

impl fmt::Display for FilePurpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FilePurpose {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FilePurpose {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(FilePurpose::from_wire(&value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_round_trip_and_unknown_ones_are_kept() {
        let known: FilePurpose = serde_json::from_str("\"dispute_evidence\"").unwrap();
        assert_eq!(known, FilePurpose::DisputeEvidence);
        let unknown: FilePurpose = serde_json::from_str("\"brand_new_purpose\"").unwrap();
        assert_eq!(unknown, FilePurpose::Other("brand_new_purpose".into()));
        assert_eq!(
            serde_json::to_string(&unknown).unwrap(),
            "\"brand_new_purpose\""
        );
        assert_eq!(
            FilePurpose::TerminalWifiPrivateKey.as_str(),
            "terminal_wifi_private_key"
        );
    }
}
