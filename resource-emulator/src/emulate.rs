//! How a declared resource plugs into the emulator: the operations it serves, and hooks for
//! behaviour the generic rules cannot know (validation, computed fields).

use std::cell::RefCell;
use std::marker::PhantomData;

use resource_core::{Declaration, Declared, Declares, Operation, kind};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::decode::decode_params;
use crate::engine::{Engine, internal};
use crate::event_types::is_event_type;
use crate::events::Emitted;
use crate::rejection::Rejection;

/// A stored object: its JSON fields.
pub type Object = serde_json::Map<String, Value>;

/// Reads one operation's parameters into typed JSON (see [`decode_params`]).
pub(crate) type Decoder = fn(&[(String, String)]) -> Result<Object, Rejection>;

/// What an action does to its object: `object` is the object as stored (computed fields
/// refreshed), `params` the request's parameters as the action's params type reads them. Changes
/// `object` in place, or answers a rejection and changes nothing.
pub type ActionHook = fn(&mut Object, &Object, &Context<'_>) -> Result<(), Rejection>;

/// What a served operation does.
#[derive(Clone, Copy)]
pub(crate) enum Behaviour {
    Create,
    Retrieve,
    Update,
    Delete,
    List,
    Search,
    /// Changes one object with a hook, then stores and answers it.
    Action(ActionHook),
    /// Lists the objects of the collection at this path template.
    ListOf(&'static str),
}

/// One served operation: its method and path template (from the declaration), the decoder of
/// its params type and what it does.
#[derive(Clone, Copy)]
pub(crate) struct Served {
    pub(crate) operation: Operation,
    pub(crate) decode: Decoder,
    pub(crate) behaviour: Behaviour,
}

/// A resource the emulator can serve.
///
/// The declaration gives the path, id prefix and object name; `routes` says which operations to
/// serve (their parameters types, which must also derive `Deserialize`, are the schema: unknown
/// parameters, missing required ones and malformed values are rejected as Stripe rejects them).
/// The hooks add what generic rules cannot know; each defaults to doing nothing.
///
/// ```ignore
/// impl Emulate for Customer {
///     fn routes(routes: &mut Routes<Self>) {
///         routes.create().retrieve().update().delete().list();
///     }
/// }
/// ```
pub trait Emulate: Declared + Serialize + DeserializeOwned + 'static {
    /// The operations to serve: normally every operation the declaration lists.
    fn routes(routes: &mut Routes<Self>);

    /// Fields that hold the id of another object which `expand` replaces by the object, with the
    /// collection path of that object: `&[("file", "/v1/files")]`.
    fn expandable() -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// Validates and completes a new object; the generic rules have already applied `params`.
    ///
    /// # Errors
    ///
    /// The [`Rejection`] to answer with; nothing is stored.
    fn on_create(
        object: &mut Object,
        params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        let _ = (object, params, context);
        Ok(())
    }

    /// Validates and completes an update; `before` is the object as it was, `object` has `params`
    /// applied by the generic rules.
    ///
    /// # Errors
    ///
    /// The [`Rejection`] to answer with; nothing is changed.
    fn on_update(
        before: &Object,
        object: &mut Object,
        params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        let _ = (before, object, params, context);
        Ok(())
    }

    /// The prefix Stripe names this resource's events with, where it is neither the object's
    /// name nor, for a nested resource, the parent's and the collection's: subscriptions emit
    /// `customer.subscription.created`.
    fn event_prefix() -> Option<&'static str> {
        None
    }

    /// Fields to index its objects by, for [`Context::objects_where`] (a file link's `file`):
    /// finding the objects whose field holds a value then costs those objects only. None by
    /// default.
    fn indexed_fields() -> &'static [&'static str] {
        &[]
    }

    /// Whether its lists show the objects oldest first, in the order they were made (as Stripe
    /// lists a checkout session's line items), rather than newest first.
    fn listed_oldest_first() -> bool {
        false
    }

    /// The list parameters this resource applies itself, in [`listed`](Emulate::listed),
    /// rather than by the generic rule (the field equals the value; a parameter that is no
    /// field is refused).
    fn list_filters() -> &'static [&'static str] {
        &[]
    }

    /// Refuses a list's parameters as a whole, before anything is listed: parameters that
    /// exclude each other (events take `type` or `types`, not both), too many values.
    ///
    /// # Errors
    ///
    /// The [`Rejection`] to answer with.
    fn check_list(params: &Object) -> Result<(), Rejection> {
        let _ = params;
        Ok(())
    }

    /// Whether `object` (as shown) belongs in a list asked with `params`, besides the generic
    /// filters: Stripe leaves canceled subscriptions out unless `status` asks for them.
    fn listed(object: &Object, params: &Object) -> bool {
        let _ = (object, params);
        true
    }

    /// Whether the object may be deleted (Stripe refuses to delete a product that has prices).
    ///
    /// # Errors
    ///
    /// The [`Rejection`] to answer with; nothing is deleted.
    fn on_delete(object: &Object, context: &Context<'_>) -> Result<(), Rejection> {
        let _ = (object, context);
        Ok(())
    }

    /// Fields Stripe shows only in the answer of the create that made them (a webhook
    /// endpoint's `secret`): kept, but left out of every other answer and of events.
    fn secret_fields() -> &'static [&'static str] {
        &[]
    }

    /// The fields computed when the object is shown, which replace the stored ones in the
    /// answer (for example `expired` against the emulator's clock, or a balance summed from
    /// other objects); none by default. Where they are as stored the object is shown without
    /// a copy: a page of 100 is written straight from the store.
    ///
    /// ```ignore
    /// fn on_show(link: &Object, context: &Context<'_>) -> Object {
    ///     let expired = link["expires_at"].as_i64().is_some_and(|at| at <= context.now());
    ///     Object::from_iter([("expired".to_owned(), expired.into())])
    /// }
    /// ```
    fn on_show(object: &Object, context: &Context<'_>) -> Object {
        let _ = (object, context);
        Object::new()
    }

    /// The clock moved ([`Emulator::advance`](crate::Emulator::advance)) and changed what
    /// [`on_show`](Emulate::on_show) computes for the object: `before` as it was stored,
    /// `object` as it is now, about to be stored. The engine emits `{prefix}.updated` (with
    /// `previous_attributes`, no request); emit here what else Stripe emits
    /// (`checkout.session.expired`): the hook may change `object` and emit, nothing else (no
    /// request follows it to make or refuse anything). Nothing by default.
    ///
    /// ```ignore
    /// fn on_clock(before: &Object, session: &mut Object, context: &Context<'_>) {
    ///     if before["status"] == "open" && session["status"] == "expired" {
    ///         let _ = context.emit("checkout.session.expired");
    ///     }
    /// }
    /// ```
    fn on_clock(before: &Object, object: &mut Object, context: &Context<'_>) {
        let _ = (before, object, context);
    }

    /// Events Stripe emits about the object at a time of their own, the object unchanged: each
    /// type with its time (Unix seconds), such as `customer.subscription.trial_will_end` three
    /// days before a trial ends. Emitted, with no request, when the clock moves past that time
    /// ([`Emulator::advance`](crate::Emulator::advance)); only types Stripe has. None by default.
    fn scheduled_events(object: &Object) -> Vec<(i64, &'static str)> {
        let _ = object;
        Vec::new()
    }

    /// Answers a `GET` of a URL this resource serves outside its declared routes, such as a
    /// file's contents or a link's `url`: who may fetch it and the id of the object whose upload
    /// to send (or a rejection), or `None` when `path` is not one of this resource's.
    ///
    /// The engine checks the [`Access`] first: a [`Access::SecretKey`] URL answers Stripe's 401
    /// to a request without a valid test-mode secret key, whatever the resource would answer.
    /// An upload is sent as an attachment with its content type, its filename and
    /// `X-Content-Type-Options: nosniff`.
    ///
    /// ```ignore
    /// fn serve(path: &str, context: &Context<'_>) -> Option<Download> {
    ///     let id = path.strip_prefix("/v1/files/")?.strip_suffix("/contents")?;
    ///     let found = context.find("/v1/files", id).map(|_| id.to_owned());
    ///     Some(Download::with_key(found.ok_or_else(|| Rejection::no_such("file", id, "id"))))
    /// }
    /// ```
    fn serve(path: &str, context: &Context<'_>) -> Option<Download> {
        let _ = (path, context);
        None
    }
}

