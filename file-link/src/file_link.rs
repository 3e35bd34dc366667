//! The `file_link` object.

use resource_core::{Expandable, Metadata, StripeResource};
use serde::{Deserialize, Serialize};

use crate::File;
use crate::params::{CreateFileLink, ListFileLinks, UpdateFileLink};

/// A shareable URL for a [`File`] (API version 2026-01-28.clover).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "file_link",
    path = "/v1/file_links",
    prefix = "link",
    create = CreateFileLink,
    retrieve,
    update = UpdateFileLink,
    list = ListFileLinks,
)]
pub struct FileLink {
    /// Unique identifier (`link_...`).
    pub id: FileLinkId,
    /// Always `"file_link"`.
    pub object: String,
    /// When the link was created (Unix seconds).
    pub created: i64,
    /// Whether the link has expired.
    pub expired: bool,
    /// When the link expires (Unix seconds), if ever.
    #[serde(default)]
    pub expires_at: Option<i64>,
    /// The file the link points to: its id, or the [`File`] when expanded with `expand=file`.
    pub file: Expandable<File>,
    /// Whether the object lives in live mode.
    pub livemode: bool,
    /// Your key-value pairs.
    pub metadata: Metadata,
    /// The publicly accessible URL to download the file, while the link is usable.
    #[serde(default)]
    pub url: Option<String>,
}
