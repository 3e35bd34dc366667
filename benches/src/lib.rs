//! What the benches and the pagination-memory example share: the fixtures they measure, an
//! in-process transport with a canned answer, and a small, fast HTTP/1.1 keep-alive server on
//! 127.0.0.1.
//!
//! Every fixture starts from Stripe's OpenAPI `file_link` fixture
//! (`tests/fixtures/openapi-file-links.json`), so the bytes decoded here are the bytes Stripe's
//! own mock server sends.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use file_link::CreateFileLink;
use resource_core::{Request, Response, Transport, TransportError};
use serde_json::Value;

/// Stripe's OpenAPI fixtures for `file_link` and `file`, as the tests use them.
const OPENAPI_FIXTURES: &str = include_str!("../../tests/fixtures/openapi-file-links.json");

/// The key every bench client sends; the servers here never check it.
pub const SECRET_KEY: &str = "sk_test_bench";

/// The OpenAPI `file_link` fixture object.
///
/// # Errors
///
/// When the fixture file does not parse or has no `file_link` object.
pub fn file_link_object() -> Result<Value, serde_json::Error> {
    let all: Value = serde_json::from_str(OPENAPI_FIXTURES)?;
    match all.pointer("/fixtures/file_link") {
        Some(object @ Value::Object(_)) => Ok(object.clone()),
        _ => Err(serde::de::Error::custom(
            "no fixtures.file_link object in the OpenAPI fixture file",
        )),
    }
}

/// The `file_link` fixture as the compact JSON body Stripe would send for one link.
///
/// # Errors
///
/// As [`file_link_object`].
pub fn file_link_body() -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(&file_link_object()?)
}

/// The fixture link with its id replaced by `id`, so every item of a list is distinct.
///
/// # Errors
///
/// As [`file_link_object`].
pub fn file_link_with_id(id: &str) -> Result<Value, serde_json::Error> {
    let mut link = file_link_object()?;
    link["id"] = Value::String(id.to_owned());
    Ok(link)
}

/// The id of the `index`th synthetic link: fixed width, so every page has the same size.
#[must_use]
pub fn link_id(index: u64) -> String {
    format!("link_bench{index:012}")
}

/// A `List<FileLink>` body (`{"object": "list", ...}`) of `items` fixture links with distinct ids.
///
/// # Errors
///
/// As [`file_link_object`].
pub fn file_link_list_body(items: u64, has_more: bool) -> Result<Vec<u8>, serde_json::Error> {
    let data = (0..items)
        .map(|index| file_link_with_id(&link_id(index)))
        .collect::<Result<Vec<_>, _>>()?;
    serde_json::to_vec(&serde_json::json!({
        "object": "list",
        "url": "/v1/file_links",
        "has_more": has_more,
        "data": data,
    }))
}

/// Create parameters with `keys` metadata entries (`key_00=value_00`, ...) besides the file and
/// an expiry: what an application attaching its own identifiers to a link sends.
#[must_use]
pub fn create_params(keys: usize) -> CreateFileLink {
    (0..keys).fold(
        CreateFileLink::new("file_1Pgag2B7WZ01zgkWITx3dIQc").expires_at(1_900_000_000),
        |params, index| params.metadata(format!("key_{index:02}"), format!("value_{index:02}")),
    )
}

/// The id of the OpenAPI fixture link: what the loopback benches retrieve.
pub const FIXTURE_LINK_ID: &str = "link_1Pgc76B7WZ01zgkWPhd77i13";

/// The raw baseline of the loopback benches: a plain `ureq` agent, ureq's defaults but for the
/// idle-connection pool, which is sized like `resource_core::UreqTransport`'s (32) so that the
/// pool is not what differs: with ureq's default of 3 idle connections per host, 8 threads would
/// keep reconnecting and the baseline would be slower than it should be. Redirects off and every
/// status passed through, as ours (neither costs anything on a 200). No timeouts: that is the
/// plain HTTP call, and whatever our transport's timeouts cost counts against it.
#[must_use]
pub fn raw_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_idle_connections(32)
        .max_idle_connections_per_host(32)
        .build()
        .new_agent()
}

