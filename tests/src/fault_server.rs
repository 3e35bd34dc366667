//! A scripted raw HTTP/1.1 server on 127.0.0.1 for fault injection, written on std alone so that
//! it can misbehave in ways a real HTTP library would not let it.
//!
//! [`FaultServer`] parses requests itself (request line, headers, a `Content-Length` body; a
//! keep-alive connection serves one request after another) and answers each with the next
//! [`Action`] of its script, or [`Action::Serve`] once the script is empty. It records every
//! request and counts the TCP connections it accepted.
//!
//! Serving plays Stripe's side of File Links. `GET /v1/file_links/{id}` answers a link carrying
//! the requested id, so an answer delivered to the wrong caller is detectable. `POST
//! /v1/file_links` goes through an idempotency layer like Stripe's: the first request with a key
//! is *applied* (a link echoing its `file` and `metadata` is created, counted against the key,
//! and the response stored); the same key with the same request replays the stored response
//! without applying again; the same key with another request is a 400 `idempotency_error`. A
//! [`Fault`] strikes either [`Action::Before`] that layer (the create never happened) or
//! [`Action::After`] it (the create was applied and stored, but the answer is lost on the way
//! back: a later retry with the same key gets the stored success). For a `GET` both mean the same.
//!
//! One thread per connection, at most [`MAX_CONNECTIONS`] at a time (more wait in the listen
//! backlog). Every blocking wait is bounded. Dropping the server stops it: open connections are
//! shut down, stalls end, and every thread is joined.

use std::collections::{HashMap, VecDeque};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::{Recorded, Reply, decode_form, openapi_fixture, percent_decode};

/// The most connections served at once.
pub const MAX_CONNECTIONS: usize = 64;

/// The body length [`Fault::Oversized`] announces and sends: just over the client's 16 MiB limit.
pub const OVERSIZED_BYTES: usize = 16 * 1024 * 1024 + 64 * 1024;

/// What [`Fault::Garbage`] sends: a TLS record header, then text, then a blank line. Not HTTP.
pub const GARBAGE: &[u8] = b"\x16\x03\x01\x02\x00 this is not HTTP \xff\xfe\r\n\r\n";

/// The longest a [`Fault::Stall`] holds a request when the server is not dropped first.
const STALL_CAP: Duration = Duration::from_secs(10);

/// Read and write timeout of every connection: a backstop, the drop shuts connections down first.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

const MAX_HEAD_BYTES: u64 = 64 * 1024;
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A way to fail one request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer with this response (a `Request-Id` is added unless it has one).
    Respond(Reply),
    /// Read the request, then close the connection without a byte of response. (std has no
    /// stable `SO_LINGER`, so this is an orderly close; the client sees the connection end before
    /// any response, as after a reset.)
    Reset,
    /// Send a 200's headers announcing the whole body's `Content-Length`, then half the body,
    /// then close.
    Cut,
    /// Hold the request unanswered until the server is dropped (at most 10 s), then close.
    Stall,
    /// Send [`GARBAGE`], then close.
    Garbage,
    /// A 200 announcing and streaming [`OVERSIZED_BYTES`] bytes, until the client hangs up.
    Oversized,
}

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Action {
    /// Answer as Stripe would (see the module documentation).
    Serve,
    /// Fail before the request reaches the idempotency layer: nothing is applied or stored.
    Before(Fault),
    /// Let the idempotency layer apply (or replay) the request, then fail instead of answering.
    After(Fault),
}

/// A Stripe error response: `{"error": {"type": .., "message": ..}}` with `status`.
pub fn stripe_error(status: u16, type_: &str, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": {"type": type_, "message": message}}),
    )
}

/// An HTML error page, as a proxy in front of Stripe sends one.
pub fn html_page(status: u16) -> Reply {
    let title = format!("{status} {}", reason(status));
    Reply {
        status,
        headers: vec![("Content-Type".into(), "text/html".into())],
        body: format!(
            "<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
        )
        .into_bytes(),
    }
}

/// A file link with `id`: the OpenAPI fixture with the id replaced.
pub fn link_json(id: &str) -> Value {
    static FIXTURE: OnceLock<Value> = OnceLock::new();
    let mut link = FIXTURE.get_or_init(|| openapi_fixture("file_link")).clone();
    link["id"] = json!(id);
    link
}

