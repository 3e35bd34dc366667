//! The runtime behind `#[derive(StripeResource)]`: a small, synchronous Stripe API client that
//! sends exactly what Stripe's official SDKs send.
//!
//! An application declares a resource once (see [`StripeResource`](derive@StripeResource)) and
//! calls typed `create` / `retrieve` / `update` / `delete` / `list` / `paginate` methods through
//! a [`Client`]. Everything those methods do lives here as ordinary Rust:
//!
//! - [`Client`]: headers, form encoding, retries with idempotency keys, JSON decoding and error
//!   mapping, over a tiny [`Transport`] (by default [`UreqTransport`]);
//! - [`Error`] and [`ErrorKind`]: Stripe's error taxonomy, with the error body kept whole;
//! - [`List`] and [`Paginator`]: one page, or every page lazily in either direction;
//! - the shared parameter and field types: [`Expandable`], [`Metadata`], [`RangeQuery`],
//!   [`ExpiresAt`], [`RetrieveParams`], [`Deleted`];
//! - webhooks: [`Webhook`] verifies a `Stripe-Signature` header as the official SDKs do and
//!   decodes the [`Event`]; [`WebhookEndpoint`] manages the endpoints.
//!
//! ```no_run
//! use resource_core::Client;
//!
//! # fn main() -> Result<(), resource_core::Error> {
//! let client = Client::builder("sk_test_123").max_network_retries(2).build()?;
//! let scoped = client.with_options(resource_core::RequestOptions::new().stripe_account("acct_123"));
//! # let _ = scoped;
//! # Ok(())
//! # }
//! ```
// The one `unsafe` block registers a fork handler (src/random.rs); nothing else may add one.
#![deny(unsafe_code)]
#![deny(missing_docs)]

// Generated code names `::resource_core`: this lets the crate derive its own resources
// (`Event`, `WebhookEndpoint`).
extern crate self as resource_core;

mod answer;
mod body;
mod client;
mod deleted;
mod error;
mod event;
mod expandable;
pub mod form;
mod id;
mod list;
mod metadata;
mod multipart;
mod operation;
mod params;
pub mod path;
mod proxy;
mod random;
mod resource;
mod retry;
mod search;
mod transport;
mod undeclared;
mod upload;
#[cfg(feature = "ureq")]
mod ureq_transport;
mod webhook;
mod webhook_endpoint;

pub use answer::{Binary, Download, FromResponse};
pub use body::{Body, BodyReader};
pub use client::{
    Client, ClientBuilder, DEFAULT_API_VERSION, DEFAULT_BASE_URL, DEFAULT_FILES_BASE_URL, Method,
    RequestOptions,
};
pub use deleted::{Deleted, OrDeleted};
pub use error::{ApiError, ApiErrorBody, Error, ErrorKind};
pub use event::{Event, EventData, EventError, EventId, EventRequest, ListEvents};
pub use expandable::Expandable;
pub use id::{MAX_ID_LEN, ResourceId};
pub use list::{List, Paginator};
pub use metadata::{Metadata, MetadataParam};
pub use operation::{Declaration, Declared, Declares, Operation, kind};
pub use params::{ExpiresAt, RangeQuery, RetrieveParams};
pub use proxy::Proxy;
pub use resource::{
    Creatable, Deletable, Encoding, Host, Listable, Retrievable, StripeResource, Updatable,
};
pub use retry::RetryPolicy;
pub use search::{SearchParams, SearchResult};
pub use transport::{
    Request, Response, StreamedResponse, Transport, TransportError, TransportErrorKind,
};
pub use upload::Upload;
#[cfg(feature = "ureq")]
pub use ureq_transport::UreqTransport;
pub use webhook::{SignatureError, Webhook};
pub use webhook_endpoint::{
    CreateWebhookEndpoint, ListWebhookEndpoints, UpdateWebhookEndpoint, WebhookEndpoint,
    WebhookEndpointId,
};

/// Derives a Stripe API resource. See the crate `resource-derive` for the attribute grammar.
pub use resource_derive::StripeResource;

/// What generated code names. Not public API: no stability promise.
#[doc(hidden)]
pub mod __private {
    pub use crate::__define_id as define_id;
    pub use crate::id::{check_id, first_prefix};
    pub use crate::resource::NoParams;
    /// The traits that make calling an undeclared operation a clear error.
    pub mod undeclared {
        pub use crate::undeclared::*;
    }
    pub use serde;
    pub use std::boxed::Box;
    pub use std::option::Option::{self, None, Some};
    pub use std::result::Result::{self, Err, Ok};
    pub use std::string::String;
    pub use std::vec::Vec;
}