/// Who may fetch a URL a resource serves outside its declared routes (see [`Emulate::serve`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Only a request with a valid test-mode secret key, as any API request (401 otherwise):
    /// Stripe's `/v1/files/{id}/contents`.
    SecretKey,
    /// Anyone who has the URL, with no key: a file link's `url`.
    Public,
}

/// What a resource answers at a URL it serves outside its declared routes (see
/// [`Emulate::serve`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// Who may fetch it: checked before anything else is answered.
    pub access: Access,
    /// The id of the object whose upload to send, or the rejection to answer.
    pub upload_of: Result<String, Rejection>,
}

impl Download {
    /// Answers `upload_of` to a request with the secret key only (401 to any other).
    #[must_use]
    pub fn with_key(upload_of: Result<String, Rejection>) -> Self {
        Download {
            access: Access::SecretKey,
            upload_of,
        }
    }

    /// Answers `upload_of` to anyone who has the URL.
    #[must_use]
    pub fn public(upload_of: Result<String, Rejection>) -> Self {
        Download {
            access: Access::Public,
            upload_of,
        }
    }
}

/// An object a hook asked for, made once the current one is stored: at a collection path
/// (a nested one filled with its parents' ids), through its create route from form pairs, or
/// stored from fields as they are.
pub(crate) enum Later {
    /// A request: method, path, form pairs.
    Call(String, String, Vec<(String, String)>),
    Insert(String, Object),
    /// The collection's path, the object's id, the fields to set.
    Update(String, String, Object),
}