/// The scripted server; see the module documentation. Stopped when dropped.
pub struct FaultServer {
    base_url: String,
    addr: SocketAddr,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

struct Shared {
    stripe: Mutex<Stripe>,
    control: Mutex<Control>,
    /// Signalled when the server stops and when a connection ends.
    changed: Condvar,
    accepted: AtomicUsize,
}

/// The scripted application: what to do next, what was received, what was applied.
#[derive(Default)]
struct Stripe {
    script: VecDeque<Action>,
    requests: Vec<Recorded>,
    stored: HashMap<String, Stored>,
    applications: HashMap<String, usize>,
    created: usize,
}

/// The first request made with an idempotency key, and the response it got.
struct Stored {
    url: String,
    body: Vec<u8>,
    reply: Reply,
}

#[derive(Default)]
struct Control {
    stopped: bool,
    /// A handle on each open connection, to shut it down when the server stops.
    live: HashMap<usize, TcpStream>,
    threads: Vec<JoinHandle<()>>,
}

/// What goes on the wire for one request.
enum Wire {
    Reply(Reply),
    Reset,
    Cut(Reply),
    Stall,
    Garbage,
    Oversized,
}

impl FaultServer {
    /// Starts a server on an ephemeral 127.0.0.1 port with an empty script.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            stripe: Mutex::default(),
            control: Mutex::default(),
            changed: Condvar::new(),
            accepted: AtomicUsize::new(0),
        });
        let acceptor = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || accept_loop(&listener, &shared))
        };
        FaultServer {
            base_url: format!("http://{addr}"),
            addr,
            shared,
            acceptor: Some(acceptor),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Replaces what is left of the script: the next requests get `actions`, in order, then
    /// [`Action::Serve`].
    pub fn script(&self, actions: impl IntoIterator<Item = Action>) {
        self.shared.stripe.lock().unwrap().script = actions.into_iter().collect();
    }

    /// Every request received so far, in order of arrival.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.stripe.lock().unwrap().requests.clone()
    }

    /// The requests received from the `start`th on (0-based), in order of arrival.
    pub fn requests_since(&self, start: usize) -> Vec<Recorded> {
        let stripe = self.shared.stripe.lock().unwrap();
        stripe.requests.get(start..).unwrap_or_default().to_vec()
    }

    /// How many requests were received.
    pub fn request_count(&self) -> usize {
        self.shared.stripe.lock().unwrap().requests.len()
    }

    /// How many TCP connections were accepted.
    pub fn connections(&self) -> usize {
        self.shared.accepted.load(Ordering::SeqCst)
    }

    /// How many times a `POST` with this idempotency key was applied (`""`: sent without a key).
    pub fn applications(&self, key: &str) -> usize {
        let stripe = self.shared.stripe.lock().unwrap();
        stripe.applications.get(key).copied().unwrap_or(0)
    }

    /// The id of the link the first application of `key` created.
    pub fn created_id(&self, key: &str) -> Option<String> {
        let stripe = self.shared.stripe.lock().unwrap();
        let stored = stripe.stored.get(key)?;
        let link: Value = serde_json::from_slice(&stored.reply.body).ok()?;
        link["id"].as_str().map(str::to_owned)
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        let threads = {
            let mut control = self.shared.control.lock().unwrap();
            control.stopped = true;
            for stream in control.live.values() {
                let _ = stream.shutdown(Shutdown::Both);
            }
            std::mem::take(&mut control.threads)
        };
        self.shared.changed.notify_all();
        // Wakes the acceptor if it is blocked in accept(); it sees `stopped` and returns.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
        for thread in threads {
            let _ = thread.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for id in 0.. {
        {
            let mut control = shared.control.lock().unwrap();
            while !control.stopped && control.live.len() >= MAX_CONNECTIONS {
                control = shared
                    .changed
                    .wait_timeout(control, Duration::from_millis(100))
                    .unwrap()
                    .0;
            }
            if control.stopped {
                return;
            }
        }
        let Ok((stream, _)) = listener.accept() else {
            std::thread::sleep(Duration::from_millis(10)); // out of descriptors: do not spin
            continue;
        };
        // Registering under the lock that `drop` takes: a connection is either shut down by the
        // drop or never served.
        let mut control = shared.control.lock().unwrap();
        if control.stopped {
            return;
        }
        let Ok(handle) = stream.try_clone() else {
            continue;
        };
        shared.accepted.fetch_add(1, Ordering::SeqCst);
        control.live.insert(id, handle);
        control.threads.retain(|thread| !thread.is_finished());
        let thread = {
            let shared = Arc::clone(shared);
            std::thread::spawn(move || {
                let _registered = Registered {
                    shared: &shared,
                    id,
                };
                serve_connection(&shared, stream);
            })
        };
        control.threads.push(thread);
    }
}

/// Unregisters a connection when its thread ends, even by a panic, so that the socket closes
/// and a slot frees up.
struct Registered<'a> {
    shared: &'a Shared,
    id: usize,
}

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        let mut control = match self.shared.control.lock() {
            Ok(control) => control,
            Err(poisoned) => poisoned.into_inner(),
        };
        control.live.remove(&self.id);
        self.shared.changed.notify_all();
    }
}

