//! An operation of Stripe's API as data: a method, a path template, a host and an encoding.
//!
//! `#[derive(StripeResource)]` describes every operation it declares with an [`Operation`], and
//! every generated method sends its request through [`Client::call`](crate::Client::call) with
//! it. The same values describe an endpoint no declaration covers.

use crate::client::Method;
use crate::resource::{Encoding, Host};

/// One endpoint: `POST /v1/payment_intents/{intent}/confirm` on the API host, form-encoded.
///
/// ```
/// use resource_core::{Host, Method, Operation};
///
/// const CONFIRM: Operation = Operation::new("confirm", Method::Post, "/v1/payment_intents/{intent}/confirm");
/// const PDF: Operation = Operation::new("pdf", Method::Get, "/v1/quotes/{quote}/pdf").host(Host::Files);
/// # let _ = (CONFIRM, PDF);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The name of the method that sends it, such as `"confirm"` or `"list"`.
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template: `{name}` placeholders are filled, in order, with percent-encoded ids
    /// (see [`path::fill`](crate::path::fill)).
    pub path: &'static str,
    /// The host it goes to.
    pub host: Host,
    /// How a `POST` sends its parameters (a `GET` or `DELETE` sends them in the query).
    pub encoding: Encoding,
}

impl Operation {
    /// The operation `method path` on the API host, form-encoded.
    #[must_use]
    pub const fn new(name: &'static str, method: Method, path: &'static str) -> Self {
        Operation {
            name,
            method,
            path,
            host: Host::Api,
            encoding: Encoding::Form,
        }
    }

    /// The same operation on `host`.
    #[must_use]
    pub const fn host(mut self, host: Host) -> Self {
        self.host = host;
        self
    }

    /// The same operation sending its parameters as `encoding`.
    #[must_use]
    pub const fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = encoding;
        self
    }
}

/// What a `#[derive(StripeResource)]` declaration says, as data: implemented for every declared
/// type, singletons included.
pub trait Declared {
    /// The declaration.
    const DECLARATION: Declaration;
}

/// A declaration as data: the object, the path template and every operation, in the order the
/// generated methods list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declaration {
    /// The value of the object's `object` field, such as `"customer"`.
    pub object: &'static str,
    /// The collection path (a singleton's own path), with `{parent}` placeholders for a nested
    /// resource: `"/v1/customers/{customer}/balance_transactions"`.
    pub path: &'static str,
    /// Whether the object has no id of its own (`/v1/balance`).
    pub singleton: bool,
    /// The prefix of new ids (`"cus"`), the first where several are declared; `""` for a
    /// singleton or where ids have no fixed prefix.
    pub prefix: &'static str,
    /// Every declared operation.
    pub operations: &'static [Operation],
}

/// The kinds of operation whose behaviour is the same for every resource, as types: the `K` of
/// [`Declares<K>`].
pub mod kind {
    /// `create`: `POST {path}`, a new object.
    #[derive(Debug)]
    pub enum Create {}
    /// `retrieve`: `GET {path}/{id}` (a singleton's `GET {path}`).
    #[derive(Debug)]
    pub enum Retrieve {}
    /// `update`: `POST {path}/{id}`.
    #[derive(Debug)]
    pub enum Update {}
    /// `delete`: `DELETE {path}/{id}`.
    #[derive(Debug)]
    pub enum Delete {}
    /// `list`: `GET {path}`, one page.
    #[derive(Debug)]
    pub enum List {}
    /// `search`: `GET {path}/search`.
    #[derive(Debug)]
    pub enum Search {}
}

/// A declared operation of a kind whose behaviour is generic ([`kind`]), with its types:
/// implemented by `#[derive(StripeResource)]` for each such operation it declares, whatever the
/// shape (top-level, nested under a parent, singleton), so that generic code (the emulator)
/// can serve it with the right parameters.
///
/// ```
/// use resource_core::{Declares, Operation, kind};
/// # #[derive(serde::Deserialize, serde::Serialize, resource_core::StripeResource)]
/// # #[stripe(object = "thing", path = "/v1/things", prefix = "thing", create = CreateThing)]
/// # struct Thing { id: ThingId }
/// # #[derive(serde::Serialize)] struct CreateThing {}
/// fn create_operation<R: Declares<kind::Create>>() -> Operation {
///     R::OPERATION
/// }
/// assert_eq!(create_operation::<Thing>().path, "/v1/things");
/// ```
pub trait Declares<K>: Declared {
    /// The parameters type: the declared one, or the kind's default (`RetrieveParams` for a
    /// retrieve, `SearchParams` for a search, an empty set otherwise).
    type Params;
    /// The answer type: the declared one (`returns = T`), or the kind's default (`Self`,
    /// `Deleted<Id>`, `List<Self>`, `SearchResult<Self>`).
    type Answer;
    /// The operation, as it stands in [`Declared::DECLARATION`].
    const OPERATION: Operation;
}
