//! The generic behaviour every declared resource gets: routing, authentication, idempotency,
//! create / retrieve / update / delete / list semantics, metadata rules and expansion.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::Arc;

use resource_core::RangeQuery;
use serde::Serialize;
use serde_json::{Value, json};

use crate::auth::authenticate;
use crate::clock::Clock;
use crate::decode::{field_names, hex_value, parse_form};
use crate::delivery::{Counts, Outbox, Target};
use crate::emulate::{
    Access, ActionHook, Asked, Behaviour, Context, Download, Emulate, Later, Object, Routes,
    Served, UploadInfo,
};
use crate::events::{self, Emitted, Origin, Pending, Subject};
use crate::idempotency::{Digest, Replays, Seen, Slot};
use crate::multipart::{self, Field};
use crate::order::{Order, Position};
use crate::rejection::Rejection;
use crate::search;
use crate::webhook_endpoints;

/// Stripe's metadata limits.
const MAX_METADATA_KEYS: usize = 50;
const MAX_METADATA_KEY_CHARS: usize = 40;
const MAX_METADATA_VALUE_CHARS: usize = 500;

/// The parameters of every list, whatever its params type declares.
const CURSORS: [&str; 2] = ["starting_after", "ending_before"];
const DEFAULT_LIMIT: u64 = 10;
const MAX_LIMIT: u64 = 100;

/// A request as the engine sees it, from either the in-process transport or the HTTP server.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// `GET`, `POST` or `DELETE`.
    pub method: &'a str,
    /// The path, still percent-encoded, without the query.
    pub path: &'a str,
    /// The query string, without `?`.
    pub query: &'a str,
    /// The request headers.
    pub headers: &'a [(String, String)],
    /// The body.
    pub body: &'a [u8],
}

impl Incoming<'_> {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The engine's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: Vec<u8>,
}

/// The engine's answer before its JSON is written: [`Emulator::handle`](crate::Emulator::handle)
/// writes it once the engine's lock is released, so that other requests need not wait for a
/// page of 100 objects to be serialized.
pub(crate) struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Body,
}

/// A body: JSON still to be written, or bytes (a replay, a download).
enum Body {
    Json(Value),
    Bytes(Vec<u8>),
}

impl Body {
    fn into_bytes(self) -> Vec<u8> {
        match self {
            Body::Json(value) => json_bytes(&value),
            Body::Bytes(bytes) => bytes,
        }
    }
}

impl Reply {
    /// A JSON answer to `request`, with the headers every answer has.
    pub(crate) fn json(request: &Incoming<'_>, status: u16, body: Value) -> Self {
        Reply {
            status,
            headers: answer_headers(request, &request_id()),
            body: Body::Json(body),
        }
    }

    pub(crate) fn into_outgoing(self) -> Outgoing {
        let body = self.body.into_bytes();
        Outgoing {
            status: self.status,
            headers: self.headers,
            body,
        }
    }
}

impl From<Outgoing> for Reply {
    fn from(outgoing: Outgoing) -> Self {
        Reply {
            status: outgoing.status,
            headers: outgoing.headers,
            body: Body::Bytes(outgoing.body),
        }
    }
}

/// A placeholder of a nested collection's path, and the collection it names an object of:
/// `{customer}` in `/v1/customers/{customer}/balance_transactions` names a `/v1/customers`.
struct Parent {
    name: String,
    path: String,
}

/// A stored object, its place in list order and its parents' ids (its scope).
struct Stored {
    order: Position,
    scope: Vec<String>,
    object: Object,
}