/// Serves requests on one connection until the client closes it or an action closes it.
fn serve_connection(shared: &Shared, stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IO_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    // A malformed request, an idle client hanging up, or the server stopping: close.
    while let Ok(Some(request)) = read_request(&mut reader) {
        let close_requested = request
            .header("Connection")
            .is_some_and(|value| value.eq_ignore_ascii_case("close"));
        let kept_open = match shared.answer(request) {
            Wire::Reply(reply) => write_reply(&mut writer, &reply, reply.body.len(), &reply.body),
            Wire::Cut(reply) => {
                let half = &reply.body[..reply.body.len() / 2];
                let _ = write_reply(&mut writer, &reply, reply.body.len(), half);
                false
            }
            Wire::Reset => false,
            Wire::Stall => {
                shared.stall();
                false
            }
            Wire::Garbage => {
                let _ = writer.write_all(GARBAGE).and_then(|()| writer.flush());
                false
            }
            Wire::Oversized => {
                write_oversized(shared, &mut writer);
                false
            }
        };
        if !kept_open || close_requested {
            break;
        }
    }
    let _ = writer.shutdown(Shutdown::Both);
}

/// Reads one request; `None` when the client closed the connection before sending one.
fn read_request(reader: &mut BufReader<TcpStream>) -> io::Result<Option<Recorded>> {
    let malformed = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_owned());
    let mut head = reader.by_ref().take(MAX_HEAD_BYTES);
    let mut line = String::new();
    if head.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.trim_end().split(' ');
    let (Some(method), Some(url), Some("HTTP/1.1"), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed("request line"));
    };
    let (method, url) = (method.to_owned(), url.to_owned());
    let mut headers = Vec::new();
    loop {
        line.clear();
        if head.read_line(&mut line)? == 0 {
            return Err(malformed("headers cut short"));
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':').ok_or_else(|| malformed("header"))?;
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    let mut request = Recorded {
        method,
        url,
        headers,
        body: Vec::new(),
    };
    if request.header("Transfer-Encoding").is_some() {
        return Err(malformed("chunked bodies are not supported"));
    }
    let length = match request.header("Content-Length") {
        Some(length) => length.parse().map_err(|_| malformed("Content-Length"))?,
        None => 0,
    };
    if length > MAX_BODY_BYTES {
        return Err(malformed("body too large"));
    }
    request.body = vec![0; length];
    reader.read_exact(&mut request.body)?;
    Ok(Some(request))
}

fn write_reply(writer: &mut TcpStream, reply: &Reply, announced: usize, body: &[u8]) -> bool {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {announced}\r\n",
        reply.status,
        reason(reply.status)
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.write_all(body))
        .and_then(|()| writer.flush())
        .is_ok()
}

/// Streams an oversized 200 until it is all sent, the client hangs up, or the server stops.
fn write_oversized(shared: &Shared, writer: &mut TcpStream) {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
         Content-Length: {OVERSIZED_BYTES}\r\n\r\n"
    );
    if writer.write_all(head.as_bytes()).is_err() {
        return;
    }
    let chunk = [b' '; 64 * 1024];
    let mut left = OVERSIZED_BYTES;
    while left > 0 && !shared.control.lock().unwrap().stopped {
        let n = left.min(chunk.len());
        if writer.write_all(&chunk[..n]).is_err() {
            return;
        }
        left -= n;
    }
    let _ = writer.flush();
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

