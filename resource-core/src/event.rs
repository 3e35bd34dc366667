//! Events: `/v1/events`, the body of every webhook, and typed access to the object they carry.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::StripeResource;
use crate::error::Error;
use crate::operation::Declared;
use crate::params::RangeQuery;

/// An event (API version 2026-01-28.clover): something happened to an object of your account.
/// Stripe sends it to your webhook endpoints (verify it with
/// [`Webhook::construct_event`](crate::Webhook::construct_event)), and lists the last 30 days of
/// them at `GET /v1/events`.
///
/// The object it is about is in [`data.object`](EventData::object), as it was when the event
/// happened, rendered in the event's [`api_version`](Self::api_version); read it as a declared
/// type with [`object_as`](EventData::object_as).
///
/// # Handling the events you know
///
/// Declare the events your application handles as an enum, with a variant for every other
/// type, and fill it from an event with one `match` on [`type_`](Self::type_): an event type
/// Stripe adds later (or one you did not subscribe to) lands in the catch-all, never in an
/// error. Copy this:
///
/// ```
/// use resource_core::{Error, Event, StripeResource};
///
/// // Your declared resources (or those of a crate such as `common-resources`).
/// #[derive(Debug, serde::Deserialize, serde::Serialize, StripeResource)]
/// #[stripe(object = "customer", path = "/v1/customers", prefix = "cus")]
/// pub struct Customer {
///     pub id: CustomerId,
///     pub email: Option<String>,
/// }
///
/// /// The events this application acts on.
/// #[derive(Debug)]
/// pub enum Handled {
///     CustomerCreated(Customer),
///     CustomerDeleted(Customer),
///     /// Any other type: acknowledge it (answer 200) and move on.
///     Unhandled,
/// }
///
/// impl TryFrom<&Event> for Handled {
///     type Error = Error;
///
///     fn try_from(event: &Event) -> Result<Self, Error> {
///         Ok(match event.type_.as_str() {
///             "customer.created" => Handled::CustomerCreated(event.data.object_as()?),
///             "customer.deleted" => Handled::CustomerDeleted(event.data.object_as()?),
///             _ => Handled::Unhandled,
///         })
///     }
/// }
///
/// # fn main() -> Result<(), Error> {
/// let body = r#"{"id": "evt_1", "object": "event", "type": "customer.created",
///     "data": {"object": {"id": "cus_1", "object": "customer", "email": "jenny@example.com"}}}"#;
/// let event = Event::from_json(body)?; // in a handler: Webhook::construct_event(body, header, secret)?
/// match event.parse::<Handled>()? {
///     Handled::CustomerCreated(customer) => println!("welcome {:?}", customer.email),
///     Handled::CustomerDeleted(customer) => println!("goodbye {}", customer.id),
///     Handled::Unhandled => {}
/// }
/// # Ok(())
/// # }
/// ```
///
/// `object_as` checks the object's `object` field against the declaration, so a variant can
/// only be filled with the object it names; several types can share a variant
/// (`"customer.created" | "customer.updated" => ...`), and a variant can keep the whole event
/// or [`previous_attributes_as`](EventData::previous_attributes_as) beside the object.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "event",
    path = "/v1/events",
    prefix = "evt",
    retrieve,
    list = ListEvents,
)]
pub struct Event {
    /// Unique identifier (`evt_...`).
    pub id: EventId,
    /// Always `"event"`.
    pub object: String,
    /// For a Connect webhook: the connected account the event happened on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The API version `data` is rendered in (the endpoint's, or the account's default).
    #[serde(default)]
    pub api_version: Option<String>,
    /// When the event happened (Unix seconds).
    #[serde(default)]
    pub created: i64,
    /// The object the event is about, and for `*.updated` events what changed.
    pub data: EventData,
    /// Whether the event happened in live mode.
    #[serde(default)]
    pub livemode: bool,
    /// How many webhook deliveries of this event have not succeeded yet.
    #[serde(default)]
    pub pending_webhooks: i64,
    /// The API request that caused the event; `None`, or a request with no id, for an event
    /// Stripe caused itself (a subscription renewing).
    #[serde(default)]
    pub request: Option<EventRequest>,
    /// What happened: `customer.created`, `payment_intent.succeeded`, ...
    #[serde(rename = "type")]
    pub type_: String,
}

