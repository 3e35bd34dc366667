//! The client: builds requests exactly like Stripe's official SDKs, retries them, decodes answers.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::answer::FromResponse;
use crate::body::Body;
use crate::error::{ApiError, ApiErrorBody, DecodeError, Error, ErrorKind, excerpt};
use crate::form;
use crate::operation::Operation;
use crate::path;
use crate::proxy::{self, Proxy, ProxyUrl};
use crate::random;
use crate::resource::{Encoding, Host};
use crate::retry::RetryPolicy;
use crate::transport::{
    MAX_RESPONSE_BYTES, Request, Response, StreamedResponse, Transport, TransportError,
};

/// Where requests go unless [`ClientBuilder::base_url`] says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.stripe.com";

/// Where uploads go unless [`ClientBuilder::files_base_url`] says otherwise.
pub const DEFAULT_FILES_BASE_URL: &str = "https://files.stripe.com";

/// The `Stripe-Version` sent unless overridden: the API version the shipped types follow.
pub const DEFAULT_API_VERSION: &str = "2026-01-28.clover";

/// The longest idempotency key Stripe accepts.
const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;

/// How much of an unexpected body an error quotes.
const EXCERPT_CHARS: usize = 200;

const USER_AGENT: &str = concat!("Stripe/v1 RustResourceCore/", env!("CARGO_PKG_VERSION"));

/// The HTTP methods Stripe's v1 API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: parameters in the query string, no body.
    Get,
    /// `POST`: parameters form-encoded in the body.
    Post,
    /// `DELETE`: parameters in the query string, no body.
    Delete,
}

impl Method {
    /// The method's name on the wire.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Per-request settings: a derived [`Client`] carries them on every call it makes.
///
/// ```
/// use resource_core::RequestOptions;
///
/// let options = RequestOptions::new()
///     .idempotency_key("order-6735-link")
///     .stripe_account("acct_123")
///     .api_version("2024-06-20");
/// # let _ = options;
/// ```
///
/// Its `Debug` output shows the names of added [`header`](Self::header)s but never their
/// values, which may be credentials.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RequestOptions {
    idempotency_key: Option<String>,
    stripe_account: Option<String>,
    api_version: Option<String>,
    headers: Vec<(String, String)>,
}

impl RequestOptions {
    /// No options: everything as the client was built.
    #[must_use]
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Sends this `Idempotency-Key` instead of a fresh one per call (at most 255 characters).
    ///
    /// Every call made through a client carrying it sends the same key, `GET`s included, as the
    /// official SDKs do; Stripe answers a repeated `POST` with the first answer.
    #[must_use]
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Acts on behalf of a connected account (`Stripe-Account`).
    #[must_use]
    pub fn stripe_account(mut self, account: impl Into<String>) -> Self {
        self.stripe_account = Some(account.into());
        self
    }

    /// Sends this `Stripe-Version`.
    #[must_use]
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Adds a header, sent after (and replacing any same-named one of) the standard headers.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// `self` with every option `newer` sets taking precedence.
    fn merged(&self, newer: RequestOptions) -> RequestOptions {
        let mut headers = self.headers.clone();
        headers.extend(newer.headers);
        RequestOptions {
            idempotency_key: newer
                .idempotency_key
                .or_else(|| self.idempotency_key.clone()),
            stripe_account: newer.stripe_account.or_else(|| self.stripe_account.clone()),
            api_version: newer.api_version.or_else(|| self.api_version.clone()),
            headers,
        }
    }
}

/// Header values are redacted (an `Authorization` header set here would show a key).
impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Redacted<'a>(&'a [(String, String)]);

        impl fmt::Debug for Redacted<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list()
                    .entries(self.0.iter().map(|(name, _)| (name, REDACTED)))
                    .finish()
            }
        }

        f.debug_struct("RequestOptions")
            .field("idempotency_key", &self.idempotency_key)
            .field("stripe_account", &self.stripe_account)
            .field("api_version", &self.api_version)
            .field("headers", &Redacted(&self.headers))
            .finish()
    }
}

/// What `Debug` shows in place of a secret.
const REDACTED: &str = "[redacted]";

