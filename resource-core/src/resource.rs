//! The traits a `#[derive(StripeResource)]` implements, with the behaviour of every operation.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::{Client, Method};
use crate::error::Error;
use crate::id::ResourceId;
use crate::list::{List, Paginator};
use crate::operation::Operation;
use crate::params::RetrieveParams;
use crate::path;

/// A Stripe API object that lives at a collection path, such as File Links at `/v1/file_links`.
///
/// Implemented by `#[derive(StripeResource)]`; the operation traits ([`Creatable`],
/// [`Retrievable`], [`Updatable`], [`Deletable`], [`Listable`]) build on it.
pub trait StripeResource: DeserializeOwned {
    /// The typed id of this resource (for `FileLink`, `FileLinkId`).
    type Id: ResourceId;
    /// The value of the object's `object` field, such as `"file_link"`.
    const OBJECT: &'static str;
    /// The collection path, such as `"/v1/file_links"`.
    const PATH: &'static str;
    /// The object's id.
    fn id(&self) -> &Self::Id;
}

/// Which of Stripe's hosts an operation's requests go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Host {
    /// The API, `https://api.stripe.com` unless [`ClientBuilder::base_url`](crate::ClientBuilder::base_url) says otherwise.
    Api,
    /// Uploads, `https://files.stripe.com` unless [`ClientBuilder::files_base_url`](crate::ClientBuilder::files_base_url) says otherwise.
    Files,
}

/// How a `POST` operation's parameters travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// `application/x-www-form-urlencoded`, Stripe's default.
    Form,
    /// `multipart/form-data`, for uploads: parameters may hold an [`Upload`](crate::Upload).
    Multipart,
}

/// A resource that can be created with `POST {PATH}`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not declare `create`",
    label = "`create` is not among the operations of `{Self}`",
    note = "add `create = CreateParams` to the `#[stripe(...)]` attribute of `{Self}`; a nested resource (a `path` with `{{parent}}` placeholders) or a singleton has the method without the trait"
)]
pub trait Creatable: StripeResource {
    /// The create parameters.
    type CreateParams: Serialize;
    /// The host the create goes to.
    const HOST: Host = Host::Api;
    /// How the create parameters are encoded.
    const ENCODING: Encoding = Encoding::Form;

    /// Creates an object with `POST {PATH}`.
    ///
    /// # Errors
    ///
    /// Any [`Error`]: refused before sending, a connection failure, a Stripe error response,
    /// or a response that does not decode as `Self`.
    fn create(client: &Client, params: &Self::CreateParams) -> Result<Self, Error> {
        client.request_on(Self::HOST, Self::ENCODING, Method::Post, Self::PATH, params)
    }
}

/// A resource that can be fetched with `GET {PATH}/{id}`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not declare `retrieve`",
    label = "`retrieve` is not among the operations of `{Self}`",
    note = "add `retrieve` to the `#[stripe(...)]` attribute of `{Self}`; a nested resource (a `path` with `{{parent}}` placeholders) or a singleton has the method without the trait"
)]
pub trait Retrievable: StripeResource {
    /// The host the retrieve goes to.
    const HOST: Host = Host::Api;

    /// Retrieves the object with `GET {PATH}/{id}`.
    ///
    /// # Errors
    ///
    /// As [`Creatable::create`]; a missing object is [`ErrorKind::InvalidRequest`](crate::ErrorKind)
    /// with status 404 and code `resource_missing`.
    fn retrieve(client: &Client, id: &Self::Id) -> Result<Self, Error> {
        Self::retrieve_with(client, id, &RetrieveParams::new())
    }

    /// Retrieves the object with `GET {PATH}/{id}` and query parameters such as `expand`.
    ///
    /// # Errors
    ///
    /// As [`Retrievable::retrieve`].
    fn retrieve_with(
        client: &Client,
        id: &Self::Id,
        params: &RetrieveParams,
    ) -> Result<Self, Error> {
        client.request_on(
            Self::HOST,
            Encoding::Form,
            Method::Get,
            &object_path(Self::PATH, id)?,
            params,
        )
    }
}