impl Shared {
    /// Records `request`, takes the next action and decides what goes on the wire.
    fn answer(&self, request: Recorded) -> Wire {
        let mut stripe = self.stripe.lock().unwrap();
        let request_id = format!("req_fault_{}", stripe.requests.len() + 1);
        let action = stripe.script.pop_front().unwrap_or(Action::Serve);
        let (fault, reply) = match action {
            Action::Serve => (None, stripe.serve(&request)),
            // What a cut answer would have been; nothing is applied.
            Action::Before(fault) => (
                Some(fault),
                Reply::json(200, &link_json("link_not_created")),
            ),
            Action::After(fault) => (Some(fault), stripe.serve(&request)),
        };
        stripe.requests.push(request);
        drop(stripe);
        let with_id = |reply: Reply| {
            if reply
                .headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("Request-Id"))
            {
                reply
            } else {
                reply.header("Request-Id", &request_id)
            }
        };
        match fault {
            None => Wire::Reply(with_id(reply)),
            Some(Fault::Respond(reply)) => Wire::Reply(with_id(reply)),
            Some(Fault::Reset) => Wire::Reset,
            Some(Fault::Cut) => Wire::Cut(with_id(reply)),
            Some(Fault::Stall) => Wire::Stall,
            Some(Fault::Garbage) => Wire::Garbage,
            Some(Fault::Oversized) => Wire::Oversized,
        }
    }

    /// Waits until the server stops, at most [`STALL_CAP`].
    fn stall(&self) {
        let deadline = Instant::now() + STALL_CAP;
        let mut control = self.control.lock().unwrap();
        while !control.stopped {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            control = self.changed.wait_timeout(control, left).unwrap().0;
        }
    }
}

impl Stripe {
    fn serve(&mut self, request: &Recorded) -> Reply {
        let path = request.path();
        match (
            request.method.as_str(),
            path.strip_prefix("/v1/file_links/"),
        ) {
            ("GET", Some(id)) if !id.is_empty() => {
                Reply::json(200, &link_json(&percent_decode(id, false)))
            }
            ("POST", None) if path == "/v1/file_links" => self.create_once(request),
            _ => stripe_error(404, "invalid_request_error", "Unrecognized request URL"),
        }
    }

    /// Stripe's idempotency layer in front of the create.
    fn create_once(&mut self, request: &Recorded) -> Reply {
        let key = request.header("Idempotency-Key").unwrap_or_default();
        if let Some(stored) = self.stored.get(key) {
            if stored.url == request.url && stored.body == request.body {
                return stored.reply.clone().header("Idempotent-Replayed", "true");
            }
            return stripe_error(
                400,
                "idempotency_error",
                "Keys for idempotent requests can only be used with the same parameters they were \
                 first used with.",
            );
        }
        self.created += 1;
        *self.applications.entry(key.to_owned()).or_default() += 1;
        let link = created_link(self.created, &request.body);
        let request_id = format!("req_fault_created_{}", self.created);
        let reply = Reply::json(200, &link).header("Request-Id", &request_id);
        if !key.is_empty() {
            self.stored.insert(
                key.to_owned(),
                Stored {
                    url: request.url.clone(),
                    body: request.body.clone(),
                    reply: reply.clone(),
                },
            );
        }
        reply
    }
}

/// The link the `n`th create makes: its `file` and `metadata[..]` echo the request's parameters.
fn created_link(n: usize, body: &[u8]) -> Value {
    let mut link = link_json(&format!("link_fault_{n}"));
    let mut metadata = serde_json::Map::new();
    for (key, value) in decode_form(&String::from_utf8_lossy(body)) {
        if key == "file" {
            link["file"] = json!(value);
        } else if let Some(name) = key
            .strip_prefix("metadata[")
            .and_then(|rest| rest.strip_suffix(']'))
        {
            metadata.insert(name.to_owned(), json!(value));
        }
    }
    link["metadata"] = Value::Object(metadata);
    link
}