/// One raw request: `GET url`, the body read whole, as the transport reads it. No JSON decoding:
/// the baseline is the plain HTTP call.
///
/// # Errors
///
/// Any ureq error.
pub fn raw_get(agent: &ureq::Agent, url: &str) -> Result<Vec<u8>, ureq::Error> {
    agent.get(url).call()?.body_mut().read_to_vec()
}

/// The headers our `FileLink::retrieve` sends, as a [`Recorder`] saw them: what a hand-written
/// call doing the same job must send too (the key, `Stripe-Version`, and the user agents).
///
/// # Errors
///
/// When the fixture does not load or the client refuses the call.
pub fn retrieve_headers() -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    use resource_core::Client;
    let recorder = Recorder::new(Canned::ok(file_link_body()?));
    let client = Client::builder(SECRET_KEY)
        .transport(recorder.clone())
        .build()?;
    file_link::FileLink::retrieve(&client, &FIXTURE_LINK_ID.parse()?)?;
    let requests = recorder.requests();
    let first = requests.first().ok_or("the recorder saw no request")?;
    Ok(first
        .headers
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect())
}

/// A transport that records each request and answers it with a [`Canned`] response.
#[derive(Debug, Clone)]
pub struct Recorder {
    requests: Arc<Mutex<Vec<Request<'static>>>>,
    answer: Canned,
}

impl Recorder {
    /// Records, then answers with `answer`.
    #[must_use]
    pub fn new(answer: Canned) -> Self {
        Recorder {
            requests: Arc::default(),
            answer,
        }
    }

    /// The requests seen so far.
    #[must_use]
    pub fn requests(&self) -> Vec<Request<'static>> {
        self.requests
            .lock()
            .map(|requests| requests.clone())
            .unwrap_or_default()
    }
}

impl Transport for Recorder {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        if let Ok(mut requests) = self.requests.lock() {
            requests.push(request.clone().into_owned());
        }
        self.answer.send(request)
    }
}

/// A transport that never leaves the process: every request gets a copy of one prebuilt
/// response. Copying it is the least any [`Transport`] must do, since it returns an owned body.
#[derive(Debug, Clone)]
pub struct Canned {
    response: Response,
}

impl Canned {
    /// Answers every request with status 200, Stripe's headers and `body`.
    #[must_use]
    pub fn ok(body: Vec<u8>) -> Self {
        Canned {
            response: Response {
                status: 200,
                headers: vec![
                    ("Content-Type".to_owned(), "application/json".to_owned()),
                    ("Request-Id".to_owned(), "req_bench".to_owned()),
                ],
                body,
            },
        }
    }
}

impl Transport for Canned {
    fn send(&self, _request: &Request) -> Result<Response, TransportError> {
        Ok(self.response.clone())
    }
}

/// The complete bytes of a `200 OK` HTTP/1.1 JSON response carrying `body`, keep-alive.
#[must_use]
pub fn http_ok(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 128);
    push_http_ok(&mut out, body);
    out
}

