//! Parameters of the Files operations, declared in the order the official SDKs' callers give them
//! (the order on the wire), `expand` last.

use resource_core::{MetadataParam, RangeQuery, Upload};
use serde::{Deserialize, Serialize};

use crate::FilePurpose;

/// Parameters of `POST /v1/files`: a `multipart/form-data` upload to the files host.
///
/// ```
/// use file_link::{CreateFile, FileLinkData, FilePurpose};
/// use resource_core::Upload;
///
/// let params = CreateFile::new(FilePurpose::DisputeEvidence, Upload::from_path("./evidence.pdf"))
///     .file_link_data(FileLinkData::new().metadata("order_id", "6735"));
/// # let _ = params;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateFile {
    purpose: FilePurpose,
    file: Upload,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file_link_data: Option<FileLinkData>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    expand: Vec<String>,
}

impl CreateFile {
    /// Uploads `file` for `purpose`.
    #[must_use]
    pub fn new(purpose: FilePurpose, file: Upload) -> Self {
        CreateFile {
            purpose,
            file,
            file_link_data: None,
            expand: Vec::new(),
        }
    }

    /// Also creates a file link to the new file (its purpose must allow links).
    #[must_use]
    pub fn file_link_data(mut self, data: FileLinkData) -> Self {
        self.file_link_data = Some(data);
        self
    }

    /// Expands a field of the answer (repeatable), such as `links`.
    #[must_use]
    pub fn expand(mut self, field: impl Into<String>) -> Self {
        self.expand.push(field.into());
        self
    }
}

/// A file link to create together with an uploaded file (`file_link_data`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileLinkData {
    create: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<i64>,
    #[serde(default)]
    metadata: MetadataParam,
}

impl Default for FileLinkData {
    fn default() -> Self {
        FileLinkData::new()
    }
}

impl FileLinkData {
    /// Create a link (`create=true`), with no expiry and no metadata yet.
    #[must_use]
    pub fn new() -> Self {
        FileLinkData {
            create: true,
            expires_at: None,
            metadata: MetadataParam::new(),
        }
    }

    /// The link isn't usable after this future Unix timestamp.
    #[must_use]
    pub fn expires_at(mut self, timestamp: i64) -> Self {
        self.expires_at = Some(timestamp);
        self
    }

    /// Sets a metadata key of the link.
    #[must_use]
    pub fn metadata(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.set(key, value);
        self
    }
}

/// Parameters of `GET /v1/files`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFiles {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created: Option<RangeQuery>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ending_before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    purpose: Option<FilePurpose>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    starting_after: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    expand: Vec<String>,
}

impl ListFiles {
    /// No filters: the 10 newest files.
    #[must_use]
    pub fn new() -> Self {
        ListFiles::default()
    }

    /// Only files created at this time (`RangeQuery::exact` or a plain `i64`) or in this range.
    #[must_use]
    pub fn created(mut self, created: impl Into<RangeQuery>) -> Self {
        self.created = Some(created.into());
        self
    }

    /// The page before this file id (pages backwards).
    #[must_use]
    pub fn ending_before(mut self, file: impl AsRef<str>) -> Self {
        self.ending_before = Some(file.as_ref().to_owned());
        self
    }

    /// The page size, 1 to 100 (Stripe's default is 10).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Only files with this purpose.
    #[must_use]
    pub fn purpose(mut self, purpose: FilePurpose) -> Self {
        self.purpose = Some(purpose);
        self
    }

    /// The page after this file id.
    #[must_use]
    pub fn starting_after(mut self, file: impl AsRef<str>) -> Self {
        self.starting_after = Some(file.as_ref().to_owned());
        self
    }

    /// Expands a field of each file (repeatable).
    #[must_use]
    pub fn expand(mut self, field: impl Into<String>) -> Self {
        self.expand.push(field.into());
        self
    }
}