/// A resource that can be changed with `POST {PATH}/{id}`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not declare `update`",
    label = "`update` is not among the operations of `{Self}`",
    note = "add `update = UpdateParams` to the `#[stripe(...)]` attribute of `{Self}`; a nested resource (a `path` with `{{parent}}` placeholders) or a singleton has the method without the trait"
)]
pub trait Updatable: StripeResource {
    /// The update parameters.
    type UpdateParams: Serialize;
    /// The host the update goes to.
    const HOST: Host = Host::Api;
    /// How the update parameters are encoded.
    const ENCODING: Encoding = Encoding::Form;

    /// Updates the object with `POST {PATH}/{id}`.
    ///
    /// # Errors
    ///
    /// As [`Creatable::create`].
    fn update(client: &Client, id: &Self::Id, params: &Self::UpdateParams) -> Result<Self, Error> {
        client.request_on(
            Self::HOST,
            Self::ENCODING,
            Method::Post,
            &object_path(Self::PATH, id)?,
            params,
        )
    }
}

/// A resource that can be deleted with `DELETE {PATH}/{id}`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not declare `delete`",
    label = "`delete` is not among the operations of `{Self}`",
    note = "add `delete` to the `#[stripe(...)]` attribute of `{Self}`; a nested resource (a `path` with `{{parent}}` placeholders) or a singleton has the method without the trait"
)]
pub trait Deletable: StripeResource {
    /// The host the delete goes to.
    const HOST: Host = Host::Api;

    /// Deletes the object with `DELETE {PATH}/{id}`.
    ///
    /// # Errors
    ///
    /// As [`Creatable::create`].
    fn delete(client: &Client, id: &Self::Id) -> Result<crate::Deleted<Self::Id>, Error> {
        client.request_on(
            Self::HOST,
            Encoding::Form,
            Method::Delete,
            &object_path(Self::PATH, id)?,
            &NoParams {},
        )
    }
}

/// A resource whose collection can be listed with `GET {PATH}`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not declare `list`",
    label = "`list` is not among the operations of `{Self}`",
    note = "add `list = ListParams` to the `#[stripe(...)]` attribute of `{Self}`; a nested resource (a `path` with `{{parent}}` placeholders) or a singleton has the method without the trait"
)]
pub trait Listable: StripeResource {
    /// The list parameters (filters, `limit`, cursors, `expand`).
    type ListParams: Serialize;
    /// The host the list goes to.
    const HOST: Host = Host::Api;

    /// Fetches one page with `GET {PATH}`.
    ///
    /// # Errors
    ///
    /// As [`Creatable::create`].
    fn list(client: &Client, params: &Self::ListParams) -> Result<List<Self>, Error> {
        client.request_on(Self::HOST, Encoding::Form, Method::Get, Self::PATH, params)
    }

    /// Iterates lazily over every object of the collection, one page in memory at a time.
    ///
    /// Pages forward with `starting_after`, or backwards when `params` set `ending_before` and
    /// not `starting_after` (see [`Paginator`]).
    fn paginate(client: &Client, params: &Self::ListParams) -> Paginator<Self> {
        let operation = Operation::new("list", Method::Get, Self::PATH).host(Self::HOST);
        Paginator::new(client, &operation, &[], params)
    }
}

/// An empty parameter set: encodes to nothing. What generated methods send for an operation
/// declared without parameters.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
pub struct NoParams {}

/// `{collection}/{id}` with the id as one percent-encoded path segment (see [`path::push_id`]).
fn object_path(collection: &str, id: &impl ResourceId) -> Result<String, Error> {
    let id = id.as_ref();
    let mut path = String::with_capacity(collection.len() + 1 + id.len());
    path.push_str(collection);
    path.push('/');
    path::push_id(&mut path, id)?;
    Ok(path)
}
