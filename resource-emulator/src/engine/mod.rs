//! The generic behaviour every declared resource gets: routing, authentication, idempotency,
//! create / retrieve / update / delete / list semantics, metadata rules and expansion.
//!
//! Here: the engine's state (one [`Collection`] per registered resource, its stored objects in
//! list order, uploads, idempotency keys, events' outbox), registration, and what reads and
//! stores objects. Beside it, by what they do: `requests` (answering a request: reads under the
//! shared lock, writes with their idempotency key, routing, params), `changes` (create, update,
//! delete, actions and what hooks ask for), `listing` (lists and searches), `recording` (events,
//! webhook deliveries, the clock's changes) and `download` (files and link URLs).

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Value, json};

use crate::clock::Clock;
use crate::decode::{field_names, hex_value};
use crate::delivery::{Deliveries, Outbox, Target};
use crate::emulate::{Asked, Context, Download, Emulate, Object, Routes, Served, UploadInfo};
use crate::events::{self, Pending};
use crate::field_index::FieldIndex;
use crate::idempotency::Replays;
use crate::multipart;
use crate::order::{Order, Position};
use crate::rejection::Rejection;

mod changes;
mod download;
mod listing;
mod recording;
mod requests;

use requests::{answer_headers, request_id};

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
    scheduled_events: fn(&Object) -> Vec<(i64, &'static str)>,
    /// Fields shown by the create's answer only.
    secret_fields: &'static [&'static str],
    on_delete: fn(&Object, &Context<'_>) -> Result<(), Rejection>,
    list_filters: &'static [&'static str],
    oldest_first: bool,
    event_prefix: Option<&'static str>,
    check_list: fn(&Object) -> Result<(), Rejection>,
    listed: fn(&Object, &Object) -> bool,
    serve: fn(&str, &Context<'_>) -> Option<Download>,
    /// Decodes the object as the declared type: catches a hook that broke the shape.
    check: fn(&Object) -> Result<(), String>,
    /// By id; a singleton by its scope, joined with `/`.
    by_id: HashMap<String, Stored>,
    order: Order,
    /// The objects by the fields the resource asks to be indexed.
    indexes: Vec<FieldIndex>,
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
            Some((name, _)) => Rejection::parameter_invalid_empty(name),
            None => internal(error),
        })
    }

    fn get(&self, id: &str) -> Option<&Object> {
        self.by_id.get(id).map(|stored| &stored.object)
    }

    /// Keeps a new object at `key`, in list order and in the field indexes.
    fn put(&mut self, key: String, stored: Stored) {
        self.order.insert(&stored.scope, stored.order, key.clone());
        for index in &mut self.indexes {
            index.insert(&stored.object, stored.order, &key);
        }
        self.by_id.insert(key, stored);
    }

    /// Replaces the object at `key` (its place in list order kept): `None`; or gives `object`
    /// back when there is none.
    fn replace(&mut self, key: &str, object: Object) -> Option<Object> {
        let Some(stored) = self.by_id.get_mut(key) else {
            return Some(object);
        };
        for index in &mut self.indexes {
            index.remove(&stored.object, &stored.order);
            index.insert(&object, stored.order, key);
        }
        stored.object = object;
        None
    }

    /// Takes the object at `key` out of the collection.
    fn take(&mut self, key: &str) -> Option<Stored> {
        let stored = self.by_id.remove(key)?;
        self.order.remove(&stored.scope, &stored.order);
        for index in &mut self.indexes {
            index.remove(&stored.object, &stored.order);
        }
        Some(stored)
    }

    /// The stored objects whose `field` is `value`, newest first: through the field's index
    /// where the resource keeps one ([`Emulate::indexed_fields`]), by looking at every object
    /// otherwise.
    fn objects_where<'a>(&'a self, field: &str, value: &str) -> Vec<&'a Object> {
        match self.indexes.iter().find(|index| index.field() == field) {
            Some(index) => index.keys(value).filter_map(|key| self.get(key)).collect(),
            None => self
                .order
                .all()
                .filter_map(|key| self.get(key))
                .filter(|object| object.get(field).and_then(Value::as_str) == Some(value))
                .collect(),
        }
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
    /// When the clock's changes were last stored (see `settle_clock`).
    settled_at: i64,
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
            settled_at: clock.now(),
            clock: Arc::clone(&clock),
            outbox: Arc::new(Outbox::new(clock)),
            forward: None,
            base_url: "http://emulator.invalid".to_owned(),
            sequence: 0,
        }
    }

    /// Sets how many idempotency keys are remembered at most.
    pub(crate) fn set_idempotency_capacity(&mut self, keys: usize) {
        let now = self.now();
        self.replays.set_capacity(keys, now);
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
            webhooks: self.outbox.counts(),
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
            scheduled_events: R::scheduled_events,
            secret_fields: R::secret_fields(),
            on_delete: R::on_delete,
            list_filters: R::list_filters(),
            oldest_first: R::listed_oldest_first(),
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
            indexes: R::indexed_fields()
                .iter()
                .map(|field| FieldIndex::new(field))
                .collect(),
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
                // The objects kept, in the indexes this registration asks for.
                for (key, stored) in &existing.by_id {
                    for index in &mut existing.indexes {
                        index.insert(&stored.object, stored.order, key);
                    }
                }
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
        let Some(object) = self.collections[index].replace(&key, object) else {
            return;
        };
        self.sequence += 1;
        let created = object
            .get("created")
            .and_then(Value::as_i64)
            .unwrap_or_default();
        let stored = Stored {
            order: (Reverse(created), Reverse(self.sequence)),
            scope: scope.to_vec(),
            object,
        };
        self.collections[index].put(key, stored);
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

    pub(crate) fn objects_where(&self, path: &str, field: &str, value: &str) -> Vec<&Object> {
        self.collections
            .iter()
            .find(|c| c.path == path)
            .map(|c| c.objects_where(field, value))
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

    /// Removes an object, and its upload.
    fn remove(&mut self, index: usize, key: &str) {
        if let Some(stored) = self.collections[index].take(key) {
            self.drop_upload_of(&stored.object);
        }
    }

    /// Drops the upload kept for `object`, if any.
    fn drop_upload_of(&mut self, object: &Object) {
        if let Some(id) = object.get("id").and_then(Value::as_str) {
            self.uploads.remove(id);
        }
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

/// The emulator's own 500: a mistake in a resource's declaration or hooks, not in the request.
pub(crate) fn internal(message: impl Into<String>) -> Rejection {
    Rejection {
        type_: "api_error",
        ..Rejection::invalid_request(message).status(500)
    }
}

/// A JSON answer's bytes, written straight into a buffer (not through `Display`).
fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    // Writing JSON values into a `Vec` cannot fail: their keys are strings.
    serde_json::to_vec(value).unwrap_or_default()
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
    fn tokens_are_alphanumeric_and_distinct() {
        let a = token(24);
        assert_eq!(a.len(), 24);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, token(24));
    }
}