type Sleeper = Arc<dyn Fn(Duration) + Send + Sync>;

/// Configures and builds a [`Client`]; see [`Client::builder`].
#[must_use]
pub struct ClientBuilder {
    secret_key: String,
    base_url: String,
    files_base_url: String,
    api_version: String,
    stripe_account: Option<String>,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    transport: Option<Arc<dyn Transport>>,
    sleeper: Option<Sleeper>,
    proxy: Proxy,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("secret_key", &"[redacted]")
            .field("base_url", &self.base_url)
            .field("files_base_url", &self.files_base_url)
            .field("api_version", &self.api_version)
            .field("stripe_account", &self.stripe_account)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("transport", &self.transport)
            .field("proxy", &self.proxy)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sends requests to `url` (scheme, host and optional port) instead of Stripe's API.
    ///
    /// Plain `http://` is accepted only for loopback hosts, so a key is never sent in the clear:
    /// such a request never goes through the environment's proxy, nor through an explicit
    /// [`proxy`](Self::proxy) that is not itself on a loopback host.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Sends uploads (operations declared with `host = "files"`) to `url` instead of
    /// [`DEFAULT_FILES_BASE_URL`]; the same rules as [`base_url`](Self::base_url) apply.
    pub fn files_base_url(mut self, url: impl Into<String>) -> Self {
        self.files_base_url = url.into();
        self
    }

    /// How many times a failed attempt is retried (default 2; 0 disables retries).
    pub fn max_network_retries(mut self, retries: u32) -> Self {
        self.retry.max_network_retries = retries;
        self
    }

    /// The retry timing and count (see [`RetryPolicy`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Acts on behalf of a connected account (`Stripe-Account` on every request).
    pub fn stripe_account(mut self, account: impl Into<String>) -> Self {
        self.stripe_account = Some(account.into());
        self
    }

    /// The `Stripe-Version` to send (default [`DEFAULT_API_VERSION`]).
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    /// The limit for one attempt, response included (default 80 s). Used by the built-in transport.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The limit for opening a connection (default 30 s). Used by the built-in transport.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sends requests through the proxy at `url` (`http://[user:password@]host[:port]`, or
    /// `https://` for TLS to the proxy), instead of the one the environment names. Used by the
    /// built-in transport; see [`Proxy`] for the rules.
    ///
    /// `https://` requests go through a `CONNECT` tunnel: the proxy sees the host name, never
    /// the key. A plain `http://` base URL (a local emulator) sends the key in clear, so it may
    /// be combined only with a proxy on a loopback host (a local debugging proxy): [`build`]
    /// refuses any other with [`ErrorKind::InvalidInput`].
    ///
    /// [`build`]: Self::build
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Proxy::Url(url.into());
        self
    }

    /// Connects directly, through no proxy: the environment's `HTTPS_PROXY`, `ALL_PROXY`, ...
    /// are ignored. Used by the built-in transport.
    ///
    /// By default the built-in transport uses the proxy the environment names when the client
    /// is built (the first of `ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY`, upper or lower case,
    /// except for hosts in `NO_PROXY`), for `https://` base URLs only: a plain `http://` base
    /// URL always connects directly.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = Proxy::Direct;
        self
    }

    /// Sends requests through `transport` instead of the built-in one.
    ///
    /// The settings for the built-in transport (timeouts, proxy) then do not apply.
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Waits between retries with `sleep` instead of [`std::thread::sleep`] (for tests and
    /// instrumentation).
    pub fn sleeper(mut self, sleep: impl Fn(Duration) + Send + Sync + 'static) -> Self {
        self.sleeper = Some(Arc::new(sleep));
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`] for an empty or malformed key, a malformed base URL, plain
    /// `http://` to a host that is not loopback, a header value with control characters, a
    /// malformed proxy URL, a plain `http://` base URL with a proxy that is not on a loopback
    /// host, or (without the `ureq` feature) no transport.
    pub fn build(self) -> Result<Client, Error> {
        if self.secret_key.is_empty() {
            return Err(Error::invalid_input("the secret key is empty"));
        }
        if !self.secret_key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid_input(
                "the secret key contains whitespace or characters that cannot be sent in a header",
            ));
        }
        let base_url = check_base_url(&self.base_url)?;
        let files_base_url = check_base_url(&self.files_base_url)?;
        check_header_value("Stripe-Version", &self.api_version)?;
        if let Some(account) = &self.stripe_account {
            check_header_value("Stripe-Account", account)?;
        }
        let transport = match self.transport {
            Some(transport) => transport,
            None => {
                if let Proxy::Url(url) = &self.proxy {
                    check_proxy(url, [&base_url, &files_base_url])?;
                }
                default_transport(self.timeout, self.connect_timeout, &self.proxy)?
            }
        };
        let client_user_agent = serde_json::json!({
            "bindings_version": env!("CARGO_PKG_VERSION"),
            "lang": "rust",
            "publisher": "resource-core",
            "platform": format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        })
        .to_string();
        Ok(Client {
            shared: Arc::new(Shared {
                transport,
                authorization: format!("Bearer {}", self.secret_key),
                base_url,
                files_base_url,
                retry: self.retry,
                sleeper: self.sleeper.unwrap_or_else(|| Arc::new(std::thread::sleep)),
                client_user_agent,
            }),
            options: Arc::new(RequestOptions {
                api_version: Some(self.api_version),
                stripe_account: self.stripe_account,
                ..RequestOptions::default()
            }),
        })
    }
}