/// What the emulator knows of a file uploaded in the current request. The upload is kept only
/// if the request succeeds, as the upload of the object it created (see [`Emulate::serve`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadInfo<'a> {
    /// The filename it was sent with.
    pub filename: &'a str,
    /// The content type it was sent with.
    pub content_type: &'a str,
    /// Its size in bytes.
    pub size: usize,
}

/// What hooks asked for while one request was handled: objects to make and events to emit.
#[derive(Default)]
pub(crate) struct Asked {
    pub(crate) later: Vec<Later>,
    pub(crate) emitted: Vec<Emitted>,
    pub(crate) refusal: Option<Rejection>,
}

/// What hooks may look at: the clock, the emulator's public URL, stored objects and uploads; and
/// what they may ask for: objects to create once the current one is stored, events to emit.
pub struct Context<'a> {
    pub(crate) engine: &'a Engine,
    pub(crate) now: i64,
    pub(crate) later: RefCell<Vec<Later>>,
    pub(crate) emitted: RefCell<Vec<Emitted>>,
    pub(crate) refusal: RefCell<Option<Rejection>>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(engine: &'a Engine) -> Self {
        Context::at(engine, engine.now())
    }

    /// A context whose clock reads `now`.
    pub(crate) fn at(engine: &'a Engine, now: i64) -> Self {
        Context {
            engine,
            now,
            later: RefCell::new(Vec::new()),
            emitted: RefCell::new(Vec::new()),
            refusal: RefCell::new(None),
        }
    }

    /// What the hooks asked for.
    pub(crate) fn into_asked(self) -> Asked {
        Asked {
            later: self.later.into_inner(),
            emitted: self.emitted.into_inner(),
            refusal: self.refusal.into_inner(),
        }
    }

    /// Emits the event `type_` about the object the hook is handling, as Stripe does for what
    /// an action did (`payment_intent.succeeded`, `checkout.session.expired`): once the request
    /// succeeds (or is refused after storing, see
    /// [`refuse_after_storing`](Context::refuse_after_storing)), an event whose `data.object`
    /// is the object as answered; a `*.updated` one carries `data.previous_attributes`, and is
    /// left out when nothing changed. The engine emits `{object}.created`, `.updated` and
    /// `.deleted` itself; a hook names the others. Emitted from `on_create`, `on_update`,
    /// `on_delete` and actions; elsewhere (`on_show`, `serve`) nothing is emitted.
    ///
    /// ```ignore
    /// context.emit("payment_intent.succeeded")?;
    /// ```
    ///
    /// # Errors
    ///
    /// A 500 when Stripe has no event of that type (see [`EVENT_TYPES`](crate::EVENT_TYPES)):
    /// a mistake in the hook, not in the request.
    pub fn emit(&self, type_: &str) -> Result<(), Rejection> {
        self.push_emitted(type_, None)
    }

    /// Emits the event `type_` about `object`, another object than the one the hook is
    /// handling (the charge a refund refunds: `charge.refunded`), as [`emit`](Context::emit)
    /// does; `object` is its `data.object` as given.
    ///
    /// # Errors
    ///
    /// As [`emit`](Context::emit).
    pub fn emit_about(&self, type_: &str, object: Object) -> Result<(), Rejection> {
        self.push_emitted(type_, Some(object))
    }

    fn push_emitted(&self, type_: &str, about: Option<Object>) -> Result<(), Rejection> {
        if !is_event_type(type_) {
            return Err(internal(format!(
                "a hook emitted `{type_}`, which is not an event type Stripe has"
            )));
        }
        self.emitted.borrow_mut().push(Emitted {
            type_: type_.to_owned(),
            about,
        });
        Ok(())
    }

    /// From `on_create`, `on_update` or an action's hook: answers `rejection` once the object,
    /// as the hook left it, is stored (with its events), as Stripe does for a declined payment
    /// (the intent keeps its `last_payment_error`, the answer is the card error, whether the
    /// intent was confirmed by `confirm` or by a create with `confirm=true`). A hook that
    /// returns its rejection instead refuses the request, and nothing is stored.
    pub fn refuse_after_storing(&self, rejection: Rejection) {
        *self.refusal.borrow_mut() = Some(rejection);
    }

    /// The emulator's clock, in Unix seconds.
    #[must_use]
    pub fn now(&self) -> i64 {
        self.now
    }

    /// The URL the emulator is reached at (for links it hands out).
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.engine.base_url
    }

    /// The stored object `id` of the collection at `path` (such as `/v1/files`; a nested
    /// collection by its template, `/v1/customers/{customer}/balance_transactions`).
    #[must_use]
    pub fn find(&self, path: &str, id: &str) -> Option<&'a Object> {
        self.engine.lookup(path, id)
    }

    /// Every stored object of the collection at `path`, newest first (a nested collection's
    /// newest first under each parent: see [`children`](Context::children)).
    #[must_use]
    pub fn objects(&self, path: &str) -> Vec<&'a Object> {
        self.engine.objects(path)
    }

    /// The stored objects of the collection at `path` whose `field` is the text `value`, newest
    /// first (a file's links: `objects_where("/v1/file_links", "file", "file_123")`): at the
    /// cost of those objects where the resource indexes the field
    /// ([`Emulate::indexed_fields`]), of the whole collection otherwise.
    #[must_use]
    pub fn objects_where(&self, path: &str, field: &str, value: &str) -> Vec<&'a Object> {
        self.engine.objects_where(path, field, value)
    }

    /// The stored objects of the nested collection at `path` under the parents `parents`
    /// (their ids, outermost first: `&["cus_123"]` for
    /// `/v1/customers/{customer}/balance_transactions`), newest first. It costs what they
    /// are, not what the whole collection is.
    #[must_use]
    pub fn children(&self, path: &str, parents: &[&str]) -> Vec<&'a Object> {
        self.engine.children(path, parents)
    }

    /// The upload a request's file parameter refers to (its value, as the params carry it), while
    /// that request is handled.
    #[must_use]
    pub fn upload(&self, reference: &str) -> Option<UploadInfo<'a>> {
        self.engine.upload(reference)
    }

    /// Creates an object of the collection at `path` (a nested one's filled with its parent's
    /// id: `/v1/customers/cus_123/balance_transactions`) from form `pairs` once the current
    /// object is stored, as a request would (its hooks run; a rejection fails the whole request):
    /// [`call_later`](Context::call_later) with `POST`.
    pub fn create_later(&self, path: &str, pairs: Vec<(String, String)>) {
        self.call_later("POST", path, pairs);
    }

    /// Sends the request `method` `path` with form `pairs` once the current object is stored,
    /// through the operation's route and hooks as a client's request would go (its events
    /// emitted, a rejection failing the whole request): a deleted customer's subscriptions are
    /// canceled with `("DELETE", "/v1/subscriptions/sub_123", vec![])`, as Stripe cancels them.
    /// Undone with the rest when a later step fails (an object it deleted comes back without
    /// what was nested under it).
    pub fn call_later(&self, method: &str, path: &str, pairs: Vec<(String, String)>) {
        self.later
            .borrow_mut()
            .push(Later::Call(method.to_owned(), path.to_owned(), pairs));
    }

    /// Stores an object of the collection at `path` (filled as for
    /// [`create_later`](Context::create_later)) made of `fields`, plus a fresh id, `object`,
    /// `created` and `livemode`, once the current object is stored: for objects the API makes
    /// but cannot be asked to create (a payment's balance transaction, a session's line items).
    /// The id it will have, drawn now unless `fields` holds one, so that the current object can
    /// name it; `None` for a singleton or a path no resource has.
    pub fn insert_later(&self, path: &str, mut fields: Object) -> Option<String> {
        let id = match fields.get("id").and_then(Value::as_str) {
            Some(id) => Some(id.to_owned()),
            None => self.engine.new_id(path),
        };
        if let Some(id) = &id {
            fields.insert("id".to_owned(), Value::String(id.clone()));
        }
        self.later
            .borrow_mut()
            .push(Later::Insert(path.to_owned(), fields));
        id
    }

    /// How many of the event `id`'s webhook deliveries are not made (waiting or given up).
    pub(crate) fn pending_webhooks(&self, id: &str) -> usize {
        self.engine.pending_webhooks(id)
    }

    /// Sets `fields` of the stored object `id` of the collection at `path` (filled as for
    /// [`create_later`](Context::create_later)) once the current object is stored, as the API
    /// changes objects on its own (a customer's `balance` when one of its balance transactions
    /// is made; the default external account that is no longer one): no hook runs, and
    /// `{prefix}.updated` is emitted with what changed. An object that does not exist, or no
    /// longer decodes as its type, fails the whole request.
    pub fn update_later(&self, path: &str, id: &str, fields: Object) {
        self.later
            .borrow_mut()
            .push(Later::Update(path.to_owned(), id.to_owned(), fields));
    }

    /// A random token of letters and digits, for ids and URLs.
    #[must_use]
    pub fn token(&self, len: usize) -> String {
        crate::engine::token(len)
    }
}

