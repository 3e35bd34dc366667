//! How a declared resource plugs into the emulator: the operations it serves, and hooks for
//! behaviour the generic rules cannot know (validation, computed fields).

use std::cell::RefCell;
use std::marker::PhantomData;

use resource_core::{
    Creatable, Declared, Deletable, Listable, Operation, Retrievable, RetrieveParams,
    StripeResource, Updatable,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::decode::decode_params;
use crate::engine::Engine;
use crate::rejection::Rejection;

/// A stored object: its JSON fields.
pub type Object = serde_json::Map<String, serde_json::Value>;

/// Reads one operation's parameters into typed JSON (see [`decode_params`]).
pub(crate) type Decoder = fn(&[(String, String)]) -> Result<Object, Rejection>;

/// What an action does to its object: `object` is the object as stored (computed fields
/// refreshed), `params` the request's parameters as the action's params type reads them. Changes
/// `object` in place, or answers a rejection and changes nothing.
pub type ActionHook = fn(&mut Object, &Object, &Context<'_>) -> Result<(), Rejection>;

/// An action served on an object: its operation (method and path template, from the
/// declaration), the decoder of its params type and its hook.
#[derive(Clone, Copy)]
pub(crate) struct ActionRoute {
    pub(crate) operation: Operation,
    pub(crate) decode: Decoder,
    pub(crate) hook: ActionHook,
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
pub trait Emulate: StripeResource + Serialize + 'static {
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

    /// Refreshes computed fields before the object is shown (for example `expired` against the
    /// emulator's clock).
    fn on_show(object: &mut Object, context: &Context<'_>) {
        let _ = (object, context);
    }

    /// Answers a `GET` of a public URL this resource hands out (such as a link's `url`), without
    /// authentication: the id of the object whose upload to send, a rejection, or `None` when
    /// `path` is not one of this resource's.
    fn serve(path: &str, context: &Context<'_>) -> Option<Result<String, Rejection>> {
        let _ = (path, context);
        None
    }
}

/// A create a hook asked for: the collection path and the form pairs.
pub(crate) type LaterCreate = (String, Vec<(String, String)>);

/// What the emulator knows of an uploaded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadInfo<'a> {
    /// The filename it was sent with.
    pub filename: &'a str,
    /// The content type it was sent with.
    pub content_type: &'a str,
    /// Its size in bytes.
    pub size: usize,
}

/// What hooks may look at: the clock, the emulator's public URL, stored objects and uploads; and
/// what they may ask for: objects to create once the current one is stored.
pub struct Context<'a> {
    pub(crate) engine: &'a Engine,
    pub(crate) now: i64,
    pub(crate) later: RefCell<Vec<LaterCreate>>,
    pub(crate) refusal: RefCell<Option<Rejection>>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(engine: &'a Engine) -> Self {
        Context {
            engine,
            now: engine.now(),
            later: RefCell::new(Vec::new()),
            refusal: RefCell::new(None),
        }
    }

    /// From an action's hook: answers `rejection` once the object, as the hook left it, is
    /// stored, as Stripe does for a declined payment (the intent keeps its
    /// `last_payment_error`, the answer is the card error). Elsewhere a hook refuses by
    /// returning its rejection, and nothing is stored.
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

    /// The stored object `id` of the collection at `path` (such as `/v1/files`).
    #[must_use]
    pub fn find(&self, path: &str, id: &str) -> Option<&'a Object> {
        self.engine.lookup(path, id)
    }

    /// Every stored object of the collection at `path`, newest first.
    #[must_use]
    pub fn objects(&self, path: &str) -> Vec<&'a Object> {
        self.engine.objects(path)
    }

    /// The upload a request's file parameter refers to (its value, as the params carry it).
    #[must_use]
    pub fn upload(&self, reference: &str) -> Option<UploadInfo<'a>> {
        self.engine.upload(reference)
    }

    /// Creates an object of the collection at `path` from form `pairs` once the current object is
    /// stored, as a request would (its hooks run; a rejection fails the whole request).
    pub fn create_later(&self, path: &str, pairs: Vec<(String, String)>) {
        self.later.borrow_mut().push((path.to_owned(), pairs));
    }

    /// A random token of letters and digits, for ids and URLs.
    #[must_use]
    pub fn token(&self, len: usize) -> String {
        crate::engine::token(len)
    }
}

/// The operations a resource serves, with their parameter decoders.
pub struct Routes<R> {
    pub(crate) create: Option<Decoder>,
    pub(crate) retrieve: Option<Decoder>,
    pub(crate) update: Option<Decoder>,
    pub(crate) delete: bool,
    pub(crate) list: Option<Decoder>,
    pub(crate) search: Option<Decoder>,
    pub(crate) actions: Vec<ActionRoute>,
    resource: PhantomData<fn() -> R>,
}

impl<R> Default for Routes<R> {
    fn default() -> Self {
        Routes {
            create: None,
            retrieve: None,
            update: None,
            delete: false,
            list: None,
            search: None,
            actions: Vec::new(),
            resource: PhantomData,
        }
    }
}

impl<R: Emulate> Routes<R> {
    /// Serves `POST {path}` with the declaration's create parameters.
    pub fn create(&mut self) -> &mut Self
    where
        R: Creatable,
        R::CreateParams: DeserializeOwned,
    {
        self.create = Some(decode_params::<R::CreateParams>);
        self
    }

    /// Serves `GET {path}/{id}` (with `expand`).
    pub fn retrieve(&mut self) -> &mut Self
    where
        R: Retrievable,
    {
        self.retrieve = Some(decode_params::<RetrieveParams>);
        self
    }

    /// Serves `POST {path}/{id}` with the declaration's update parameters.
    pub fn update(&mut self) -> &mut Self
    where
        R: Updatable,
        R::UpdateParams: DeserializeOwned,
    {
        self.update = Some(decode_params::<R::UpdateParams>);
        self
    }

    /// Serves `DELETE {path}/{id}`.
    pub fn delete(&mut self) -> &mut Self
    where
        R: Deletable,
    {
        self.delete = true;
        self
    }

    /// Serves the action `name` of the declaration on one object (such as `confirm`, declared
    /// `action(confirm, post = "{id}/confirm", params = ConfirmPaymentIntent)`): its parameters
    /// read as `P`, the object changed by `hook`, stored, and answered. Not served (yet): an
    /// action the declaration does not list, one not on a single object (no `{id}`), and one
    /// under a parent (its `{parent}` placeholder matches no request).
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
    ) -> &mut Self
    where
        R: Declared,
    {
        let operation = R::DECLARATION
            .operations
            .iter()
            .find(|operation| operation.name == name && operation.path.contains("{id}"));
        if let Some(&operation) = operation {
            self.actions.push(ActionRoute {
                operation,
                decode: decode_params::<P>,
                hook,
            });
        }
        self
    }

    /// Serves `GET {path}/search` with [`SearchParams`](resource_core::SearchParams): a useful
    /// subset of Stripe's search query language (`field:'value'`, `field~'sub'`,
    /// `metadata['key']:'value'`, `created>N` and the other comparisons, `AND` or `OR`, `-`),
    /// newest first, paged with opaque `next_page` tokens.
    pub fn search(&mut self) -> &mut Self {
        self.search = Some(decode_params::<resource_core::SearchParams>);
        self
    }

    /// Serves `GET {path}` with the declaration's list parameters.
    pub fn list(&mut self) -> &mut Self
    where
        R: Listable,
        R::ListParams: DeserializeOwned,
    {
        self.list = Some(decode_params::<R::ListParams>);
        self
    }
}
