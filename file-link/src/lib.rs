//! Stripe [File Links](https://docs.stripe.com/api/file_links) (`/v1/file_links`), declared with
//! `#[derive(StripeResource)]`: typed `create`, `retrieve`, `update`, `list` and `paginate`.
//!
//! A file link is a shareable URL for a [`File`] uploaded to Stripe.
//!
//! # Create
//!
//! ```no_run
//! use file_link::{CreateFileLink, FileLink};
//! use resource_core::Client;
//!
//! # fn main() -> Result<(), resource_core::Error> {
//! let client = Client::builder("sk_test_123").build()?;
//! let link = FileLink::create(
//!     &client,
//!     &CreateFileLink::new("file_1Mr23iLkdIwHu7ixQkCV3CBR")
//!         .expires_at(1_900_000_000)
//!         .metadata("order_id", "6735")
//!         .expand("file"),
//! )?;
//! println!("{} -> {:?}", link.id, link.url);
//! # Ok(())
//! # }
//! ```
//!
//! # Retrieve
//!
//! ```no_run
//! use file_link::{FileLink, FileLinkId};
//! use resource_core::{Client, RetrieveParams};
//!
//! # fn main() -> Result<(), resource_core::Error> {
//! # let client = Client::builder("sk_test_123").build()?;
//! let id: FileLinkId = "link_1Mr23jLkdIwHu7ix65betcoo".parse()?; // checks the `link_` prefix
//! let link = FileLink::retrieve(&client, &id)?;
//! let with_file = FileLink::retrieve_with(&client, &id, &RetrieveParams::new().expand("file"))?;
//! assert!(with_file.file.is_object());
//! # let _ = link;
//! # Ok(())
//! # }
//! ```
//!
//! # Update
//!
//! ```no_run
//! use file_link::{FileLink, FileLinkId, UpdateFileLink};
//! use resource_core::{Client, ExpiresAt};
//!
//! # fn main() -> Result<(), resource_core::Error> {
//! # let client = Client::builder("sk_test_123").build()?;
//! # let id: FileLinkId = "link_1Mr23jLkdIwHu7ix65betcoo".parse()?;
//! let expired = FileLink::update(
//!     &client,
//!     &id,
//!     &UpdateFileLink::new()
//!         .expires_at(ExpiresAt::Now)      // or ExpiresAt::At(ts); ExpiresAt::Never removes the expiry
//!         .metadata("order_id", "6736")
//!         .unset_metadata("stale_key"),
//! )?;
//! assert!(expired.expired);
//! # Ok(())
//! # }
//! ```
//!
//! # List and paginate
//!
//! ```no_run
//! use file_link::{FileLink, ListFileLinks};
//! use resource_core::{Client, RangeQuery};
//!
//! # fn main() -> Result<(), resource_core::Error> {
//! # let client = Client::builder("sk_test_123").build()?;
//! let page = FileLink::list(&client, &ListFileLinks::new().limit(3).expired(false))?;
//! println!("{} links, more: {}", page.data.len(), page.has_more);
//!
//! let recent = ListFileLinks::new().created(RangeQuery::new().gte(1_680_000_000)).limit(100);
//! for link in FileLink::paginate(&client, &recent) {
//!     let link = link?;
//!     println!("{} {}", link.id, link.file.id());
//! }
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "emulator")]
pub mod emulator;
mod file;
mod file_link;
mod file_params;
mod params;

pub use file::{File, FileId, FilePurpose};
pub use file_link::{FileLink, FileLinkId};
pub use file_params::{CreateFile, FileLinkData, ListFiles};
pub use params::{CreateFileLink, ListFileLinks, UpdateFileLink};

/// The README's examples compile as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