/// The operations a resource serves, each as its declaration gives it (method, path template,
/// parameters type), whatever the shape: top-level, nested under a parent, or a singleton.
pub struct Routes<R> {
    pub(crate) served: Vec<Served>,
    /// Whether a deleted object is answered in its deleted form (see [`Routes::retrieve`]).
    pub(crate) answers_deleted: bool,
    resource: PhantomData<fn() -> R>,
}

impl<R> Default for Routes<R> {
    fn default() -> Self {
        Routes {
            served: Vec::new(),
            answers_deleted: false,
            resource: PhantomData,
        }
    }
}

impl<R: Emulate> Routes<R> {
    fn serve<K>(&mut self, behaviour: Behaviour) -> &mut Self
    where
        R: Declares<K>,
        <R as Declares<K>>::Params: DeserializeOwned + Serialize,
    {
        self.served.push(Served {
            operation: <R as Declares<K>>::OPERATION,
            decode: decode_params::<<R as Declares<K>>::Params>,
            behaviour,
        });
        self
    }

    /// Serves the declared `create`: a new object from its parameters (a nested one under its
    /// parent, which must exist, and carrying the parent's id in the field named like the
    /// path's placeholder, where it has one).
    pub fn create(&mut self) -> &mut Self
    where
        R: Declares<kind::Create>,
        <R as Declares<kind::Create>>::Params: DeserializeOwned + Serialize,
    {
        self.serve::<kind::Create>(Behaviour::Create)
    }

