//! A stateful Stripe API emulator, driven by the same `#[derive(StripeResource)]` declarations
//! the client uses.
//!
//! Stripe's own mock server is stateless: it never remembers a create, never answers 404, never
//! expires anything. This one keeps objects, so an application can run and be tested offline
//! against something that behaves like Stripe:
//!
//! - every declared operation routed by its path template: top-level and nested collections
//!   (scoped to their parent, which must exist), singletons, actions through hooks, search,
//!   lists at other paths, deleted forms where the declared answer holds one;
//! - ids with the declared prefix; `object`, and `created` and `livemode: false` where declared;
//! - list semantics: newest first, `limit` (1 to 100, default 10), `starting_after` and
//!   `ending_before`, `has_more`, `url`, `created` as an integer or range, equality filters;
//! - metadata set, unset (`metadata[k]=`) and cleared (`metadata=`), within Stripe's limits;
//! - Stripe's errors: unknown parameter, missing required parameter, missing object, bad key;
//! - only `sk_test_` keys; a `Request-Id` on every answer; idempotent replays of `POST`s, as
//!   on Stripe for 24 hours on the emulator's clock and of successful requests only (a refused
//!   request leaves its key free), at most [`Emulator::DEFAULT_IDEMPOTENCY_CAPACITY`] keys
//!   unless [`Emulator::set_idempotency_capacity`] says otherwise;
//! - uploads kept once, and only when the request that carries them succeeds; served as
//!   attachments (`nosniff`) where a resource says, with the secret key or publicly
//!   ([`Emulate::serve`]);
//! - `expand` of the fields a resource declares expandable, including `data.<field>` on lists;
//! - the events Stripe emits ([`EVENT_TYPES`]), recorded for every request that succeeded and
//!   served at `GET /v1/events` by every emulator: `{object}.created`, `.updated` (with
//!   `previous_attributes`) and `.deleted`, and those hooks name ([`Context::emit`]); at most
//!   [`Emulator::DEFAULT_EVENT_CAPACITY`] kept unless [`Emulator::set_event_capacity`] says
//!   otherwise. No webhook is delivered yet.
//!
//! Use it in process, as a `resource_core::Transport`:
//!
//! ```
//! # use resource_emulator::Emulator;
//! let emulator = Emulator::new();
//! // emulator.register::<MyResource>();  (each resource implements `Emulate`)
//! let client = emulator.client("sk_test_123")?;
//! # let _ = client;
//! # Ok::<(), resource_core::Error>(())
//! ```
//!
//! or over HTTP on 127.0.0.1 (the `server` feature), so any Stripe SDK can be pointed at it.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod auth;
mod clock;
mod control;
pub mod decode;
mod delivery;
mod emulate;
mod engine;
mod event_types;
mod events;
mod field_index;
mod idempotency;
mod multipart;
mod order;
mod rejection;
mod search;
#[cfg(feature = "server")]
mod server;
#[cfg(test)]
mod test_support;
mod webhook_endpoints;

use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use resource_core::{Client, Request, Response, Transport, TransportError, TransportErrorKind};

pub use delivery::Deliveries;
pub use emulate::{Access, ActionHook, Context, Download, Emulate, Object, Routes, UploadInfo};
pub use engine::{Incoming, Outgoing, Usage};
pub use event_types::{EVENT_TYPES, is_event_type};
pub use rejection::Rejection;
#[cfg(feature = "server")]
pub use server::{ServeOptions, Server};

/// The emulator: shared state behind a cheap, cloneable handle.
#[derive(Clone)]
pub struct Emulator {
    engine: Arc<RwLock<engine::Engine>>,
}

impl Default for Emulator {
    fn default() -> Self {
        Emulator::new()
    }
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator").finish_non_exhaustive()
    }
}

impl Emulator {
    /// An empty emulator serving no resource yet but the events it records
    /// (`GET /v1/events`, `GET /v1/events/{id}`), its clock on the system time.
    #[must_use]
    pub fn new() -> Self {
        let emulator = Emulator {
            engine: Arc::new(RwLock::new(engine::Engine::new())),
        };
        emulator
            .register::<resource_core::Event>()
            .register::<resource_core::WebhookEndpoint>();
        emulator
    }

    /// Serves `R`'s operations.
    pub fn register<R: Emulate>(&self) -> &Self {
        self.engine().register::<R>();
        self
    }

    /// Stores an object of `R` built from `fields` plus a fresh id, `object`, `created` and
    /// `livemode`, without params or hooks: for objects the API cannot create (yet). A nested
    /// object's parents are its fields named like its path's placeholders (`customer`).
    ///
    /// # Errors
    ///
    /// A [`Rejection`] when `R` is not registered or `fields` do not decode as an `R`.
    pub fn insert<R: Emulate>(&self, fields: Object) -> Result<R, Rejection> {
        let object = self.engine().insert(R::DECLARATION.path, fields)?;
        serde_json::from_value(serde_json::Value::Object(object)).map_err(|e| {
            Rejection::invalid_request(format!("the inserted object does not decode: {e}"))
                .status(500)
        })
    }

    /// The emulator's clock, in Unix seconds.
    #[must_use]
    pub fn now(&self) -> i64 {
        self.reading().now()
    }