/// What an event is about: [`Event::data`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct EventData {
    /// The object as it was when the event happened (a customer for `customer.created`), as
    /// JSON. [`object_as`](Self::object_as) reads it as a declared type.
    pub object: Map<String, Value>,
    /// For `*.updated` events: the previous values of the fields that changed (only those).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_attributes: Option<Map<String, Value>>,
}

/// The API request behind an event: [`Event::request`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct EventRequest {
    /// The request's id (`req_...`); `None` when Stripe caused the event itself.
    #[serde(default)]
    pub id: Option<String>,
    /// The idempotency key the request was sent with.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

/// Parameters of `GET /v1/events`: filters, `limit` and cursors.
///
/// ```
/// use resource_core::{ListEvents, RangeQuery};
///
/// let params = ListEvents {
///     types: vec!["customer.created".into(), "customer.updated".into()],
///     created: Some(RangeQuery::new().gte(1_680_000_000)),
///     limit: Some(100),
///     ..ListEvents::default()
/// };
/// assert_eq!(
///     resource_core::form::to_string(&params).unwrap(),
///     "created[gte]=1680000000&limit=100&types[0]=customer.created&types[1]=customer.updated"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListEvents {
    /// Only events created at, or within, these times.
    pub created: Option<RangeQuery>,
    /// Only events whose webhook deliveries all succeeded (`true`) or not (`false`).
    pub delivery_success: Option<bool>,
    /// A cursor: the page before this event id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// A cursor: the page after this event id.
    pub starting_after: Option<String>,
    /// Only events of this type; `*` matches a part (`customer.*`).
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// Only events of these types (at most 20), sent as `types[0]=..&types[1]=..`; instead of
    /// `type`.
    pub types: Vec<String>,
    /// Fields of each event to expand, as `data.<field>`.
    pub expand: Vec<String>,
}

impl Event {
    /// Decodes an event from JSON without verifying any signature: for a payload already
    /// verified ([`Webhook::verify_header`](crate::Webhook::verify_header)) or from a trusted
    /// source (stripe-python's `construct_event_without_verification`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Decode`](crate::ErrorKind::Decode) ([`EventError::NotAnEvent`]) when the
    /// payload is not JSON, not an event, or its `object` is not `"event"` (a thin
    /// `v2.core.event` notification, which this crate does not handle).
    pub fn from_json(payload: impl AsRef<[u8]>) -> Result<Event, Error> {
        let payload = payload.as_ref();
        let event = serde_json::from_slice::<Event>(payload).map_err(|error| {
            let message = match object_of(payload).as_deref() {
                Some("v2.core.event") => THIN_EVENT.to_owned(),
                _ => error.to_string(),
            };
            Error::event(EventError::NotAnEvent { message })
        })?;
        if event.object != Self::OBJECT {
            let message = if event.object == "v2.core.event" {
                THIN_EVENT.to_owned()
            } else {
                format!("its `object` is {:?}, not \"event\"", event.object)
            };
            return Err(Error::event(EventError::NotAnEvent { message }));
        }
        Ok(event)
    }

    /// Reads the event as one of your own types, usually an enum of the events you handle (see
    /// [Handling the events you know](Self#handling-the-events-you-know)): `E::try_from(self)`.
    ///
    /// # Errors
    ///
    /// What `E::try_from` returns.
    pub fn parse<'a, E: TryFrom<&'a Event>>(&'a self) -> Result<E, E::Error> {
        E::try_from(self)
    }
}

const THIN_EVENT: &str = "it is a thin event notification (`v2.core.event`), not an event";

/// The `object` field of a JSON object, if the payload is one.
fn object_of(payload: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Peek {
        object: Option<String>,
    }
    serde_json::from_slice::<Peek>(payload).ok()?.object
}

impl EventData {
    /// The `object` field of [`object`](Self::object): `"customer"`, `"payment_intent"`, ...
    #[must_use]
    pub fn object_type(&self) -> Option<&str> {
        self.object.get("object").and_then(Value::as_str)
    }