#[cfg(feature = "ureq")]
fn default_transport(
    timeout: Duration,
    connect_timeout: Duration,
    proxy: &Proxy,
) -> Result<Arc<dyn Transport>, Error> {
    Ok(Arc::new(crate::UreqTransport::with_proxy(
        timeout,
        connect_timeout,
        proxy,
    )?))
}

#[cfg(not(feature = "ureq"))]
fn default_transport(_: Duration, _: Duration, _: &Proxy) -> Result<Arc<dyn Transport>, Error> {
    Err(Error::invalid_input(
        "no transport: enable the `ureq` feature or pass one to `ClientBuilder::transport`",
    ))
}

/// A Stripe API client. Cheap to clone (the state is shared), `Send + Sync`.
///
/// ```no_run
/// use resource_core::{Client, RequestOptions};
///
/// # fn main() -> Result<(), resource_core::Error> {
/// let client = Client::builder("sk_test_123")
///     .max_network_retries(2)
///     .stripe_account("acct_123")
///     .build()?;
/// let once = client.with_options(RequestOptions::new().idempotency_key("order-6735"));
/// # let _ = once;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    options: Arc<RequestOptions>,
}

struct Shared {
    transport: Arc<dyn Transport>,
    /// `Bearer <key>`: the only place the key lives.
    authorization: String,
    base_url: String,
    files_base_url: String,
    retry: RetryPolicy,
    sleeper: Sleeper,
    client_user_agent: String,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.shared.base_url)
            .field("files_base_url", &self.shared.files_base_url)
            .field("options", &self.options)
            .field("retry", &self.shared.retry)
            .field("transport", &self.shared.transport)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts building a client that authenticates with `secret_key`.
    pub fn builder(secret_key: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            secret_key: secret_key.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            files_base_url: DEFAULT_FILES_BASE_URL.to_owned(),
            api_version: DEFAULT_API_VERSION.to_owned(),
            stripe_account: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(80),
            connect_timeout: Duration::from_secs(30),
            transport: None,
            sleeper: None,
            proxy: Proxy::Environment,
        }
    }

    /// A client sharing this one's transport and connections, with `options` applied on top.
    #[must_use]
    pub fn with_options(&self, options: RequestOptions) -> Client {
        Client {
            shared: Arc::clone(&self.shared),
            options: Arc::new(self.options.merged(options)),
        }
    }

    /// Sends `params` to `path` on the API host, form-encoded, and decodes the answer as `T`.
    ///
    /// This is what most generated operations call; use it for an endpoint no resource declares.
    ///
    /// # Errors
    ///
    /// Any [`Error`]: refused before sending, a connection failure after all retries, a Stripe
    /// error response, or a success body that does not decode as `T`.
    pub fn request<T, P>(&self, method: Method, path: &str, params: &P) -> Result<T, Error>
    where
        T: DeserializeOwned,
        P: Serialize + ?Sized,
    {
        self.request_on(Host::Api, Encoding::Form, method, path, params)
    }

    /// Sends `params` to `path` on `host`, encoded as `encoding` (for `POST`), and decodes the
    /// answer as `T`.
    ///
    /// # Errors
    ///
    /// As [`Client::request`]; a multipart encoding on a `GET` or `DELETE` is `InvalidInput`.
    pub fn request_on<T, P>(
        &self,
        host: Host,
        encoding: Encoding,
        method: Method,
        path: &str,
        params: &P,
    ) -> Result<T, Error>
    where
        T: DeserializeOwned,
        P: Serialize + ?Sized,
    {
        let payload = self.payload(encoding, method, params)?;
        let response = self.send(method, host, path, payload)?;
        decode(&response)
    }

    /// Sends `params` to `operation`, its path template filled with `ids` (each one
    /// percent-encoded path segment, see [`path::fill`](crate::path::fill)), and reads the
    /// answer as `T`: a `Deserialize` type, or [`Binary`](crate::Binary).
    ///
    /// Every method `#[derive(StripeResource)]` generates is this call; it is also the way to
    /// reach an endpoint no declaration covers:
    ///
    /// ```no_run
    /// use resource_core::{Client, Method, Operation};
    ///
    /// # fn main() -> Result<(), resource_core::Error> {
    /// # let client = Client::builder("sk_test_123").build()?;
    /// const VERIFY: Operation = Operation::new("verify", Method::Post, "/v1/customers/{customer}/sources/{id}/verify");
    /// let params = std::collections::BTreeMap::from([("amounts[0]", 32), ("amounts[1]", 45)]);
    /// let source: serde_json::Value = client.call(&VERIFY, &["cus_123", "ba_456"], &params)?;
    /// # let _ = source;
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Client::request`]; a template that `ids` do not fill is `InvalidInput`.
    pub fn call<T, P>(&self, operation: &Operation, ids: &[&str], params: &P) -> Result<T, Error>
    where
        T: FromResponse,
        P: Serialize + ?Sized,
    {
        let path = path::fill(operation.path, ids)?;
        let payload = self.payload(operation.encoding, operation.method, params)?;
        let (method, host) = (operation.method, operation.host);
        if T::STREAMED {
            T::from_stream(self.send_streaming(method, host, &path, payload)?)
        } else {
            T::from_response(self.send(method, host, &path, payload)?)
        }
    }

    fn payload<P: Serialize + ?Sized>(
        &self,
        encoding: Encoding,
        method: Method,
        params: &P,
    ) -> Result<Payload, Error> {
        Ok(match (encoding, method) {
            (Encoding::Form, _) => Payload::Form(form::to_string(params)?),
            (Encoding::Multipart, Method::Post) => {
                let (body, content_type) = crate::multipart::encode(params)?;
                Payload::Multipart { body, content_type }
            }
            (Encoding::Multipart, Method::Get | Method::Delete) => {
                return Err(Error::invalid_input(format!(
                    "a {method} request cannot carry a multipart body"
                )));
            }
        })
    }

    /// Sends encoded parameters, retrying per the policy; returns a 2xx response.
    pub(crate) fn send(
        &self,
        method: Method,
        host: Host,
        path: &str,
        payload: Payload,
    ) -> Result<Response, Error> {
        match self.exchange(method, host, path, payload, false)? {
            Answer::Whole(response) => Ok(response),
            // Not asked for, and read whole all the same.
            Answer::Streamed(response) => Ok(response.read_whole(MAX_RESPONSE_BYTES)?),
        }
    }

    /// Sends encoded parameters, retrying per the policy, and returns a 2xx response whose body
    /// is still arriving. An error answer is read whole, and is the error.
    pub(crate) fn send_streaming(
        &self,
        method: Method,
        host: Host,
        path: &str,
        payload: Payload,
    ) -> Result<StreamedResponse, Error> {
        match self.exchange(method, host, path, payload, true)? {
            Answer::Streamed(response) => Ok(response),
            Answer::Whole(response) => Ok(StreamedResponse::from(response)),
        }
    }

    /// The retry loop: attempts until the policy says stop; an answer that is not 2xx is the
    /// error. With `streamed`, a 2xx answer comes back unread, and is never retried.
    fn exchange(
        &self,
        method: Method,
        host: Host,
        path: &str,
        payload: Payload,
        streamed: bool,
    ) -> Result<Answer, Error> {
        let request = self.prepare(method, host, path, payload)?;
        // A body read from a one-shot reader cannot be sent twice.
        let retry = if request.body.is_replayable() {
            self.shared.retry
        } else {
            RetryPolicy {
                max_network_retries: 0,
                ..self.shared.retry
            }
        };
        let transport = &self.shared.transport;
        let mut attempts = 0;
        let outcome = loop {
            attempts += 1;
            // The clock is read only when a line could be logged.
            let started = (log::max_level() >= log::LevelFilter::Warn).then(Instant::now);
            let outcome = if streamed {
                transport.send_streaming(&request).and_then(|response| {
                    if is_success(response.status) {
                        Ok(Answer::Streamed(response))
                    } else {
                        response.read_whole(MAX_RESPONSE_BYTES).map(Answer::Whole)
                    }
                })
            } else {
                transport.send(&request).map(Answer::Whole)
            };
            if let Some(started) = started {
                let head = outcome.as_ref().map(Answer::head);
                log_attempt(method, path, attempts, started.elapsed(), head);
            }
            let again = match &outcome {
                Ok(Answer::Streamed(_)) => false,
                Ok(Answer::Whole(response)) => retry.should_retry_response(attempts, response),
                Err(error) => retry.should_retry_error(attempts, error),
            };
            if !again {
                break outcome;
            }
            (self.shared.sleeper)(retry.delay(attempts, random::unit_f64()));
        };
        match outcome? {
            Answer::Whole(response) if !is_success(response.status) => Err(api_error(&response)),
            answer => Ok(answer),
        }
    }

    /// The request exactly as it goes on the wire, identical for every attempt.
    fn prepare<'a>(
        &'a self,
        method: Method,
        host: Host,
        path: &str,
        payload: Payload,
    ) -> Result<Request<'a>, Error> {
        if !path.starts_with('/') || path.bytes().any(|b| !b.is_ascii_graphic() || b == b'#') {
            return Err(Error::invalid_input(format!(
                "invalid request path {path:?}"
            )));
        }
        let options = &*self.options;
        let base = match host {
            Host::Api => &self.shared.base_url,
            Host::Files => &self.shared.files_base_url,
        };
        let query_len = match (&payload, method) {
            (Payload::Form(query), Method::Get | Method::Delete) => 1 + query.len(),
            _ => 0,
        };
        let mut url = String::with_capacity(base.len() + path.len() + query_len);
        url.push_str(base);
        url.push_str(path);
        let (body, content_type) = match (payload, method) {
            (Payload::Form(form), Method::Post) => (
                Body::from(form),
                Some(Cow::Borrowed("application/x-www-form-urlencoded")),
            ),
            (Payload::Form(query), Method::Get | Method::Delete) => {
                if !query.is_empty() {
                    url.push('?');
                    url.push_str(&query);
                }
                (Body::empty(), None)
            }
            (Payload::Multipart { body, content_type }, _) => {
                (body, Some(Cow::Owned(content_type)))
            }
        };

        let mut headers: Vec<(Cow<'a, str>, Cow<'a, str>)> =
            Vec::with_capacity(8 + options.headers.len());
        let mut add = |name: &'static str, value: Cow<'a, str>| {
            headers.push((Cow::Borrowed(name), value));
        };
        add("Authorization", Cow::Borrowed(&self.shared.authorization));
        if let Some(content_type) = content_type {
            add("Content-Type", content_type);
        }
        match (&options.idempotency_key, method) {
            (Some(key), _) => {
                if key.chars().count() > MAX_IDEMPOTENCY_KEY_LEN {
                    return Err(Error::invalid_input(format!(
                        "the idempotency key is {} characters long; Stripe accepts at most {MAX_IDEMPOTENCY_KEY_LEN}",
                        key.chars().count()
                    )));
                }
                check_header_value("Idempotency-Key", key)?;
                add("Idempotency-Key", Cow::Borrowed(key));
            }
            // A generated key (36 hex digits and dashes) needs no check, and moves in uncopied.
            (None, Method::Post) => add("Idempotency-Key", Cow::Owned(random::uuid_v4())),
            (None, Method::Get | Method::Delete) => {}
        }
        if let Some(version) = &options.api_version {
            check_header_value("Stripe-Version", version)?;
            add("Stripe-Version", Cow::Borrowed(version));
        }
        if let Some(account) = &options.stripe_account {
            check_header_value("Stripe-Account", account)?;
            add("Stripe-Account", Cow::Borrowed(account));
        }
        add("User-Agent", Cow::Borrowed(USER_AGENT));
        add(
            "X-Stripe-Client-User-Agent",
            Cow::Borrowed(&self.shared.client_user_agent),
        );
        for (name, value) in &options.headers {
            check_header_name(name)?;
            check_header_value(name, value)?;
            headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(name));
            headers.push((Cow::Borrowed(name), Cow::Borrowed(value)));
        }
        Ok(Request {
            method,
            url,
            headers,
            body,
        })
    }
}

/// What an attempt got: the answer read whole, or a 2xx answer still arriving.
enum Answer {
    Whole(Response),
    Streamed(StreamedResponse),
}

impl Answer {
    /// The status and request id, for the log.
    fn head(&self) -> (u16, Option<&str>) {
        match self {
            Answer::Whole(response) => (response.status, response.header("Request-Id")),
            Answer::Streamed(response) => (response.status, response.header("Request-Id")),
        }
    }
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// One log line per attempt: method, path (never the query or body, which may hold personal
/// data), status, request id, attempt number and duration. The key is never logged.
fn log_attempt(
    method: Method,
    path: &str,
    attempt: u32,
    elapsed: Duration,
    outcome: Result<(u16, Option<&str>), &TransportError>,
) {
    match outcome {
        Ok((status, request_id)) => log::info!(
            target: "resource_core",
            "{method} {path} -> {status} request_id={} attempt={attempt} in {elapsed:?}",
            request_id.unwrap_or("-"),
        ),
        Err(error) => log::warn!(
            target: "resource_core",
            "{method} {path} -> no response ({:?}: {error}) attempt={attempt} in {elapsed:?}",
            error.kind(),
        ),
    }
}

/// Parameters ready to send: a form string (the query or the body), or a multipart body.
pub(crate) enum Payload {
    Form(String),
    Multipart { body: Body, content_type: String },
}

/// Decodes a success body as `T`.
pub(crate) fn decode<T: DeserializeOwned>(response: &Response) -> Result<T, Error> {
    serde_json::from_slice(&response.body).map_err(|error| {
        Error::Decode(Box::new(DecodeError {
            status: response.status,
            request_id: response.header("Request-Id").map(str::to_owned),
            message: error.to_string(),
            excerpt: excerpt(&response.body, EXCERPT_CHARS),
        }))
    })
}

/// Builds the error for a non-2xx response; a body that is not Stripe's error JSON is quoted.
fn api_error(response: &Response) -> Error {
    #[derive(serde::Deserialize)]
    struct Envelope {
        error: ApiErrorBody,
    }
    let body = serde_json::from_slice::<Envelope>(&response.body)
        .ok()
        .map(|envelope| envelope.error);
    let raw_excerpt = body
        .is_none()
        .then(|| excerpt(&response.body, EXCERPT_CHARS));
    Error::Api(Box::new(ApiError {
        kind: ErrorKind::from_response(response.status, body.as_ref()),
        status: response.status,
        request_id: response.header("Request-Id").map(str::to_owned),
        body,
        raw_excerpt,
    }))
}

/// Refuses header values that could split or smuggle headers.
fn check_header_value(name: &str, value: &str) -> Result<(), Error> {
    if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
        return Err(Error::invalid_input(format!(
            "the {name} header value contains a control character (CR, LF, ...)"
        )));
    }
    Ok(())
}

fn check_header_name(name: &str) -> Result<(), Error> {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return Err(Error::invalid_input(format!(
            "invalid header name {name:?}"
        )));
    }
    Ok(())
}

/// Normalises the base URL (no trailing `/`) and refuses plain http to a non-loopback host.
fn check_base_url(url: &str) -> Result<String, Error> {
    let invalid = |why: &str| Error::invalid_input(format!("invalid base URL {url:?}: {why}"));
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| invalid("expected http:// or https://"))?;
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() {
        return Err(invalid("no host"));
    }
    if rest
        .bytes()
        .any(|b| !b.is_ascii_graphic() || matches!(b, b'?' | b'#' | b'@'))
    {
        return Err(invalid(
            "expected only a host, an optional port and an optional path",
        ));
    }
    match scheme {
        "https" => {}
        "http" => {
            let authority = rest.split('/').next().unwrap_or_default();
            if !is_loopback(authority) {
                return Err(Error::invalid_input(format!(
                    "refusing to send the secret key over plain http to {authority}: use https, or a loopback host"
                )));
            }
        }
        _ => return Err(invalid("expected http:// or https://")),
    }
    Ok(format!("{scheme}://{rest}"))
}

/// Refuses an explicit proxy that is not on a loopback host when a base URL is plain http: the
/// proxy would read every request, key included, in clear.
fn check_proxy(url: &str, bases: [&str; 2]) -> Result<(), Error> {
    let proxy = ProxyUrl::parse(url)?;
    if proxy.loopback {
        return Ok(());
    }
    match bases.iter().find(|base| base.starts_with("http://")) {
        Some(base) => Err(Error::invalid_input(format!(
            "refusing to send the secret key over plain http ({base}) through the proxy {}, \
             which is not on a loopback host: use an https base URL, a loopback proxy, or no proxy",
            proxy::redacted(url)
        ))),
        None => Ok(()),
    }
}

/// `localhost`, `127.x.x.x` or `[::1]`, with or without a port.
pub(crate) fn is_loopback(authority: &str) -> bool {
    let host = if let Some(bracketed) = authority.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        authority
            .rsplit_once(':')
            .map_or(authority, |(host, _port)| host)
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        for (given, normalised) in [
            ("https://api.stripe.com/", "https://api.stripe.com"),
            ("http://127.0.0.1:12111", "http://127.0.0.1:12111"),
            ("http://localhost:8080/", "http://localhost:8080"),
            ("http://[::1]:8080", "http://[::1]:8080"),
            ("http://127.8.9.10", "http://127.8.9.10"),
        ] {
            assert_eq!(check_base_url(given).unwrap(), normalised);
        }
        for bad in [
            "http://api.stripe.com",
            "http://10.0.0.1:80",
            "http://localhost.evil.com",
            "ftp://x",
            "api.stripe.com",
            "https://",
            "https://a b",
            "https://x?y=1",
            "https://user@host",
        ] {
            let error = check_base_url(bad).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{bad}");
        }
    }

    #[test]
    fn header_values_with_line_breaks_are_refused() {
        assert!(check_header_value("Stripe-Account", "acct_1\r\nX-Evil: 1").is_err());
        assert!(check_header_value("Stripe-Account", "acct_1\n").is_err());
        assert!(check_header_value("Stripe-Account", "acct_1").is_ok());
        assert!(check_header_name("X-Custom").is_ok());
        assert!(check_header_name("X Custom").is_err());
        assert!(check_header_name("").is_err());
    }

    #[test]
    fn the_key_is_refused_without_being_quoted() {
        let error = Client::builder("sk_test_ab\ncd").build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert!(!error.to_string().contains("sk_test_ab"));
        assert!(Client::builder("").build().is_err());
    }

    #[test]
    fn debug_output_hides_the_key() {
        let builder = Client::builder("sk_test_secret_value");
        assert!(!format!("{builder:?}").contains("sk_test_secret_value"));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains("sk_test_secret_value"));
    }
}