    /// Serves the declared `retrieve` (with `expand`). Where its declared answer can hold the
    /// deleted form (`retrieve(returns = OrDeleted<Self>)`), a deleted object is answered in
    /// that form, as Stripe answers a deleted customer; otherwise it is gone (404).
    pub fn retrieve(&mut self) -> &mut Self
    where
        R: Declares<kind::Retrieve>,
        <R as Declares<kind::Retrieve>>::Params: DeserializeOwned + Serialize,
        <R as Declares<kind::Retrieve>>::Answer: DeserializeOwned + Serialize,
    {
        self.answers_deleted =
            holds_deleted_form::<<R as Declares<kind::Retrieve>>::Answer>(&R::DECLARATION);
        self.serve::<kind::Retrieve>(Behaviour::Retrieve)
    }

    /// Serves the declared `update`.
    pub fn update(&mut self) -> &mut Self
    where
        R: Declares<kind::Update>,
        <R as Declares<kind::Update>>::Params: DeserializeOwned + Serialize,
    {
        self.serve::<kind::Update>(Behaviour::Update)
    }

    /// Serves the declared `delete` (with its parameters, when it declares some); the object's
    /// children (the objects nested under it) go with it.
    pub fn delete(&mut self) -> &mut Self
    where
        R: Declares<kind::Delete>,
        <R as Declares<kind::Delete>>::Params: DeserializeOwned + Serialize,
    {
        self.serve::<kind::Delete>(Behaviour::Delete)
    }