/// Appends the response of [`http_ok`] to `out`.
pub fn push_http_ok(out: &mut Vec<u8>, body: &[u8]) {
    out.extend_from_slice(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n");
    out.extend_from_slice(b"Request-Id: req_bench\r\nContent-Length: ");
    out.extend_from_slice(body.len().to_string().as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(body);
}

/// Writes the whole HTTP response to one request into its second argument, given the request
/// target (path and query, still percent-encoded).
pub type Handler = dyn Fn(&str, &mut Vec<u8>) + Send + Sync;

/// An HTTP/1.1 server on an ephemeral 127.0.0.1 port, one thread per connection, keep-alive,
/// with as little work per request as a server can do: find the end of the head, skip any
/// body, write the handler's bytes. Requests are never pipelined by the clients measured here.
///
/// Dropping it stops accepting; open connections end when their clients close them.
pub struct LoopbackServer {
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl LoopbackServer {
    /// Starts a server that answers every request with the same `response` bytes.
    ///
    /// # Errors
    ///
    /// When 127.0.0.1 cannot be bound.
    pub fn fixed(response: Vec<u8>) -> io::Result<Self> {
        LoopbackServer::start(move |_target, out| out.extend_from_slice(&response))
    }

    /// Starts a server that answers each request with what `handler` writes.
    ///
    /// # Errors
    ///
    /// When 127.0.0.1 cannot be bound.
    pub fn start(handler: impl Fn(&str, &mut Vec<u8>) + Send + Sync + 'static) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let acceptor = {
            let stopping = Arc::clone(&stopping);
            std::thread::Builder::new()
                .name("loopback-accept".into())
                .spawn(move || accept(&listener, &stopping, &handler))?
        };
        Ok(LoopbackServer {
            addr,
            stopping,
            acceptor: Some(acceptor),
        })
    }

    /// `http://127.0.0.1:PORT`, a base URL for a client.
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wake the acceptor blocked in `accept` so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn accept(listener: &TcpListener, stopping: &AtomicBool, handler: &Arc<Handler>) {
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else { continue };
        let handler = Arc::clone(handler);
        let spawned = std::thread::Builder::new()
            .name("loopback-conn".into())
            .spawn(move || {
                // A connection ends when the client closes it or breaks the protocol.
                let _ = serve(stream, &*handler);
            });
        if spawned.is_err() {
            // Out of threads: the connection is dropped, and the client sees it closed.
            continue;
        }
    }
}

/// Serves one keep-alive connection until the client closes it.
///
/// The server shares the machine's cores with the clients measured, so it does as little per
/// request as it can, and nothing per header line of a `GET`: a longer request (ours sends
/// Stripe's headers, the raw baseline none) costs only the scan for the blank line.
fn serve(mut stream: TcpStream, handler: &Handler) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut input = vec![0u8; 16 * 1024];
    let mut filled = 0;
    let mut output = Vec::with_capacity(16 * 1024);
    loop {
        let mut scanned = 0;
        let head_end = loop {
            if let Some(end) = head_end(&input[..filled], scanned) {
                break end;
            }
            scanned = filled;
            if filled == input.len() {
                input.resize(input.len() * 2, 0);
            }
            let read = stream.read(&mut input[filled..])?;
            if read == 0 {
                return Ok(());
            }
            filled += read;
        };
        let head = &input[..head_end];
        let target = request_target(head);
        let body_len = if head.starts_with(b"GET ") {
            0
        } else {
            content_length(head)
        };

        // Skip the body (none for GET): read until all of it is in, then drop it.
        let request_end = head_end + body_len;
        if input.len() < request_end {
            input.resize(request_end, 0);
        }
        while filled < request_end {
            let read = stream.read(&mut input[filled..])?;
            if read == 0 {
                return Ok(());
            }
            filled += read;
        }

        output.clear();
        let target = std::str::from_utf8(&input[target])
            .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))?;
        handler(target, &mut output);
        stream.write_all(&output)?;

        input.copy_within(request_end..filled, 0);
        filled -= request_end;
    }
}

/// The end of the head (just past its blank line), searching from `from` (bytes before it were
/// searched already) but backing up 3 bytes, since `\r\n\r\n` may straddle two reads.
fn head_end(input: &[u8], from: usize) -> Option<usize> {
    let start = from.saturating_sub(3);
    let mut at = start;
    while let Some(offset) = input[at..].iter().position(|&b| b == b'\n') {
        let newline = at + offset;
        if newline >= 3 && &input[newline - 3..=newline] == b"\r\n\r\n" {
            return Some(newline + 1);
        }
        at = newline + 1;
    }
    None
}

/// Where the request target (`/v1/...?...`) is in the head: between the first two spaces.
fn request_target(head: &[u8]) -> std::ops::Range<usize> {
    let mut spaces = head
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b' ')
        .map(|(index, _)| index);
    match (spaces.next(), spaces.next()) {
        (Some(first), Some(second)) => first + 1..second,
        _ => 0..0,
    }
}