    /// Moves the clock forward by `seconds` (or back, when negative), like a Stripe test clock,
    /// no further than the epoch or the end of the year 9999. What the move changes is stored
    /// and emits its events (a checkout session expired, a trial ended or announced; see
    /// [`Emulate::on_clock`], [`Emulate::scheduled_events`]); webhook retries it brings due are
    /// sent; idempotency keys first used more than 24 hours before the new time are forgotten.
    pub fn advance(&self, seconds: i64) {
        self.engine().advance(seconds);
    }

    /// Returns once every webhook delivery due now has been attempted and no attempt is under
    /// way: each delivered, or failed and waiting for its retry, which moving the clock
    /// ([`Emulator::advance`]) brings. Deliveries happen in the background anyway; this is for
    /// tests, which then see them without sleeping. It holds no lock requests need; an endpoint
    /// that does not answer holds it up to 10 s.
    pub fn flush_webhooks(&self) {
        let outbox = self.reading().outbox();
        outbox.flush();
    }

    /// Sends every event also to `url`, as `stripe listen --forward-to` does, signed with a
    /// fresh `whsec_` secret, which it returns; again, the new URL and secret replace these.
    pub fn forward_events_to(&self, url: impl Into<String>) -> String {
        self.engine().forward_to(url.into())
    }

    /// How many idempotency keys are remembered unless
    /// [`set_idempotency_capacity`](Emulator::set_idempotency_capacity) says otherwise: 10,000.
    pub const DEFAULT_IDEMPOTENCY_CAPACITY: usize = idempotency::DEFAULT_CAPACITY;

    /// Sets how many idempotency keys are remembered at most (default
    /// [`DEFAULT_IDEMPOTENCY_CAPACITY`](Emulator::DEFAULT_IDEMPOTENCY_CAPACITY)); beyond it the
    /// oldest are forgotten first, and a request sent again with a forgotten key is handled
    /// again. 0 remembers none. Each key holds a digest of its request and the answer, for 24
    /// hours on the emulator's clock at most.
    pub fn set_idempotency_capacity(&self, keys: usize) {
        self.engine().set_idempotency_capacity(keys);
    }

    /// How many events are kept unless [`set_event_capacity`](Emulator::set_event_capacity)
    /// says otherwise: 10,000 (Stripe keeps 30 days of them).
    pub const DEFAULT_EVENT_CAPACITY: usize = events::DEFAULT_CAPACITY;

    /// Sets how many events are kept at most (default
    /// [`DEFAULT_EVENT_CAPACITY`](Emulator::DEFAULT_EVENT_CAPACITY)); beyond it the oldest are
    /// dropped, now and as new ones come. 0 keeps none. Each event holds a copy of its object.
    pub fn set_event_capacity(&self, events: usize) {
        self.engine().set_event_capacity(events);
    }

    /// What the emulator holds besides its objects: the uploads kept (each the upload of a
    /// stored object), the idempotency keys remembered, with their bytes, and the events kept.
    /// For tests and
    /// long-running servers that watch their memory.
    #[must_use]
    pub fn usage(&self) -> Usage {
        self.engine().usage()
    }

    /// The URL the emulator hands out in objects (such as a link's `url`).
    #[must_use]
    pub fn base_url(&self) -> String {
        self.reading().base_url.clone()
    }

    /// Sets the URL the emulator hands out in objects ([`Emulator::serve`] sets its own address).
    pub fn set_base_url(&self, url: impl Into<String>) {
        self.engine().base_url = url.into();
    }

    /// Answers one request, as both the transport and the HTTP server do; `/_emulator/` paths
    /// are the emulator's own controls (the clock, webhook flushes) for clients in any language.
    #[must_use]
    pub fn handle(&self, request: &Incoming<'_>) -> Outgoing {
        if let Some(reply) = control::handle(self, request) {
            return reply.into_outgoing();
        }
        // Reads share the lock; the lock is released before the answer's JSON is written.
        let read = self.reading().handle_read(request);
        let reply = match read {
            Some(reply) => reply,
            None => self.engine().handle(request),
        };
        reply.into_outgoing()
    }

    /// A client that talks to this emulator in process, with `secret_key` and no retries.
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`](resource_core::ClientBuilder::build): a key that cannot be sent
    /// in a header.
    pub fn client(&self, secret_key: &str) -> Result<Client, resource_core::Error> {
        Client::builder(secret_key)
            .transport(self.clone())
            .max_network_retries(0)
            .build()
    }

    /// The engine, to change it. A panic while holding the lock cannot leave the state
    /// half-written in a way that matters for an emulator; keep serving.
    fn engine(&self) -> RwLockWriteGuard<'_, engine::Engine> {
        self.engine.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The engine, to read it, beside other readers.
    fn reading(&self) -> RwLockReadGuard<'_, engine::Engine> {
        self.engine.read().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Transport for Emulator {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let after_scheme = request
            .url
            .split_once("://")
            .map_or(request.url.as_str(), |(_, rest)| rest);
        let path_and_query = after_scheme
            .find('/')
            .map_or("/", |start| &after_scheme[start..]);
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        // The emulator reads a body whole, as a server does; an upload is read from its source here.
        let body = request.body.to_vec().map_err(|error| {
            TransportError::new(
                TransportErrorKind::Io,
                format!("cannot read the request body: {error}"),
            )
            .with_source(error)
        })?;
        let headers: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        let outgoing = self.handle(&Incoming {
            method: request.method.as_str(),
            path,
            query,
            headers: &headers,
            body: &body,
        });
        Ok(Response {
            status: outgoing.status,
            headers: outgoing.headers,
            body: outgoing.body,
        })
    }
}