    /// Reads [`object`](Self::object) as the declared type `T`, after checking that it is one:
    /// its `object` field must be `T`'s declared `object`.
    ///
    /// ```
    /// # use resource_core::{Error, ErrorKind, Event, EventError, StripeResource};
    /// #[derive(Debug, serde::Deserialize, serde::Serialize, StripeResource)]
    /// #[stripe(object = "customer", path = "/v1/customers", prefix = "cus")]
    /// pub struct Customer { pub id: CustomerId }
    ///
    /// # fn main() -> Result<(), Error> {
    /// let event = Event::from_json(r#"{"id": "evt_1", "object": "event", "type": "customer.created",
    ///     "data": {"object": {"id": "cus_1", "object": "customer"}}}"#)?;
    /// let customer: Customer = event.data.object_as()?;
    /// assert_eq!(customer.id, "cus_1");
    ///
    /// let refund = Event::from_json(r#"{"id": "evt_2", "object": "event", "type": "refund.created",
    ///     "data": {"object": {"id": "re_1", "object": "refund"}}}"#)?;
    /// let Err(Error::Event(error)) = refund.data.object_as::<Customer>() else { unreachable!() };
    /// assert!(matches!(*error, EventError::ObjectMismatch { expected: "customer", .. }));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Decode`](crate::ErrorKind::Decode): [`EventError::ObjectMismatch`] when
    /// the object is another (or has no `object` field), [`EventError::Undecodable`] when it is
    /// the right one but does not decode as `T`.
    pub fn object_as<T: Declared + DeserializeOwned>(&self) -> Result<T, Error> {
        let expected = T::DECLARATION.object;
        match self.object_type() {
            Some(found) if found == expected => {}
            found => {
                return Err(Error::event(EventError::ObjectMismatch {
                    expected,
                    found: found.map(str::to_owned),
                }));
            }
        }
        T::deserialize(&self.object).map_err(|error| {
            Error::event(EventError::Undecodable {
                field: "data.object",
                message: error.to_string(),
            })
        })
    }

    /// Reads [`previous_attributes`](Self::previous_attributes) as `T`: a type of your own with
    /// an `Option` for each field you look at, since only the fields that changed are there.
    /// `None` when the event has none (any event but `*.updated`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Decode`](crate::ErrorKind::Decode) ([`EventError::Undecodable`]) when they
    /// do not decode as `T`.
    pub fn previous_attributes_as<T: DeserializeOwned>(&self) -> Result<Option<T>, Error> {
        let Some(previous) = &self.previous_attributes else {
            return Ok(None);
        };
        T::deserialize(previous).map(Some).map_err(|error| {
            Error::event(EventError::Undecodable {
                field: "data.previous_attributes",
                message: error.to_string(),
            })
        })
    }
}

/// Why an event, or the object it carries, is not what was asked for: the reason of an
/// [`Error::Event`] (of kind [`ErrorKind::Decode`](crate::ErrorKind::Decode)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventError {
    /// A webhook payload (or [`Event::from_json`]'s input) is not an event: not JSON, a field
    /// missing or of the wrong type, or an `object` other than `"event"`.
    #[non_exhaustive]
    NotAnEvent {
        /// What did not fit.
        message: String,
    },
    /// [`EventData::object_as`] asked for one object and the event carries another.
    #[non_exhaustive]
    ObjectMismatch {
        /// The `object` of the type asked for, such as `"customer"`.
        expected: &'static str,
        /// The `object` the event's object has; `None` when it has none.
        found: Option<String>,
    },
    /// The object (or the previous attributes) is the one asked for but does not decode as the
    /// type asked for.
    #[non_exhaustive]
    Undecodable {
        /// `"data.object"` or `"data.previous_attributes"`.
        field: &'static str,
        /// What did not fit.
        message: String,
    },
}

impl EventError {
    /// What went wrong, in a few words.
    #[must_use]
    pub fn message(&self) -> &str {
        match self {
            EventError::NotAnEvent { message } | EventError::Undecodable { message, .. } => message,
            EventError::ObjectMismatch { .. } => "the event carries another object",
        }
    }
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::NotAnEvent { message } => {
                write!(f, "the payload is not an event: {message}")
            }
            EventError::ObjectMismatch {
                expected,
                found: Some(found),
            } => write!(
                f,
                "the event carries a `{found}` object, not the `{expected}` asked for"
            ),
            EventError::ObjectMismatch {
                expected,
                found: None,
            } => write!(
                f,
                "the event's object has no `object` field; `{expected}` was asked for"
            ),
            EventError::Undecodable { field, message } => {
                write!(
                    f,
                    "the event's `{field}` does not decode as asked: {message}"
                )
            }
        }
    }
}