/// The `Content-Length` of a request head, 0 when absent or unreadable.
fn content_length(head: &[u8]) -> usize {
    String::from_utf8_lossy(head)
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}

/// This process's peak resident set size (`VmHWM`) and current one (`VmRSS`), in KiB.
///
/// # Errors
///
/// When `/proc/self/status` cannot be read or lacks the fields (not Linux).
pub fn memory_kib() -> io::Result<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("no {name} in /proc/self/status"),
                )
            })
    };
    Ok((field("VmHWM:")?, field("VmRSS:")?))
}

/// Short criterion runs: the functions measured take microseconds, stable well within seconds.
#[must_use]
pub fn short_runs() -> criterion::Criterion {
    criterion::Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

/// The loopback comparison's setup, shared by the criterion bench and the paired example: a fast
/// server answering the fixture link, our client and a raw ureq agent, each checked to get the
/// same answer from it (or the comparison means nothing).
pub struct Loopback {
    /// The server; it stops when this is dropped.
    pub server: LoopbackServer,
    /// The URL of the fixture link on it.
    pub url: String,
    /// Our client, pointed at the server.
    pub client: resource_core::Client,
    /// The fixture link's id.
    pub id: file_link::FileLinkId,
    /// A raw ureq agent, configured as [`raw_agent`].
    pub agent: ureq::Agent,
}

impl Loopback {
    /// Starts the server and checks both contenders against it.
    ///
    /// # Errors
    ///
    /// When the server cannot start, or either contender gets another answer.
    pub fn start() -> Result<Self, Box<dyn std::error::Error>> {
        let body = file_link_body()?;
        let server = LoopbackServer::fixed(http_ok(&body))?;
        let base = server.base_url();
        let url = format!("{base}/v1/file_links/{FIXTURE_LINK_ID}");
        let client = resource_core::Client::builder(SECRET_KEY)
            .base_url(&base)
            .build()?;
        let id: file_link::FileLinkId = FIXTURE_LINK_ID.parse()?;
        let agent = raw_agent();
        if raw_get(&agent, &url)? != body {
            return Err("raw ureq got another answer".into());
        }
        if file_link::FileLink::retrieve(&client, &id)?.id != id {
            return Err("our client got another answer".into());
        }
        Ok(Loopback {
            server,
            url,
            client,
            id,
            agent,
        })
    }
}

/// Calls per second of `call` run by `threads` threads for `round`: one round of a paired
/// comparison (the `*_ratio` examples run contenders in neighbouring rounds, so that the load
/// of a shared machine falls on all of them alike).
///
/// # Panics
///
/// When a worker thread panics (a contender's call failed).
#[must_use]
pub fn rate(threads: usize, round: Duration, call: &(dyn Fn() + Sync)) -> f64 {
    let ready = std::sync::Barrier::new(threads + 1);
    let (done, elapsed) = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let ready = &ready;
                scope.spawn(move || {
                    ready.wait();
                    let deadline = Instant::now() + round;
                    let mut done = 0u64;
                    // The clock is read every 64 calls, so that reading it (about 25 ns) does
                    // not count as part of a call that takes a few hundred.
                    while Instant::now() < deadline {
                        for _ in 0..64 {
                            call();
                        }
                        done += 64;
                    }
                    done
                })
            })
            .collect();
        ready.wait();
        let started = Instant::now();
        let done: u64 = workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .sum();
        (done, started.elapsed())
    });
    #[allow(
        clippy::cast_precision_loss,
        reason = "a count of calls, far below 2^52"
    )]
    let done = done as f64;
    done / elapsed.as_secs_f64()
}

/// The median of `values` (sorted in place); `NaN` for none.
#[must_use]
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    match values.len() {
        0 => f64::NAN,
        len if len % 2 == 0 => (values[mid - 1] + values[mid]) / 2.0,
        _ => values[mid],
    }
}