/// One registered resource and its objects.
struct Collection {
    object: &'static str,
    /// The declaration's path template.
    path: &'static str,
    parents: Vec<Parent>,
    singleton: bool,
    prefix: &'static str,
    fields: &'static [&'static str],
    expandable: &'static [(&'static str, &'static str)],
    served: Vec<Served>,
    /// Each served operation's path template, split.
    templates: Vec<Template>,
    /// The collection's own path template, split (for paths hooks give).
    template: Template,
    answers_deleted: bool,
    on_create: fn(&mut Object, &Object, &Context<'_>) -> Result<(), Rejection>,
    on_update: fn(&Object, &mut Object, &Object, &Context<'_>) -> Result<(), Rejection>,
    on_show: fn(&Object, &Context<'_>) -> Object,
    on_clock: fn(&Object, &mut Object, &Context<'_>),
    /// Fields shown by the create's answer only.
    secret_fields: &'static [&'static str],
    on_delete: fn(&Object, &Context<'_>) -> Result<(), Rejection>,
    list_filters: &'static [&'static str],
    event_prefix: Option<&'static str>,
    check_list: fn(&Object) -> Result<(), Rejection>,
    listed: fn(&Object, &Object) -> bool,
    serve: fn(&str, &Context<'_>) -> Option<Download>,
    /// Decodes the object as the declared type: catches a hook that broke the shape.
    check: fn(&Object) -> Result<(), String>,
    /// By id; a singleton by its scope, joined with `/`.
    by_id: HashMap<String, Stored>,
    order: Order,
    /// Deleted objects answered in their deleted form, with their scope.
    deleted: HashMap<String, Vec<String>>,
}

impl Collection {
    /// Whether `object`, made from `params`, decodes as the declared type. A field the type
    /// cannot be without that `params` unset with `""` is Stripe's 400
    /// `parameter_invalid_empty`; any other failure is the emulator's own 500.
    fn storable(&self, object: &Object, params: &Object) -> Result<(), Rejection> {
        let Err(error) = (self.check)(object) else {
            return Ok(());
        };
        let emptied = params.iter().find(|(name, value)| {
            value.as_str() == Some("") && object.get(name.as_str()).is_some_and(Value::is_null) && {
                let mut probe = object.clone();
                probe.insert((*name).clone(), Value::String(String::new()));
                (self.check)(&probe).is_ok()
            }
        });
        Err(match emptied {
            Some((name, _)) => Rejection::invalid_request(format!(
                "You passed an empty string for '{name}'. We assume empty values are an attempt \
                 to unset a parameter; however '{name}' cannot be unset. You should remove \
                 '{name}' from your request or supply a non-empty value."
            ))
            .code("parameter_invalid_empty")
            .param(name.clone()),
            None => internal(error),
        })
    }

    fn get(&self, id: &str) -> Option<&Object> {
        self.by_id.get(id).map(|stored| &stored.object)
    }

    /// The object as shown: the stored one itself when the fields the resource computes
    /// ([`Emulate::on_show`]) are as stored, a copy with them otherwise; so a page of 100
    /// objects is written without copying them.
    fn show<'o>(&self, object: &'o Object, context: &Context<'_>) -> Cow<'o, Object> {
        let secret = self
            .secret_fields
            .iter()
            .any(|name| object.contains_key(*name));
        let mut shown = match self.recomputed(object, context) {
            Some(shown) => shown,
            None if secret => object.clone(),
            None => return Cow::Borrowed(object),
        };
        self.conceal(&mut shown);
        Cow::Owned(shown)
    }

    /// The object with its computed fields, when any differs from what is stored.
    fn recomputed(&self, object: &Object, context: &Context<'_>) -> Option<Object> {
        let computed = (self.on_show)(object, context);
        let as_stored = computed
            .iter()
            .all(|(name, value)| object.get(name) == Some(value));
        (!as_stored).then(|| {
            let mut shown = object.clone();
            shown.extend(computed);
            shown
        })
    }

    /// Refreshes the computed fields of an object in hand.
    fn refresh(&self, object: &mut Object, context: &Context<'_>) {
        let computed = (self.on_show)(object, context);
        object.extend(computed);
    }

    /// Leaves out the fields only a create's answer shows.
    fn conceal(&self, object: &mut Object) {
        for name in self.secret_fields {
            object.remove(*name);
        }
    }

    /// A fresh id with the collection's prefix; `None` for a singleton.
    fn new_id(&self) -> Option<String> {
        (!self.singleton).then(|| match self.prefix {
            "" => token(24),
            prefix => format!("{prefix}_{}", token(24)),
        })
    }

    /// Whether the object declares `field` (or the resource's fields are unknown).
    fn declares(&self, field: &str) -> bool {
        self.fields.is_empty() || self.fields.contains(&field)
    }

    /// Where an object of this collection is kept: its id, or a singleton's scope.
    fn key(&self, scope: &[String], id: Option<&str>) -> String {
        match id {
            Some(id) if !self.singleton => id.to_owned(),
            _ => scope.join("/"),
        }
    }
}

/// An object a hook's request made or changed ([`Engine::make_later`]), and how it was before:
/// `kept`, or `None` when it is new.
struct Made {
    index: usize,
    scope: Vec<String>,
    key: String,
    kept: Option<Object>,
}

/// A request matched to a served operation: the collection, the operation, the object's id
/// (`{id}`) and its parents' ids (the other placeholders, in order).
struct Matched {
    index: usize,
    served: Served,
    id: Option<String>,
    scope: Vec<String>,
}

/// The placeholders of a nested path template, each with the collection path it names an
/// object of: the template up to it.
fn parents_of(template: &str) -> Vec<Parent> {
    let mut parents = Vec::new();
    let mut at = 0;
    while let Some(open) = template[at..].find("/{").map(|i| at + i) {
        let Some(close) = template[open..].find('}').map(|i| open + i) else {
            break;
        };
        parents.push(Parent {
            name: template[open + 2..close].to_owned(),
            path: template[..open].to_owned(),
        });
        at = close;
    }
    parents
}

/// A path template split into its segments once, at registration: `{name}` placeholders and
/// literal segments.
struct Template {
    segments: Vec<&'static str>,
    /// How many segments are literal: the more, the more specific.
    literal: usize,
}

impl Template {
    fn new(template: &'static str) -> Self {
        let segments: Vec<&'static str> = template.split('/').collect();
        let literal = segments.iter().filter(|s| placeholder(s).is_none()).count();
        Template { segments, literal }
    }

    /// Whether `path` (split on `/`) has this template's shape: the same number of segments,
    /// the literal ones equal, the placeholders not empty.
    fn fits(&self, path: &[&str]) -> bool {
        self.segments.len() == path.len()
            && self
                .segments
                .iter()
                .zip(path)
                .all(|(want, got)| match placeholder(want) {
                    Some(_) => !got.is_empty(),
                    None => want == got,
                })
    }

    /// The placeholders' values in a path that [`fits`](Template::fits), percent-decoded.
    fn values(&self, path: &[&str]) -> Vec<(&'static str, String)> {
        self.segments
            .iter()
            .zip(path)
            .filter_map(|(want, got)| placeholder(want).map(|name| (name, percent_decode(got))))
            .collect()
    }
}

/// `name` for a `{name}` segment.
fn placeholder(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

/// The largest upload accepted, as Stripe documents for files.
const MAX_UPLOAD_BYTES: usize = 32 * 1024 * 1024;

/// A file received in a multipart request.
struct Upload {
    filename: String,
    content_type: String,
    bytes: Box<[u8]>,
}

/// A file of the request being handled, and the object it was sent for once one is created.
struct Staged {
    upload: Upload,
    owner: Option<String>,
}

/// What the emulator holds besides its objects: the uploads kept and the idempotency keys
/// remembered (see [`Emulator::usage`](crate::Emulator::usage)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Usage {
    /// The uploads kept, each the upload of a stored object.
    pub uploads: usize,
    /// Their bytes.
    pub upload_bytes: usize,
    /// The idempotency keys remembered: those of successful requests of the last 24 hours on
    /// the emulator's clock, at most the capacity.
    pub idempotency_keys: usize,
    /// The bytes of those keys and of the answers they replay.
    pub idempotency_bytes: usize,
    /// The events kept (`GET /v1/events`): at most the event capacity, oldest dropped first.
    pub events: usize,
    /// The webhook deliveries.
    pub webhooks: Deliveries,
}

/// What became of the webhook deliveries (see [`Usage`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deliveries {
    /// Waiting for their first attempt or their next one: at most 10,000.
    pub queued: usize,
    /// Answered 2xx.
    pub delivered: u64,
    /// Given up after their last retry.
    pub given_up: u64,
    /// Dropped because 10,000 were waiting already.
    pub dropped: u64,
}

impl From<Counts> for Deliveries {
    fn from(counts: Counts) -> Self {
        Deliveries {
            queued: counts.queued,
            delivered: counts.delivered,
            given_up: counts.given_up,
            dropped: counts.dropped,
        }
    }
}

/// The emulator's state.
pub(crate) struct Engine {
    collections: Vec<Collection>,
    /// The uploads kept, by the id of the object each was sent for.
    uploads: HashMap<String, Upload>,
    /// The uploads of the request being handled, by the reference its params carry: kept in
    /// `uploads` if it succeeds, dropped otherwise.
    staged: HashMap<String, Staged>,
    replays: Replays,
    /// The events of the request being handled: made if it succeeds, dropped otherwise.
    pending: Vec<Pending>,
    /// Whether the request being handled stored its change though it is answered an error (a
    /// declined payment): its events are made.
    stored_refused: bool,
    /// How many events are kept at most.
    event_capacity: usize,
    clock: Arc<Clock>,
    /// The webhook deliveries of the events.
    outbox: Arc<Outbox>,
    /// Where every event also goes (`stripe-emulator --forward-to`).
    forward: Option<Target>,
    pub(crate) base_url: String,
    sequence: u64,
}

impl Engine {
    pub(crate) fn new() -> Self {
        let clock = Arc::new(Clock::default());
        Engine {
            collections: Vec::new(),
            uploads: HashMap::new(),
            staged: HashMap::new(),
            replays: Replays::new(),
            pending: Vec::new(),
            stored_refused: false,
            event_capacity: events::DEFAULT_CAPACITY,
            clock: Arc::clone(&clock),
            outbox: Arc::new(Outbox::new(clock)),
            forward: None,
            base_url: "http://emulator.invalid".to_owned(),
            sequence: 0,
        }
    }

    /// Moves the clock by `seconds`; idempotency keys past their 24 hours are forgotten.
    pub(crate) fn advance(&mut self, seconds: i64) {
        self.clock.advance(seconds);
        let now = self.now();
        self.replays.forget_expired(now);
        self.settle_clock(now.saturating_sub(seconds));
        self.outbox.clock_moved();
    }

    /// Stores what moving the clock from `then` changed (each object whose computed fields,
    /// [`Emulate::on_show`], differ now from then: a session past its expiry, a trial that
    /// ended) and emits what Stripe emits for it, with no request: `{prefix}.updated`, and what
    /// the resource's [`Emulate::on_clock`] names.
    fn settle_clock(&mut self, then: i64) {
        let (earlier, now) = (Context::at(self, then), Context::new(self));
        let mut changed = Vec::new();
        for (index, collection) in self.collections.iter().enumerate() {
            for (key, stored) in &collection.by_id {
                let before = (collection.on_show)(&stored.object, &earlier);
                let after = (collection.on_show)(&stored.object, &now);
                if before != after {
                    let shown = |computed: Object| {
                        let mut object = stored.object.clone();
                        object.extend(computed);
                        object
                    };
                    let (scope, key) = (stored.scope.clone(), key.clone());
                    changed.push((index, scope, key, shown(before), shown(after)));
                }
            }
        }
        if changed.is_empty() {
            return;
        }
        self.pending.clear();
        for (index, scope, key, before, mut object) in changed {
            let collection = &self.collections[index];
            let (_, asked) = self.with_context(|context| {
                (collection.on_clock)(&before, &mut object, context);
            });
            self.store(index, &scope, object);
            self.push_event(
                index,
                "updated",
                stored(index, &scope, &key, Some(before.clone())),
            );
            self.push_emitted(asked.emitted, stored(index, &scope, &key, Some(before)));
        }
        let pending = std::mem::take(&mut self.pending);
        self.record_events(pending, &Origin::clock());
    }

    /// Sends every event also to `url`, signed with a fresh secret: the secret.
    pub(crate) fn forward_to(&mut self, url: String) -> String {
        let secret = format!("whsec_{}", token(32));
        self.forward = Some(Target {
            url,
            secret: secret.clone(),
        });
        secret
    }

    /// The webhook deliveries, for [`Outbox::flush`] outside the engine's lock.
    pub(crate) fn outbox(&self) -> Arc<Outbox> {
        Arc::clone(&self.outbox)
    }

    pub(crate) fn pending_webhooks(&self, event: &str) -> usize {
        self.outbox.pending(event)
    }

    /// Sets how many idempotency keys are remembered at most.
    pub(crate) fn set_idempotency_capacity(&mut self, keys: usize) {
        let now = self.now();
        self.replays.set_capacity(keys, now);
    }

    /// Sets how many events are kept at most; the oldest beyond it are dropped now.
    pub(crate) fn set_event_capacity(&mut self, events: usize) {
        self.event_capacity = events;
        if let Some(index) = self.collection_index(events::PATH) {
            self.drop_oldest(index, events);
        }
    }

    /// What is held besides the objects (idempotency keys past their 24 hours forgotten first).
    pub(crate) fn usage(&mut self) -> Usage {
        let now = self.now();
        self.replays.forget_expired(now);
        Usage {
            uploads: self.uploads.len() + self.staged.len(),
            upload_bytes: self
                .uploads
                .values()
                .chain(self.staged.values().map(|staged| &staged.upload))
                .map(|upload| upload.bytes.len())
                .sum(),
            idempotency_keys: self.replays.len(),
            idempotency_bytes: self.replays.bytes(),
            events: self
                .collection_index(events::PATH)
                .map_or(0, |index| self.collections[index].by_id.len()),
            webhooks: self.outbox.counts().into(),
        }
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Registers `R`; registering it again replaces its routes and keeps its objects.
    pub(crate) fn register<R: Emulate>(&mut self) {
        let mut routes = Routes::<R>::default();
        R::routes(&mut routes);
        let declaration = R::DECLARATION;
        let collection = Collection {
            object: declaration.object,
            path: declaration.path,
            parents: parents_of(declaration.path),
            singleton: declaration.singleton,
            prefix: declaration.prefix,
            fields: field_names::<R>().unwrap_or(&[]),
            expandable: R::expandable(),
            templates: routes
                .served
                .iter()
                .map(|served| Template::new(served.operation.path))
                .collect(),
            template: Template::new(declaration.path),
            served: routes.served,
            answers_deleted: routes.answers_deleted,
            on_create: R::on_create,
            on_update: R::on_update,
            on_show: R::on_show,
            on_clock: R::on_clock,
            secret_fields: R::secret_fields(),
            on_delete: R::on_delete,
            list_filters: R::list_filters(),
            event_prefix: R::event_prefix(),
            check_list: R::check_list,
            listed: R::listed,
            serve: R::serve,
            check: |object| {
                serde_json::from_value::<R>(Value::Object(object.clone()))
                    .map(drop)
                    .map_err(|error| unmade::<R>(object, &error))
            },
            by_id: HashMap::new(),
            order: Order::default(),
            deleted: HashMap::new(),
        };
        match self
            .collections
            .iter_mut()
            .find(|c| c.path == declaration.path)
        {
            Some(existing) => {
                let kept = (
                    std::mem::take(&mut existing.by_id),
                    std::mem::take(&mut existing.order),
                    std::mem::take(&mut existing.deleted),
                );
                *existing = collection;
                (existing.by_id, existing.order, existing.deleted) = kept;
            }
            None => self.collections.push(collection),
        }
    }

    /// Stores a new object of the collection at `path` (a template) built from `fields`, as a
    /// create would but without params or hooks; a nested object's parents are read from its
    /// fields named like the path's placeholders.
    pub(crate) fn insert(&mut self, path: &str, fields: Object) -> Result<Object, Rejection> {
        let index = self
            .collection_index(path)
            .ok_or_else(|| internal(format!("no resource at {path}")))?;
        let scope = self.collections[index]
            .parents
            .iter()
            .map(|parent| {
                fields
                    .get(&parent.name)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        internal(format!("a nested object needs its `{}` field", parent.name))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.insert_in(index, &scope, fields)
    }

    /// Stores an object of `fields` in `scope` with the generated fields it lacks.
    fn insert_in(
        &mut self,
        index: usize,
        scope: &[String],
        fields: Object,
    ) -> Result<Object, Rejection> {
        let mut object = self.new_object(index, scope);
        object.extend(fields);
        fill_missing(&mut object, self.collections[index].fields);
        (self.collections[index].check)(&object).map_err(internal)?;
        self.store(index, scope, object.clone());
        Ok(object)
    }

    /// Answers a request that changes nothing, under a lock other such requests share: a `GET`
    /// of an object, a list, a search or a download. `None` for any other request, which
    /// [`handle`](Engine::handle) answers.
    pub(crate) fn handle_read(&self, request: &Incoming<'_>) -> Option<Reply> {
        if request.method != "GET" {
            return None;
        }
        if let Some(download) = self.download(request) {
            return Some(download.into());
        }
        let matched = self.matching(request.method, request.path)?;
        let reads = matches!(
            matched.served.behaviour,
            Behaviour::Retrieve | Behaviour::List | Behaviour::ListOf(_) | Behaviour::Search
        );
        if !reads {
            return None;
        }
        let answer = authenticate(request).and_then(|_key| {
            let params = self.params(&matched, parse_form(request.query)?)?;
            self.read(&matched, request.path, &params)
                .unwrap_or_else(|| Err(internal("a read was not answered as one")))
        });
        let (status, body) = match answer {
            Ok(answer) => (200, answer),
            Err(rejection) => (rejection.status, Body::Json(rejection.to_json())),
        };
        Some(Reply {
            status,
            headers: answer_headers(request, &request_id()),
            body,
        })
    }

    /// Answers one request.
    pub(crate) fn handle(&mut self, request: &Incoming<'_>) -> Reply {
        if let Some(download) = self.download(request) {
            return download.into();
        }
        let request_id = request_id();
        let mut headers = answer_headers(request, &request_id);
        let (status, body) = match authenticate(request) {
            Err(rejection) => (rejection.status, Body::Json(rejection.to_json())),
            Ok(key) => {
                let origin = Origin {
                    request_id: Some(request_id),
                    idempotency_key: request.header("Idempotency-Key").map(str::to_owned),
                    api_version: request
                        .header("Stripe-Version")
                        .unwrap_or(resource_core::DEFAULT_API_VERSION)
                        .to_owned(),
                };
                let (status, body, replayed) = self.idempotent(key, request, &origin);
                if replayed {
                    headers.push(("Idempotent-Replayed".to_owned(), "true".to_owned()));
                }
                (status, body)
            }
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    /// A `GET` of a URL a resource serves outside its routes (a file's contents, a link's
    /// `url`): the upload it names, sent as an attachment, or the resource's rejection; Stripe's
    /// 401 first where the resource asks for the secret key. `None` for anything else.
    fn download(&self, request: &Incoming<'_>) -> Option<Outgoing> {
        if request.method != "GET" || self.matching("GET", request.path).is_some() {
            return None;
        }
        let download = self
            .with_context(|context| {
                self.collections
                    .iter()
                    .find_map(|c| (c.serve)(request.path, context))
            })
            .0?;
        let mut headers = vec![
            ("Request-Id".to_owned(), request_id()),
            ("X-Content-Type-Options".to_owned(), "nosniff".to_owned()),
        ];
        let allowed = match download.access {
            Access::Public => Ok(()),
            Access::SecretKey => authenticate(request).map(drop),
        };
        let upload = allowed.and(download.upload_of).and_then(|owner| {
            self.uploads
                .get(&owner)
                .ok_or_else(|| Rejection::invalid_request("The file has no content.").status(404))
        });
        Some(match upload {
            Ok(upload) => {
                headers.push(("Content-Type".to_owned(), media_type(&upload.content_type)));
                headers.push((
                    "Content-Disposition".to_owned(),
                    attachment(&upload.filename),
                ));
                Outgoing {
                    status: 200,
                    headers,
                    body: upload.bytes.to_vec(),
                }
            }
            Err(rejection) => {
                headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
                Outgoing {
                    status: rejection.status,
                    headers,
                    body: json_bytes(&rejection.to_json()),
                }
            }
        })
    }

    /// Replays a `POST` whose idempotency key was seen with the same request; refuses it with
    /// another request; otherwise handles it and, when it succeeds, remembers the answer. The
    /// answer's body, and whether it was replayed.
    fn idempotent(
        &mut self,
        api_key: String,
        request: &Incoming<'_>,
        origin: &Origin,
    ) -> (u16, Body, bool) {
        let key = request
            .header("Idempotency-Key")
            .filter(|_| request.method == "POST");
        let Some(key) = key else {
            let (status, answer, _) = self.answer(request, origin);
            return (status, answer, false);
        };
        let slot = Slot {
            api_key,
            account: request
                .header("Stripe-Account")
                .unwrap_or_default()
                .to_owned(),
            key: key.to_owned(),
        };
        let now = self.now();
        let digest = self.digest(request);
        match self.replays.check(&slot, digest, now) {
            Seen::Replay { status, answer } => return (status, Body::Bytes(answer.to_vec()), true),
            Seen::Conflict => {
                let rejection = Rejection::idempotency(format!(
                    "Keys for idempotent requests can only be used with the same parameters they were first used with. \
                     Try using a key other than '{key}' if you meant to execute a different request."
                ));
                return (rejection.status, Body::Json(rejection.to_json()), false);
            }
            Seen::New => {}
        }
        let (status, answer, stored) = self.answer(request, origin);
        let body = answer.into_bytes();
        if stored {
            self.replays.remember(slot, digest, now, status, &body);
        }
        (status, Body::Bytes(body), false)
    }

    /// The digest an idempotency key keeps of its request: method, path and body; a multipart
    /// body by its parts, so the same upload sent again with another boundary (the SDKs draw one
    /// per call) is the same request, as Stripe compares parameters.
    fn digest(&self, request: &Incoming<'_>) -> Digest {
        let head = [request.method.as_bytes(), request.path.as_bytes()];
        let fields = request
            .header("Content-Type")
            .and_then(multipart::boundary)
            .and_then(|boundary| multipart::parse(request.body, boundary).ok());
        let Some(fields) = fields else {
            return self.replays.digest(&[head[0], head[1], request.body]);
        };
        let mut parts: Vec<&[u8]> = head.to_vec();
        parts.push(b"multipart");
        for (name, field) in &fields {
            parts.push(name.as_bytes());
            match field {
                Field::Text(text) => parts.extend([b"text".as_slice(), text.as_bytes()]),
                Field::File {
                    filename,
                    content_type,
                    bytes,
                } => parts.extend([
                    b"file".as_slice(),
                    filename.as_bytes(),
                    content_type.as_bytes(),
                    bytes,
                ]),
            }
        }
        self.replays.digest(&parts)
    }

    /// Handles a request: its answer; its uploads kept only if it succeeds, and its events made
    /// only if it succeeds or stored its change though refused.
    fn answer(&mut self, request: &Incoming<'_>, origin: &Origin) -> (u16, Body, bool) {
        self.staged.clear();
        self.pending.clear();
        self.stored_refused = false;
        let answered = self.route(request);
        let staged = std::mem::take(&mut self.staged);
        let pending = std::mem::take(&mut self.pending);
        let stored = answered.is_ok() || std::mem::take(&mut self.stored_refused);
        if stored {
            self.record_events(pending, origin);
        }
        match answered {
            Ok(answer) => {
                for staged in staged.into_values() {
                    if let Some(owner) = staged.owner {
                        self.uploads.insert(owner, staged.upload);
                    }
                }
                (200, answer, stored)
            }
            Err(rejection) => (rejection.status, Body::Json(rejection.to_json()), stored),
        }
    }

    /// The served operation a request addresses: of those whose method is the request's and
    /// whose path template the path fills, the one with the most literal segments (so
    /// `/v1/customers/search` is the search, not the customer `search`).
    fn matching(&self, method: &str, path: &str) -> Option<Matched> {
        let segments: Vec<&str> = path.split('/').collect();
        let (index, served, template) = self
            .collections
            .iter()
            .enumerate()
            .flat_map(|(index, c)| {
                c.served
                    .iter()
                    .zip(&c.templates)
                    .map(move |(served, template)| (index, served, template))
            })
            .filter(|(_, served, template)| {
                served.operation.method.as_str() == method && template.fits(&segments)
            })
            // The first of the most specific.
            .fold(
                None,
                |best: Option<(usize, &Served, &Template)>, candidate| match best {
                    Some(best) if best.2.literal >= candidate.2.literal => Some(best),
                    _ => Some(candidate),
                },
            )?;
        let mut id = None;
        let mut scope = Vec::new();
        for (name, value) in template.values(&segments) {
            if name == "id" {
                id = Some(value);
            } else {
                scope.push(value);
            }
        }
        Some(Matched {
            index,
            served: *served,
            id,
            scope,
        })
    }

    fn route(&mut self, request: &Incoming<'_>) -> Result<Body, Rejection> {
        let Some(matched) = self.matching(request.method, request.path) else {
            return Err(Rejection::invalid_request(format!(
                "Unrecognized request URL ({}: {}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
                request.method, request.path
            ))
            .status(404));
        };
        let multipart = request
            .header("Content-Type")
            .and_then(multipart::boundary)
            .filter(|_| request.method == "POST");
        let pairs = match multipart {
            Some(boundary) => self.receive(multipart::parse(request.body, boundary)?)?,
            None => {
                let raw = match request.method {
                    "POST" => std::str::from_utf8(request.body)
                        .map_err(|_| Rejection::invalid_request("The body is not UTF-8."))?,
                    _ => request.query,
                };
                parse_form(raw)?
            }
        };
        let params = self.params(&matched, pairs)?;
        if let Some(answer) = self.read(&matched, request.path, &params) {
            return answer;
        }
        let Matched {
            index,
            served,
            id,
            scope,
        } = matched;
        let id = id.as_deref();
        let answer = match served.behaviour {
            Behaviour::Create => self.create(index, &scope, &params),
            Behaviour::Update => {
                let key = self.collections[index].key(&scope, id);
                self.update(index, &scope, &key, &params)
            }
            Behaviour::Delete => {
                let key = self.collections[index].key(&scope, id);
                self.delete(index, &scope, &key)
            }
            Behaviour::Action(hook) => {
                let key = self.collections[index].key(&scope, id);
                let deletes = served.operation.method.as_str() == "DELETE";
                self.act(index, &scope, &key, (hook, deletes), &params)
            }
            Behaviour::Retrieve | Behaviour::List | Behaviour::ListOf(_) | Behaviour::Search => {
                Err(internal("a read was not answered as one"))
            }
        };
        answer.map(Body::Json)
    }

    /// The request's parameters as the operation's params type reads them (the cursors of a
    /// list whatever it declares), once its parents are known to exist.
    fn params(
        &self,
        matched: &Matched,
        mut pairs: Vec<(String, String)>,
    ) -> Result<Object, Rejection> {
        let Matched {
            index,
            served,
            scope,
            ..
        } = matched;
        let lists = matches!(served.behaviour, Behaviour::List | Behaviour::ListOf(_));
        // The cursors belong to every list, as on Stripe: a paginator sends them whether or not
        // the list's params type declares them.
        let cursors: Vec<(String, String)> = if lists {
            let (cursors, rest) = pairs
                .into_iter()
                .partition(|(name, _)| CURSORS.contains(&name.as_str()));
            pairs = rest;
            cursors
        } else {
            Vec::new()
        };
        let mut params = (served.decode)(&pairs)?;
        for (name, value) in cursors {
            params.insert(name, Value::String(value));
        }
        self.check_parents(*index, scope)?;
        Ok(params)
    }

    /// Answers an operation that changes nothing (a retrieve, a list, a search); `None` for
    /// the others.
    fn read(
        &self,
        matched: &Matched,
        path: &str,
        params: &Object,
    ) -> Option<Result<Body, Rejection>> {
        let Matched {
            index,
            served,
            id,
            scope,
        } = matched;
        let index = *index;
        Some(match served.behaviour {
            Behaviour::Retrieve => {
                let key = self.collections[index].key(scope, id.as_deref());
                match self.deleted_form(index, scope, &key) {
                    Some(deleted) => Ok(deleted),
                    None => self
                        .find_or_default(index, scope, &key)
                        .and_then(|object| self.present(index, object, expand_paths(params))),
                }
                .map(Body::Json)
            }
            Behaviour::List => self.list(index, scope, path, params),
            Behaviour::ListOf(listed) => self
                .collection_index(listed)
                .ok_or_else(|| internal(format!("no resource at {listed} to list")))
                .and_then(|listed| self.list(listed, &[], path, params)),
            Behaviour::Search => self.search(index, path, params),
            Behaviour::Create | Behaviour::Update | Behaviour::Delete | Behaviour::Action(_) => {
                return None;
            }
        })
    }

    /// A nested request's parents exist (where their resource is served): otherwise Stripe's
    /// 404 naming the missing one.
    fn check_parents(&self, index: usize, scope: &[String]) -> Result<(), Rejection> {
        for (depth, (parent, id)) in self.collections[index]
            .parents
            .iter()
            .zip(scope)
            .enumerate()
        {
            let Some(parent_index) = self.collection_index(&parent.path) else {
                continue;
            };
            let collection = &self.collections[parent_index];
            let found = collection
                .by_id
                .get(id)
                .is_some_and(|stored| stored.scope == scope[..depth]);
            if !found {
                return Err(Rejection::no_such(collection.object, id, &parent.name).status(404));
            }
        }
        Ok(())
    }

    /// Stages the files of a multipart request (kept if the request succeeds) and gives the form
    /// pairs, each file standing as a reference its params read back as an `Upload`.
    fn receive(
        &mut self,
        fields: Vec<(String, Field<'_>)>,
    ) -> Result<Vec<(String, String)>, Rejection> {
        let mut pairs = Vec::with_capacity(fields.len());
        for (name, field) in fields {
            let value = match field {
                Field::Text(text) => text,
                Field::File {
                    filename,
                    content_type,
                    bytes,
                } => {
                    if bytes.len() > MAX_UPLOAD_BYTES {
                        return Err(Rejection::invalid_request(format!(
                            "The file is {} bytes; files can be at most {MAX_UPLOAD_BYTES} bytes.",
                            bytes.len()
                        ))
                        .param(name));
                    }
                    let reference = format!("upload_{}", token(24));
                    let upload = Upload {
                        filename,
                        content_type,
                        bytes: bytes.into(),
                    };
                    let staged = Staged {
                        upload,
                        owner: None,
                    };
                    self.staged.insert(reference.clone(), staged);
                    reference
                }
            };
            pairs.push((name, value));
        }
        Ok(pairs)
    }

    /// Runs an action's hook on the object at `key`, then stores and answers it, with what the
    /// hook asked to make and emit. An action emits `{prefix}.updated` when it changed the
    /// object, or `{prefix}.deleted` when it is a `DELETE` (`deletes`: a subscription's cancel).
    fn act(
        &mut self,
        index: usize,
        scope: &[String],
        key: &str,
        (hook, deletes): (ActionHook, bool),
        params: &Object,
    ) -> Result<Value, Rejection> {
        let mut object = self.find_or_default(index, scope, key)?;
        let collection = &self.collections[index];
        let context = Context::new(self);
        collection.refresh(&mut object, &context);
        let shown = object.clone();
        hook(&mut object, params, &context)?;
        collection.refresh(&mut object, &context);
        let Asked {
            later,
            emitted,
            refusal,
        } = context.into_asked();
        (self.collections[index].check)(&object).map_err(internal)?;
        let before = self.collections[index]
            .by_id
            .get(key)
            .map(|s| s.object.clone());
        self.store(index, scope, object);
        let verb = if deletes { "deleted" } else { "updated" };
        self.push_event(index, verb, stored(index, scope, key, Some(shown.clone())));
        self.push_emitted(emitted, stored(index, scope, key, Some(shown)));
        self.make_later_or_restore(later, (index, scope, key), before)?;
        let object = self.find(index, scope, key)?.clone();
        let answer = self.present(index, object, expand_paths(params))?;
        self.unless_refused(answer, refusal)
    }

    /// The answer to a change now stored, or the refusal its hook asked for
    /// ([`Context::refuse_after_storing`]): then the change stays, and its events are made.
    fn unless_refused(
        &mut self,
        answer: Value,
        refusal: Option<Rejection>,
    ) -> Result<Value, Rejection> {
        match refusal {
            Some(rejection) => {
                self.stored_refused = true;
                Err(rejection)
            }
            None => Ok(answer),
        }
    }

    /// Makes what the hooks of a change asked for; if any of it is refused, puts the changed
    /// object (collection, scope, key) back as it was (`kept`, or gone when it was new).
    fn make_later_or_restore(
        &mut self,
        later: Vec<Later>,
        (index, scope, key): (usize, &[String], &str),
        kept: Option<Object>,
    ) -> Result<(), Rejection> {
        let made = self.make_later(later);
        if made.is_err() {
            match kept {
                Some(kept) => self.store(index, scope, kept),
                None => self.remove(index, key),
            }
        }
        made
    }

    /// Makes what hooks asked for, all of it or none of it.
    fn make_later(&mut self, later: Vec<Later>) -> Result<(), Rejection> {
        let mut made = Vec::new();
        for request in later {
            let result = match request {
                Later::Create(path, pairs) => self.create_from_pairs(&path, &pairs),
                Later::Insert(path, fields) => self.insert_at(&path, fields),
                Later::Update(path, id, fields) => self.update_at(&path, &id, fields),
            };
            match result {
                Ok(done) => made.push(done),
                Err(rejection) => {
                    for undo in made.into_iter().rev() {
                        self.undo(undo);
                    }
                    return Err(rejection);
                }
            }
        }
        Ok(())
    }

    /// Puts an object [`make_later`](Engine::make_later) made or changed back as it was.
    fn undo(&mut self, made: Made) {
        match made.kept {
            Some(kept) => self.store(made.index, &made.scope, kept),
            None => self.remove(made.index, &made.key),
        }
    }

    /// A change a hook asked for ([`Context::update_later`]): `fields` set on the stored
    /// object, `{prefix}.updated` emitted.
    fn update_at(&mut self, path: &str, id: &str, fields: Object) -> Result<Made, Rejection> {
        let (index, scope) = self
            .collection_at(path)
            .ok_or_else(|| internal(format!("no resource at {path}")))?;
        let key = self.collections[index].key(&scope, Some(id));
        let kept = self.find(index, &scope, &key)?.clone();
        let before = self.shown(index, kept.clone());
        let mut object = kept.clone();
        object.extend(fields);
        (self.collections[index].check)(&object).map_err(internal)?;
        self.store(index, &scope, object);
        self.push_event(index, "updated", stored(index, &scope, &key, Some(before)));
        Ok(Made {
            index,
            scope,
            key,
            kept: Some(kept),
        })
    }

    /// The collection a path (a collection's path, a nested one filled with its parents' ids)
    /// addresses, and the parents' ids.
    fn collection_at(&self, path: &str) -> Option<(usize, Vec<String>)> {
        let segments: Vec<&str> = path.split('/').collect();
        self.collections.iter().enumerate().find_map(|(index, c)| {
            c.template.fits(&segments).then(|| {
                let values = c.template.values(&segments);
                (index, values.into_iter().map(|(_, id)| id).collect())
            })
        })
    }

    fn collection_index(&self, path: &str) -> Option<usize> {
        self.collections.iter().position(|c| c.path == path)
    }

    /// The object at `key` in `scope`, or Stripe's 404.
    fn find(&self, index: usize, scope: &[String], key: &str) -> Result<&Object, Rejection> {
        let collection = &self.collections[index];
        collection
            .by_id
            .get(key)
            .filter(|stored| stored.scope == scope)
            .map(|stored| &stored.object)
            .ok_or_else(|| {
                match (
                    collection.singleton,
                    collection.parents.last(),
                    scope.last(),
                ) {
                    (true, Some(parent), Some(parent_id)) => Rejection::invalid_request(format!(
                        "The {} '{parent_id}' has no {}.",
                        parent.name, collection.object
                    ))
                    .code("resource_missing")
                    .status(404),
                    _ => Rejection::no_such(collection.object, key, "id"),
                }
            })
    }

    /// The object at `key`; a top-level singleton (the balance) always exists: when nothing is
    /// stored, a new one as the hooks show it.
    fn find_or_default(
        &self,
        index: usize,
        scope: &[String],
        key: &str,
    ) -> Result<Object, Rejection> {
        let collection = &self.collections[index];
        match self.find(index, scope, key) {
            Ok(object) => Ok(object.clone()),
            Err(_) if collection.singleton && collection.parents.is_empty() => {
                let mut object = self.new_object(index, scope);
                fill_missing(&mut object, collection.fields);
                Ok(object)
            }
            Err(rejection) => Err(rejection),
        }
    }

    /// `{"id", "object", "deleted": true}` for an object deleted from `scope`, where the
    /// resource answers that form.
    fn deleted_form(&self, index: usize, scope: &[String], key: &str) -> Option<Value> {
        let collection = &self.collections[index];
        (collection.answers_deleted && collection.deleted.get(key)? == scope)
            .then(|| json!({"id": key, "object": collection.object, "deleted": true}))
    }

    /// A new object in `scope`: an id with the declared prefix (none for a singleton),
    /// `object`, and where declared `created`, `livemode` and the parents' ids.
    /// A fresh id for an object of the collection at `path` (filled or not), `None` for a
    /// singleton or a path no resource has.
    pub(crate) fn new_id(&self, path: &str) -> Option<String> {
        let (index, _) = self
            .collection_at(path)
            .or_else(|| Some((self.collection_index(path)?, Vec::new())))?;
        self.collections[index].new_id()
    }

    fn new_object(&self, index: usize, scope: &[String]) -> Object {
        let collection = &self.collections[index];
        let mut object = Object::new();
        if let Some(id) = collection.new_id() {
            object.insert("id".into(), json!(id));
        }
        object.insert("object".into(), json!(collection.object));
        // Not every object has these (a `file` has no `livemode`): only where declared.
        if collection.declares("created") {
            object.insert("created".into(), json!(self.now()));
        }
        if collection.declares("livemode") {
            object.insert("livemode".into(), json!(false));
        }
        for (parent, id) in collection.parents.iter().zip(scope) {
            if collection.declares(&parent.name) {
                object.insert(parent.name.clone(), json!(id));
            }
        }
        object
    }

    /// Stores a new object, or replaces an existing one in place: an update never moves an
    /// object in list order, which is creation order.
    fn store(&mut self, index: usize, scope: &[String], object: Object) {
        let id = object.get("id").and_then(Value::as_str);
        let key = self.collections[index].key(scope, id);
        if let Some(stored) = self.collections[index].by_id.get_mut(&key) {
            stored.object = object;
            return;
        }
        self.sequence += 1;
        let created = object
            .get("created")
            .and_then(Value::as_i64)
            .unwrap_or_default();
        let order = (Reverse(created), Reverse(self.sequence));
        let collection = &mut self.collections[index];
        collection.order.insert(scope, order, key.clone());
        let scope = scope.to_vec();
        collection.by_id.insert(
            key,
            Stored {
                order,
                scope,
                object,
            },
        );
    }

    /// Runs `f` with a hook context over the current state; returns its result and what the
    /// hooks asked to make and emit.
    fn with_context<T>(&self, f: impl FnOnce(&Context<'_>) -> T) -> (T, Asked) {
        let context = Context::new(self);
        let result = f(&context);
        (result, context.into_asked())
    }

    pub(crate) fn lookup(&self, path: &str, id: &str) -> Option<&Object> {
        self.collections
            .iter()
            .find(|c| c.path == path)
            .and_then(|c| c.get(id))
    }

    pub(crate) fn children(&self, path: &str, parents: &[&str]) -> Vec<&Object> {
        let scope: Vec<String> = parents.iter().map(|id| (*id).to_owned()).collect();
        self.collections
            .iter()
            .find(|c| c.path == path)
            .map(|c| {
                c.order
                    .keys(&scope, None, None)
                    .filter_map(|id| c.get(id))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(crate) fn objects(&self, path: &str) -> Vec<&Object> {
        self.collections
            .iter()
            .find(|c| c.path == path)
            .map(|c| c.order.all().filter_map(|id| c.get(id)).collect())
            .unwrap_or_default()
    }

    /// An upload of the request being handled.
    pub(crate) fn upload(&self, reference: &str) -> Option<UploadInfo<'_>> {
        self.staged.get(reference).map(|staged| UploadInfo {
            filename: &staged.upload.filename,
            content_type: &staged.upload.content_type,
            size: staged.upload.bytes.len(),
        })
    }

    fn create(
        &mut self,
        index: usize,
        scope: &[String],
        params: &Object,
    ) -> Result<Value, Rejection> {
        let mut object = self.new_object(index, scope);
        let collection = &self.collections[index];
        apply(&mut object, params, collection.fields)?;
        fill_missing(&mut object, collection.fields);
        let id = object.get("id").and_then(Value::as_str).map(str::to_owned);
        let key = collection.key(scope, id.as_deref());
        if collection.by_id.contains_key(&key) {
            // Only where the params chose the id (a coupon's) or a singleton exists already.
            return Err(Rejection::invalid_request(format!(
                "A {} with this id already exists.",
                collection.object
            ))
            .code("resource_already_exists"));
        }
        let (hooked, asked) = self.with_context(|context| {
            (collection.on_create)(&mut object, params, context)?;
            collection.refresh(&mut object, context);
            Ok::<_, Rejection>(())
        });
        hooked?;
        collection.storable(&object, params)?;
        // A hook may have given the object its id (a card among bank accounts is `card_...`).
        let id = object.get("id").and_then(Value::as_str).map(str::to_owned);
        let key = collection.key(scope, id.as_deref());
        self.store(index, scope, object);
        if let Some(id) = &id {
            self.bind_uploads(params, id);
        }
        self.push_event(index, "created", stored(index, scope, &key, None));
        self.push_emitted(asked.emitted, stored(index, scope, &key, None));
        self.make_later_or_restore(asked.later, (index, scope, &key), None)?;
        let object = self.find(index, scope, &key)?.clone();
        // The one answer that shows the secret fields (a webhook endpoint's secret).
        let secrets: Vec<(String, Value)> = self.collections[index]
            .secret_fields
            .iter()
            .filter_map(|name| Some(((*name).to_owned(), object.get(*name)?.clone())))
            .collect();
        let mut answer = self.present(index, object, expand_paths(params))?;
        if let Value::Object(answer) = &mut answer {
            answer.extend(secrets);
        }
        self.unless_refused(answer, asked.refusal)
    }

    /// A create a hook asked for, through the collection's own route and hooks.
    fn create_from_pairs(
        &mut self,
        path: &str,
        pairs: &[(String, String)],
    ) -> Result<Made, Rejection> {
        let (index, scope) = self
            .collection_at(path)
            .ok_or_else(|| internal(format!("no resource at {path}")))?;
        let decode = self.collections[index]
            .served
            .iter()
            .find(|served| matches!(served.behaviour, Behaviour::Create))
            .map(|served| served.decode)
            .ok_or_else(|| internal(format!("{path} cannot be created")))?;
        let params = decode(pairs)?;
        self.check_parents(index, &scope)?;
        let answer = self.create(index, &scope, &params)?;
        let id = answer.get("id").and_then(Value::as_str);
        let key = self.collections[index].key(&scope, id);
        Ok(Made {
            index,
            scope,
            key,
            kept: None,
        })
    }

    /// An insert a hook asked for: it emits `{prefix}.created`, or `{prefix}.updated` where it
    /// replaced an object (a customer's discount).
    fn insert_at(&mut self, path: &str, fields: Object) -> Result<Made, Rejection> {
        let (index, scope) = self
            .collection_at(path)
            .ok_or_else(|| internal(format!("no resource at {path}")))?;
        let id = fields.get("id").and_then(Value::as_str);
        let kept = self
            .find(index, &scope, &self.collections[index].key(&scope, id))
            .ok()
            .cloned();
        let replaced = kept.clone().map(|object| self.shown(index, object));
        let object = self.insert_in(index, &scope, fields)?;
        let id = object.get("id").and_then(Value::as_str);
        let key = self.collections[index].key(&scope, id);
        let verb = if replaced.is_some() {
            "updated"
        } else {
            "created"
        };
        self.push_event(index, verb, stored(index, &scope, &key, replaced));
        Ok(Made {
            index,
            scope,
            key,
            kept,
        })
    }

    /// Uploads a request's params refer to belong to the object created from it (kept with it
    /// if the request succeeds).
    fn bind_uploads(&mut self, params: &Object, owner: &str) {
        for value in params.values() {
            if let Some(staged) = value
                .as_str()
                .and_then(|reference| self.staged.get_mut(reference))
            {
                staged.owner = Some(owner.to_owned());
            }
        }
    }

    /// Removes an object, and its upload.
    fn remove(&mut self, index: usize, key: &str) {
        let collection = &mut self.collections[index];
        if let Some(stored) = collection.by_id.remove(key) {
            collection.order.remove(&stored.scope, &stored.order);
            self.drop_upload_of(&stored.object);
        }
    }

    /// Drops the upload kept for `object`, if any.
    fn drop_upload_of(&mut self, object: &Object) {
        if let Some(id) = object.get("id").and_then(Value::as_str) {
            self.uploads.remove(id);
        }
    }

    fn update(
        &mut self,
        index: usize,
        scope: &[String],
        key: &str,
        params: &Object,
    ) -> Result<Value, Rejection> {
        let mut before = self.find(index, scope, key)?.clone();
        let collection = &self.collections[index];
        self.with_context(|context| collection.refresh(&mut before, context));
        let mut object = before.clone();
        apply(&mut object, params, collection.fields)?;
        let (hooked, asked) = self.with_context(|context| {
            (collection.on_update)(&before, &mut object, params, context)?;
            collection.refresh(&mut object, context);
            Ok::<_, Rejection>(())
        });
        hooked?;
        collection.storable(&object, params)?;
        let kept = self.find(index, scope, key)?.clone();
        self.store(index, scope, object);
        self.push_event(
            index,
            "updated",
            stored(index, scope, key, Some(before.clone())),
        );
        self.push_emitted(asked.emitted, stored(index, scope, key, Some(before)));
        self.make_later_or_restore(asked.later, (index, scope, key), Some(kept))?;
        let object = self.find(index, scope, key)?.clone();
        let answer = self.present(index, object, expand_paths(params))?;
        self.unless_refused(answer, asked.refusal)
    }

    /// Deletes the object at `key` and every object nested under it; answers the deleted form
    /// (and keeps it for retrieves, where the resource answers it).
    fn delete(&mut self, index: usize, scope: &[String], key: &str) -> Result<Value, Rejection> {
        let object = self.find(index, scope, key)?;
        let collection = &self.collections[index];
        let (allowed, asked) = self.with_context(|context| (collection.on_delete)(object, context));
        allowed?;
        // The object's own `object`: a card among bank accounts is deleted as a `card`.
        let deleted =
            json!({"id": object.get("id"), "object": object.get("object"), "deleted": true});
        // Its events show it as it was (Stripe's `customer.deleted` carries the customer).
        let was = self.shown(index, object.clone());
        self.push_event(index, "deleted", Subject::Given(was.clone()));
        self.push_emitted(asked.emitted, Subject::Given(was));
        self.remove(index, key);
        self.remove_children(index, scope, key);
        let collection = &mut self.collections[index];
        if collection.answers_deleted {
            collection.deleted.insert(key.to_owned(), scope.to_vec());
        }
        Ok(deleted)
    }

    /// Removes the objects nested under the object `id` of collection `index`.
    fn remove_children(&mut self, index: usize, scope: &[String], id: &str) {
        let path = self.collections[index].path;
        let mut owner = scope.to_vec();
        owner.push(id.to_owned());
        for child in &mut self.collections {
            if !child.parents.iter().any(|parent| parent.path == path) {
                continue;
            }
            for scope in child.order.scopes_under(&owner) {
                for key in child.order.take_scope(&scope) {
                    if let Some(stored) = child.by_id.remove(&key) {
                        if let Some(id) = stored.object.get("id").and_then(Value::as_str) {
                            self.uploads.remove(id);
                        }
                    }
                }
            }
        }
    }

    /// A page of the collection's objects in `scope`, answered as the list at `url`.
    fn list(
        &self,
        index: usize,
        scope: &[String],
        url: &str,
        params: &Object,
    ) -> Result<Body, Rejection> {
        let limit = page_limit(params)?;
        let cursor = |name: &str| params.get(name).and_then(Value::as_str).map(str::to_owned);
        let (after, before) = (cursor("starting_after"), cursor("ending_before"));
        if after.is_some() && before.is_some() {
            return Err(Rejection::invalid_request(
                "You may only specify one of these parameters: ending_before, starting_after.",
            ));
        }
        let created = match params.get("created").filter(|v| !v.is_null()) {
            Some(value) => Some(serde_json::from_value::<RangeQuery>(value.clone()).map_err(
                |e| Rejection::invalid_request(format!("Invalid created: {e}")).param("created"),
            )?),
            None => None,
        };
        let collection = &self.collections[index];
        (collection.check_list)(params)?;
        let filters: Vec<(&String, &Value)> = params
            .iter()
            .filter(|(name, value)| {
                !value.is_null()
                    && !matches!(
                        name.as_str(),
                        "limit" | "starting_after" | "ending_before" | "created" | "expand"
                    )
                    && !collection.list_filters.contains(&name.as_str())
            })
            .collect();

        // A filter on a field the object does not have would match nothing, silently: Stripe
        // refuses a parameter it does not know.
        if let Some((name, _)) = filters.iter().find(|(name, _)| {
            !collection.fields.is_empty() && !collection.fields.contains(&name.as_str())
        }) {
            return Err(Rejection::unknown_parameter(name.as_str()));
        }
        let position = |name: &str, id: &str| {
            collection
                .by_id
                .get(id)
                .filter(|stored| stored.scope == scope)
                .map(|stored| stored.order)
                .ok_or_else(|| Rejection::no_such(collection.object, id, name).status(400))
        };
        let matches = |object: &Object| {
            created.is_none_or(|range| {
                object
                    .get("created")
                    .and_then(Value::as_i64)
                    .is_some_and(|c| range.contains(c))
            }) && filters
                .iter()
                .all(|(name, wanted)| field_matches(object.get(name.as_str()), wanted))
                && (collection.listed)(object, params)
        };
        let after = after
            .map(|id| position("starting_after", &id))
            .transpose()?;
        let before = before
            .map(|id| position("ending_before", &id))
            .transpose()?;
        let mut page: Vec<Cow<'_, Object>> = Vec::with_capacity(limit + 1);
        self.with_context(|context| {
            for key in collection
                .order
                .keys(scope, after.as_ref(), before.as_ref())
            {
                let Some(object) = collection.get(key) else {
                    continue;
                };
                let shown = collection.show(object, context);
                if matches(&shown) {
                    page.push(shown);
                    if page.len() > limit {
                        break;
                    }
                }
            }
        });
        let has_more = page.len() > limit;
        page.truncate(limit);
        if before.is_some() {
            page.reverse(); // collected nearest-the-cursor first; a page is newest first
        }
        let paths: Vec<String> = expand_paths(params)
            .iter()
            .map(|path| {
                path.strip_prefix("data.")
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        Rejection::invalid_request(format!(
                            "This property cannot be expanded ({path})."
                        ))
                        .param("expand")
                    })
            })
            .collect::<Result<_, _>>()?;
        if !paths.is_empty() {
            page = page
                .into_iter()
                .map(|object| {
                    self.expand(index, object.into_owned(), &paths)
                        .map(Cow::Owned)
                })
                .collect::<Result<_, _>>()?;
        }
        Ok(page_json(&Page {
            data: page,
            has_more,
            next_page: None,
            object: "list",
            url,
        }))
    }

    /// A search: the objects `query` matches, newest first, `limit` a page, from the offset
    /// the `page` token carries.
    fn search(&self, index: usize, url: &str, params: &Object) -> Result<Body, Rejection> {
        let query = params
            .get("query")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let query = search::Query::parse(query)?;
        let limit = page_limit(params)?;
        let start = match params.get("page").and_then(Value::as_str) {
            None => 0,
            Some(token) => page_offset(token).ok_or_else(|| {
                Rejection::invalid_request("Invalid page: it is not a page token this search gave.")
                    .param("page")
            })?,
        };
        let collection = &self.collections[index];
        let mut data: Vec<Cow<'_, Object>> = self
            .with_context(|context| {
                collection
                    .order
                    .keys(&[], None, None)
                    .filter_map(|id| collection.get(id))
                    .map(|object| collection.show(object, context))
                    .filter(|object| query.matches(object))
                    .skip(start)
                    .take(limit + 1)
                    .collect()
            })
            .0;
        let has_more = data.len() > limit;
        data.truncate(limit);
        Ok(page_json(&Page {
            data,
            has_more,
            next_page: Some(has_more.then(|| page_token(start + limit))),
            object: "search_result",
            url,
        }))
    }

    /// The object as answered: computed fields refreshed, `paths` expanded.
    fn present(
        &self,
        index: usize,
        object: Object,
        paths: Vec<String>,
    ) -> Result<Value, Rejection> {
        let object = self.shown(index, object);
        self.expand(index, object, &paths).map(Value::Object)
    }

    /// The object as shown: computed fields refreshed, secret ones left out, nothing expanded.
    fn shown(&self, index: usize, mut object: Object) -> Object {
        let collection = &self.collections[index];
        self.with_context(|context| collection.refresh(&mut object, context));
        collection.conceal(&mut object);
        object
    }

    /// The prefix of the events about the objects of collection `index` (see
    /// [`events::prefix`]), `None` when Stripe emits none about them.
    fn event_prefix(&self, index: usize) -> Option<String> {
        let collection = &self.collections[index];
        let nested = collection.parents.last().and_then(|parent| {
            let parent = &self.collections[self.collection_index(&parent.path)?];
            let segment = collection
                .template
                .segments
                .iter()
                .rev()
                .find(|segment| placeholder(segment).is_none())?;
            Some((parent.object, *segment))
        });
        events::prefix(collection.object, nested, collection.event_prefix)
    }

    /// Records that the request being handled emits `{prefix}.{verb}` about `subject`, where
    /// Stripe has that event.
    fn push_event(&mut self, index: usize, verb: &str, subject: Subject) {
        let Some(prefix) = self.event_prefix(index) else {
            return;
        };
        let type_ = format!("{prefix}.{verb}");
        if crate::event_types::is_event_type(&type_) {
            self.pending.push(Pending { type_, subject });
        }
    }

    /// Records the events hooks emitted: about `subject` (the object they handled), or about the
    /// object they gave.
    fn push_emitted(&mut self, emitted: Vec<Emitted>, subject: Subject) {
        for Emitted { type_, about } in emitted {
            let subject = match (about, &subject) {
                (Some(object), _) => Subject::Given(object),
                (None, Subject::Given(object)) => Subject::Given(object.clone()),
                (
                    None,
                    Subject::Stored {
                        index,
                        scope,
                        key,
                        before,
                    },
                ) => Subject::Stored {
                    index: *index,
                    scope: scope.clone(),
                    key: key.clone(),
                    before: before.clone(),
                },
            };
            self.pending.push(Pending { type_, subject });
        }
    }

    /// Makes the events of a request that succeeded, in the order they were emitted: each
    /// about its object as answered (as it is now, shown, not expanded); a `*.updated` one with
    /// the `previous_attributes` it changed, and none when nothing changed.
    fn record_events(&mut self, pending: Vec<Pending>, origin: &Origin) {
        let Some(events) = self.collection_index(events::PATH) else {
            return;
        };
        let mut made = Vec::with_capacity(pending.len());
        for Pending { type_, subject } in pending {
            let (object, before) = match subject {
                Subject::Given(object) => (object, None),
                Subject::Stored {
                    index,
                    scope,
                    key,
                    before,
                } => match self.find(index, &scope, &key) {
                    // Both as shown: what only a create's answer shows is in neither.
                    Ok(object) => (
                        self.shown(index, object.clone()),
                        before.map(|mut before| {
                            self.collections[index].conceal(&mut before);
                            before
                        }),
                    ),
                    Err(_) => continue, // gone again within the request
                },
            };
            let mut data = Object::new();
            if type_.ends_with(".updated") {
                if let Some(before) = before {
                    let previous = events::previous_attributes(&before, &object);
                    if previous.is_empty() {
                        continue;
                    }
                    data.insert("previous_attributes".into(), Value::Object(previous));
                }
            }
            data.insert("object".into(), Value::Object(object));
            let mut fields = Object::new();
            fields.insert("api_version".into(), json!(origin.api_version));
            fields.insert("data".into(), Value::Object(data));
            fields.insert("pending_webhooks".into(), json!(0));
            fields.insert(
                "request".into(),
                json!({"id": origin.request_id, "idempotency_key": origin.idempotency_key}),
            );
            fields.insert("type".into(), json!(type_));
            made.push(fields);
        }
        for fields in made {
            // Made here whole, as Stripe shows one (no `account` but on Connect events): no
            // field left to fill, and its shape is `resource_core::Event`'s (tested), so it is
            // stored without the check a hook's object gets.
            let mut event = self.new_object(events, &[]);
            event.extend(fields);
            let type_ = event
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let targets = self.webhook_targets(type_);
            event.insert("pending_webhooks".into(), json!(targets.len()));
            if !targets.is_empty() {
                let id = event.get("id").and_then(Value::as_str).unwrap_or_default();
                // As Stripe sends it: indented.
                let payload = serde_json::to_vec_pretty(&event).unwrap_or_default();
                self.outbox.send(id, payload, targets);
            }
            self.store(events, &[], event);
        }
        self.drop_oldest(events, self.event_capacity);
    }

    /// Where an event of `type_` is delivered: every enabled endpoint that wants it, and the
    /// forwarding URL.
    fn webhook_targets(&self, type_: &str) -> Vec<Target> {
        let endpoints = self
            .collection_index(webhook_endpoints::PATH)
            .map(|index| &self.collections[index]);
        let wanting = endpoints
            .into_iter()
            .flat_map(|collection| collection.by_id.values())
            .map(|stored| &stored.object)
            .filter(|endpoint| webhook_endpoints::wants(endpoint, type_))
            .filter_map(|endpoint| {
                let text = |name: &str| endpoint.get(name).and_then(Value::as_str);
                Some(Target {
                    url: text("url")?.to_owned(),
                    secret: text("secret")?.to_owned(),
                })
            });
        wanting.chain(self.forward.clone()).collect()
    }

    /// Drops the oldest objects of collection `index` beyond `capacity`.
    fn drop_oldest(&mut self, index: usize, capacity: usize) {
        while self.collections[index].by_id.len() > capacity {
            let Some(key) = self.collections[index].order.oldest() else {
                break;
            };
            let key = key.clone();
            self.remove(index, &key);
            self.outbox.forget(&key);
        }
    }

    /// Replaces the ids in expandable fields named by `paths` (`file`, `file.links`, ...) by objects.
    fn expand(
        &self,
        index: usize,
        mut object: Object,
        paths: &[String],
    ) -> Result<Object, Rejection> {
        for path in paths {
            let (field, rest) = path
                .split_once('.')
                .map_or((path.as_str(), None), |(f, r)| (f, Some(r)));
            let cannot = || {
                Rejection::invalid_request(format!("This property cannot be expanded ({path})."))
                    .param("expand")
            };
            let target_path = self.collections[index]
                .expandable
                .iter()
                .find(|(name, _)| *name == field)
                .map(|(_, target)| *target)
                .ok_or_else(cannot)?;
            let target_index = self.collection_index(target_path).ok_or_else(cannot)?;
            let Some(id) = object.get(field).and_then(Value::as_str) else {
                continue;
            };
            let Some(target) = self.collections[target_index].get(id) else {
                continue;
            };
            let mut target = target.clone();
            self.with_context(|context| {
                self.collections[target_index].refresh(&mut target, context)
            });
            let nested: Vec<String> = rest.map(str::to_owned).into_iter().collect();
            let target = self.expand(target_index, target, &nested)?;
            object.insert(field.to_owned(), Value::Object(target));
        }
        Ok(object)
    }
}

/// A stored object as an event's subject.
fn stored(index: usize, scope: &[String], key: &str, before: Option<Object>) -> Subject {
    Subject::Stored {
        index,
        scope: scope.to_vec(),
        key: key.to_owned(),
        before,
    }
}

/// Applies decoded params to an object: each param that is a field of the object replaces it
/// (`""` unsets it), `metadata` merges per Stripe's rules, `expand` and absent params are skipped.
fn apply(object: &mut Object, params: &Object, fields: &[&str]) -> Result<(), Rejection> {
    for (name, value) in params {
        if name == "expand" || value.is_null() || !fields.contains(&name.as_str()) {
            continue;
        }
        if name == "metadata" {
            merge_metadata(object, value)?;
        } else if value.as_str() == Some("") {
            object.insert(name.clone(), Value::Null);
        } else {
            object.insert(name.clone(), value.clone());
        }
    }
    Ok(())
}

/// `metadata=` clears, `metadata[k]=` removes `k`, `metadata[k]=v` sets it; Stripe's limits apply.
fn merge_metadata(object: &mut Object, change: &Value) -> Result<(), Rejection> {
    let current = object.entry("metadata").or_insert_with(|| json!({}));
    if !current.is_object() {
        *current = json!({});
    }
    let Some(current) = current.as_object_mut() else {
        return Ok(());
    };
    match change {
        Value::String(s) if s.is_empty() => current.clear(),
        Value::Object(entries) => {
            for (key, value) in entries {
                let value = value.as_str().unwrap_or_default();
                let param = format!("metadata[{key}]");
                if key.chars().count() > MAX_METADATA_KEY_CHARS {
                    return Err(Rejection::invalid_request(format!(
                        "Metadata keys can have up to {MAX_METADATA_KEY_CHARS} characters, but you passed in a key that is {} characters.",
                        key.chars().count()
                    ))
                    .param(param));
                }
                if value.chars().count() > MAX_METADATA_VALUE_CHARS {
                    return Err(Rejection::invalid_request(format!(
                        "Metadata values can have up to {MAX_METADATA_VALUE_CHARS} characters, but you passed in a value that is {} characters.",
                        value.chars().count()
                    ))
                    .param(param));
                }
                if value.is_empty() {
                    current.remove(key);
                } else {
                    current.insert(key.clone(), json!(value));
                }
            }
            if current.len() > MAX_METADATA_KEYS {
                return Err(Rejection::invalid_request(format!(
                    "Invalid metadata: metadata can have up to {MAX_METADATA_KEYS} keys, but you passed in {} keys.",
                    current.len()
                ))
                .param("metadata"));
            }
        }
        _ => {
            return Err(Rejection::invalid_request(
                "Invalid metadata: expected a map or an empty string.",
            )
            .param("metadata"));
        }
    }
    Ok(())
}

/// Gives every declared field a value: `{}` for metadata, `null` otherwise.
fn fill_missing(object: &mut Object, fields: &[&str]) {
    for field in fields {
        if !object.contains_key(*field) {
            let empty = if *field == "metadata" {
                json!({})
            } else {
                Value::Null
            };
            object.insert((*field).to_owned(), empty);
        }
    }
}

/// An equality filter: the field equals the value, or (expanded or not) has that id.
fn field_matches(field: Option<&Value>, wanted: &Value) -> bool {
    match field {
        Some(Value::Object(expanded)) => expanded.get("id") == Some(wanted),
        Some(value) => value == wanted,
        None => false,
    }
}

fn expand_paths(params: &Object) -> Vec<String> {
    params
        .get("expand")
        .and_then(Value::as_array)
        .map(|paths| {
            paths
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Why an object of `R` could not be made from what the emulator has: the resource, serde's
/// error, and the fields left without a value, which are what to give a value to.
fn unmade<R>(object: &Object, error: &serde_json::Error) -> String {
    let unfilled: Vec<String> = object
        .iter()
        .filter(|(_, value)| value.is_null())
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    let resource = std::any::type_name::<R>();
    let mut message = format!("the emulator cannot make a `{resource}`: {error}");
    if !unfilled.is_empty() {
        message.push_str(&format!(
            "; fields with no value: {}. Make them `Option`, give them `#[serde(default)]`, or \
             fill them in `Emulate::on_create`",
            unfilled.join(", ")
        ));
    }
    message
}

/// The page size a list or search asks for: `limit`, 1 to 100, 10 when absent.
fn page_limit(params: &Object) -> Result<usize, Rejection> {
    let limit = match params.get("limit") {
        None | Some(Value::Null) => DEFAULT_LIMIT,
        Some(value) => value
            .as_u64()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| {
                Rejection::invalid_request(format!(
                    "Invalid limit: must be between 1 and {MAX_LIMIT}, got {value}"
                ))
                .param("limit")
            })?,
    };
    Ok(usize::try_from(limit).unwrap_or(usize::MAX))
}

/// The `next_page` token of a search page starting at `offset`: opaque to clients.
fn page_token(offset: usize) -> String {
    format!("page_{offset:x}_search")
}

fn page_offset(token: &str) -> Option<usize> {
    let hex = token.strip_prefix("page_")?.strip_suffix("_search")?;
    usize::from_str_radix(hex, 16).ok()
}

/// The emulator's own 500: a mistake in a resource's declaration or hooks, not in the request.
pub(crate) fn internal(message: impl Into<String>) -> Rejection {
    Rejection {
        type_: "api_error",
        ..Rejection::invalid_request(message).status(500)
    }
}

/// A download's `Content-Type`: the one it was uploaded with when it is a plain header value,
/// `application/octet-stream` otherwise.
fn media_type(content_type: &str) -> String {
    let plain = !content_type.trim().is_empty()
        && content_type
            .chars()
            .all(|c| c == '\t' || (' '..='~').contains(&c));
    if plain {
        content_type.to_owned()
    } else {
        "application/octet-stream".to_owned()
    }
}

/// `Content-Disposition: attachment` naming `filename` safely (RFC 6266): control characters
/// become `_`; `filename` is quoted printable ASCII (`"` and `\` escaped, anything else `_`) and,
/// when that is not the name as it is, `filename*` gives it in UTF-8, percent-encoded.
fn attachment(filename: &str) -> String {
    let name: String = filename
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect();
    let mut quoted = String::with_capacity(name.len() + 2);
    let mut exact = name == filename;
    for c in name.chars() {
        match c {
            '"' | '\\' => {
                quoted.push('\\');
                quoted.push(c);
                exact = false;
            }
            ' '..='~' => quoted.push(c),
            _ => {
                quoted.push('_');
                exact = false;
            }
        }
    }
    let mut value = format!("attachment; filename=\"{quoted}\"");
    if !exact {
        value.push_str("; filename*=UTF-8''");
        for byte in name.bytes() {
            if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
                value.push(char::from(byte));
            } else {
                value.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    value
}

/// A new `Request-Id`.
fn request_id() -> String {
    format!("req_{}", token(14))
}

/// The headers of every JSON answer: its `Request-Id`, and the `Stripe-Version` asked for.
fn answer_headers(request: &Incoming<'_>, request_id: &str) -> Vec<(String, String)> {
    let mut headers = vec![
        ("Request-Id".to_owned(), request_id.to_owned()),
        ("Content-Type".to_owned(), "application/json".to_owned()),
    ];
    if let Some(version) = request.header("Stripe-Version") {
        headers.push(("Stripe-Version".to_owned(), version.to_owned()));
    }
    headers
}

/// A JSON answer's bytes, written straight into a buffer (not through `Display`).
fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    // Writing JSON values into a `Vec` cannot fail: their keys are strings.
    serde_json::to_vec(value).unwrap_or_default()
}

/// A page of a list or of a search, its fields in the order a `Value` writes them. Its objects
/// are borrowed from the store where they are shown as stored: the page is written while the
/// store is read.
#[derive(Serialize)]
struct Page<'a> {
    data: Vec<Cow<'a, Object>>,
    has_more: bool,
    /// A search's (`null` on its last page); a list has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page: Option<Option<String>>,
    object: &'static str,
    url: &'a str,
}

fn page_json(page: &Page<'_>) -> Body {
    Body::Bytes(json_bytes(page))
}

/// Percent-decodes one path segment (lossy for invalid UTF-8: such an id matches nothing).
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        // Two hexadecimal digits, no sign: `%+6` stays as it is.
        let hex = match bytes.get(i + 1..i + 3) {
            Some(&[high, low]) => hex_value(high).zip(hex_value(low)),
            _ => None,
        }
        .map(|(high, low)| (high << 4) | low);
        match (byte, hex) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A random string of ASCII letters and digits.
pub(crate) fn token(len: usize) -> String {
    const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut bytes = vec![0u8; len];
    if getrandom::getrandom(&mut bytes).is_err() {
        // Uniqueness matters here, not secrecy: fall back to std's randomly keyed hasher.
        use std::hash::{BuildHasher, Hasher};
        let state = std::collections::hash_map::RandomState::new();
        for (i, byte) in bytes.iter_mut().enumerate() {
            let mut hasher = state.build_hasher();
            hasher.write_usize(i);
            *byte = hasher.finish().to_le_bytes()[0];
        }
    }
    // The slight bias of a plain modulo is harmless for ids.
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_decode() {
        assert_eq!(percent_decode("link_a%2Fb%3Fc"), "link_a/b?c");
        assert_eq!(
            percent_decode("link%20a%2Bb%25c%26d%3D%C3%A9%23~"),
            "link a+b%c&d=é#~"
        );
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("a%+6b%-1c%6"), "a%+6b%-1c%6");
    }

    #[test]
    fn metadata_merges_and_enforces_limits() {
        let mut object = Object::new();
        merge_metadata(&mut object, &json!({"a": "1", "b": "2"})).unwrap();
        merge_metadata(&mut object, &json!({"a": "", "c": "3"})).unwrap();
        assert_eq!(object["metadata"], json!({"b": "2", "c": "3"}));
        merge_metadata(&mut object, &json!("")).unwrap();
        assert_eq!(object["metadata"], json!({}));

        let long_key = "k".repeat(41);
        let error = merge_metadata(&mut object, &json!({ long_key.clone(): "v" })).unwrap_err();
        assert_eq!(
            error.param.as_deref(),
            Some(format!("metadata[{long_key}]").as_str())
        );
        let error = merge_metadata(&mut object, &json!({"k": "v".repeat(501)})).unwrap_err();
        assert_eq!(error.param.as_deref(), Some("metadata[k]"));
        let many: Object = (0..51).map(|i| (format!("k{i}"), json!("v"))).collect();
        let error = merge_metadata(&mut object, &Value::Object(many)).unwrap_err();
        assert_eq!(error.param.as_deref(), Some("metadata"));
    }

    fn fill_from(template: &'static str, path: &str) -> Option<Vec<(&'static str, String)>> {
        let (template, path) = (Template::new(template), path.split('/').collect::<Vec<_>>());
        template.fits(&path).then(|| template.values(&path))
    }

    #[test]
    fn templates_fill_from_paths_and_name_their_parents() {
        let template = "/v1/customers/{customer}/balance_transactions/{id}";
        assert_eq!(
            fill_from(
                template,
                "/v1/customers/cus_1/balance_transactions/cbtxn%2F2"
            ),
            Some(vec![
                ("customer", "cus_1".to_owned()),
                ("id", "cbtxn/2".to_owned()),
            ])
        );
        assert_eq!(
            fill_from(template, "/v1/customers/cus_1/balance_transactions"),
            None
        );
        assert_eq!(
            fill_from(template, "/v1/customers//balance_transactions/x"),
            None
        );
        assert_eq!(fill_from("/v1/balance", "/v1/balance"), Some(vec![]));
        let parents = parents_of("/v1/a/{a}/b/{b}/c");
        let parents: Vec<_> = parents
            .iter()
            .map(|p| (p.name.as_str(), p.path.as_str()))
            .collect();
        assert_eq!(parents, [("a", "/v1/a"), ("b", "/v1/a/{a}/b")]);
        assert!(parents_of("/v1/customers").is_empty());
    }

    #[test]
    fn downloads_name_their_file_safely() {
        assert_eq!(
            attachment("evidence.pdf"),
            "attachment; filename=\"evidence.pdf\""
        );
        assert_eq!(
            attachment("my \"évidence\".png"),
            "attachment; filename=\"my \\\"_vidence\\\".png\"; \
             filename*=UTF-8''my%20%22%C3%A9vidence%22.png"
        );
        assert_eq!(
            attachment("a\\b\r\nSet-Cookie: x\u{0}"),
            "attachment; filename=\"a\\\\b__Set-Cookie: x_\"; \
             filename*=UTF-8''a%5Cb__Set-Cookie%3A%20x_"
        );
        assert_eq!(
            media_type("text/html; charset=utf-8"),
            "text/html; charset=utf-8"
        );
        assert_eq!(media_type("text/html\r\nX: y"), "application/octet-stream");
        assert_eq!(media_type("image/pngé"), "application/octet-stream");
        assert_eq!(media_type(""), "application/octet-stream");
    }

    #[test]
    fn tokens_are_alphanumeric_and_distinct() {
        let a = token(24);
        assert_eq!(a.len(), 24);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, token(24));
    }
}