    /// Serves the declared `list`: newest first, paged with `limit`, `starting_after` and
    /// `ending_before` (whatever the params type declares), a nested list showing its parent's
    /// children only.
    pub fn list(&mut self) -> &mut Self
    where
        R: Declares<kind::List>,
        <R as Declares<kind::List>>::Params: DeserializeOwned + Serialize,
    {
        self.serve::<kind::List>(Behaviour::List)
    }

    /// Serves the declared `search`: a useful subset of Stripe's search query language
    /// (`field:'value'`, `field~'sub'`, `metadata['key']:'value'`, `created>N` and the other
    /// comparisons, `AND` or `OR`, `-`), newest first, paged with opaque `next_page` tokens.
    pub fn search(&mut self) -> &mut Self
    where
        R: Declares<kind::Search>,
        <R as Declares<kind::Search>>::Params: DeserializeOwned + Serialize,
    {
        self.serve::<kind::Search>(Behaviour::Search)
    }

    /// Serves the action `name` of the declaration (such as `confirm`, declared
    /// `action(confirm, post = "{id}/confirm", params = ConfirmPaymentIntent)`): its parameters
    /// read as `P`, the object (the one its `{id}` names, or the singleton) changed by `hook`,
    /// stored, and answered. An action the declaration does not list is not served, nor one on
    /// a whole collection (no `{id}`, not a singleton).
    ///
    /// ```ignore
    /// routes.action::<CloseTicket>("close", |ticket, _params, _context| {
    ///     if ticket["status"] == "closed" {
    ///         return Err(Rejection::invalid_request("This ticket is already closed."));
    ///     }
    ///     ticket.insert("status".into(), "closed".into());
    ///     Ok(())
    /// });
    /// ```
    pub fn action<P: DeserializeOwned + Serialize>(
        &mut self,
        name: &str,
        hook: ActionHook,
    ) -> &mut Self {
        let declaration = R::DECLARATION;
        let on_one =
            |operation: &&Operation| operation.path.contains("{id}") || declaration.singleton;
        self.declared_action::<P>(name, Behaviour::Action(hook), on_one)
    }

    /// Serves the action `name` that lists another resource's objects at another path (such as
    /// `GET /v1/balance/history`, declared on the balance with `list = BalanceTransaction`): the
    /// objects of `T`'s collection, as `T`'s own list shows them, with parameters read as `P`.
    pub fn list_of<P: DeserializeOwned + Serialize, T: Declared>(
        &mut self,
        name: &str,
    ) -> &mut Self {
        self.declared_action::<P>(name, Behaviour::ListOf(T::DECLARATION.path), |_| true)
    }

    fn declared_action<P: DeserializeOwned + Serialize>(
        &mut self,
        name: &str,
        behaviour: Behaviour,
        servable: impl Fn(&&Operation) -> bool,
    ) -> &mut Self {
        let operation = R::DECLARATION
            .operations
            .iter()
            .filter(|operation| operation.name == name)
            .find(servable);
        if let Some(&operation) = operation {
            self.served.push(Served {
                operation,
                decode: decode_params::<P>,
                behaviour,
            });
        }
        self
    }
}

/// Whether `A` (a retrieve's declared answer) reads `{"id", "object", "deleted": true}` as a
/// deleted form: it decodes, and says `deleted` when written back.
fn holds_deleted_form<A: DeserializeOwned + Serialize>(declaration: &Declaration) -> bool {
    let id = if declaration.prefix.is_empty() {
        "probe".to_owned()
    } else {
        format!("{}_probe", declaration.prefix)
    };
    let deleted = serde_json::json!({"id": id, "object": declaration.object, "deleted": true});
    serde_json::from_value::<A>(deleted)
        .ok()
        .and_then(|answer| serde_json::to_value(answer).ok())
        .is_some_and(|shown| shown.get("deleted") == Some(&Value::Bool(true)))
}
