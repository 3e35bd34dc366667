//! The emulator over HTTP/1.1, so any language's Stripe SDK can be pointed at it.
//!
//! One thread accepts; each connection gets its own thread (up to
//! [`ServeOptions::max_connections`]), which reads and frames its requests with `httparse`
//! ([`request`]), takes the engine's lock only for [`Emulator::handle`], and writes each answer
//! in one buffer ([`response`]) on a `TCP_NODELAY` socket. A slow, stalled or hostile connection
//! therefore delays only itself, and its timeouts and limits close it.
//!
//! - `mod.rs`: [`Server`], [`ServeOptions`], the accept loop and the shutdown;
//! - [`connection`]: one connection's loop (keep-alive, `Expect`, the `Host` check, closing);
//! - [`request`]: reading and framing a request (head, `Content-Length`, chunked);
//! - [`response`]: writing an answer, and the server's own Stripe-shaped errors;
//! - [`host`]: which `Host` a loopback server accepts, and the URL it hands out.

mod connection;
mod host;
mod request;
mod response;

use std::collections::HashMap;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::Emulator;

/// How [`Emulator::serve_with`] serves: timeouts, limits, the connection cap and the URL it
/// hands out. `ServeOptions::default()` is what [`Emulator::serve`] uses:
///
/// | setting | default | beyond it |
/// |---|---|---|
/// | [`read_timeout`](Self::read_timeout) | 10 s | 408, closed |
/// | [`request_timeout`](Self::request_timeout) | 60 s | 408, closed |
/// | [`idle_timeout`](Self::idle_timeout) | 60 s | closed |
/// | [`write_timeout`](Self::write_timeout) | 10 s | closed |
/// | [`max_request_line`](Self::max_request_line) | 16 KiB | 431, closed |
/// | [`max_header_bytes`](Self::max_header_bytes) | 64 KiB | 431, closed |
/// | [`max_headers`](Self::max_headers) | 100 | 431, closed |
/// | [`max_body_bytes`](Self::max_body_bytes) | 64 MiB | 413, closed |
/// | [`max_connections`](Self::max_connections) | 256 | 503, closed |
/// | [`public_url`](Self::public_url) | the bound address | |
///
/// Timeouts are kept between 1 ms and a year.
///
/// ```
/// # use std::time::Duration;
/// # use resource_emulator::{Emulator, ServeOptions};
/// let emulator = Emulator::new();
/// let options = ServeOptions::default()
///     .read_timeout(Duration::from_secs(2))
///     .max_connections(64);
/// let server = emulator.serve_with("127.0.0.1:0", options)?;
/// # drop(server);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    read_timeout: Duration,
    request_timeout: Duration,
    idle_timeout: Duration,
    write_timeout: Duration,
    max_request_line: usize,
    max_header_bytes: usize,
    max_headers: usize,
    max_body_bytes: u64,
    max_connections: usize,
    public_url: Option<String>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(60),
            write_timeout: Duration::from_secs(10),
            max_request_line: 16 * 1024,
            max_header_bytes: 64 * 1024,
            max_headers: 100,
            max_body_bytes: 64 * 1024 * 1024,
            max_connections: 256,
            public_url: None,
        }
    }
}

/// The shortest timeout a socket accepts (a zero duration means "none" to the OS).
const MIN_TIMEOUT: Duration = Duration::from_millis(1);

/// The longest timeout: a year is forever for a test server, and keeps deadlines representable.
const MAX_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// The most headers [`ServeOptions::max_headers`] allows (each request gets room for as many).
const MAX_HEADERS: usize = 10_000;

impl ServeOptions {
    /// The longest one read of a request may wait for more bytes, once the request has begun
    /// (default 10 s). A request that stalls that long is answered 408 and its connection closed.
    /// A new connection that sends nothing for that long (or the idle timeout, if shorter) is
    /// closed without an answer.
    #[must_use]
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout.clamp(MIN_TIMEOUT, MAX_TIMEOUT);
        self
    }

    /// The longest a whole request (head and body) may take to arrive, from its first byte
    /// (default 60 s): a body that trickles in a byte at a time is answered 408 then.
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout.clamp(MIN_TIMEOUT, MAX_TIMEOUT);
        self
    }

    /// How long a kept-alive connection may wait for its next request (default 60 s); then it is
    /// closed without an answer.
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout.clamp(MIN_TIMEOUT, MAX_TIMEOUT);
        self
    }

    /// The longest one write of an answer may block on a client that does not read
    /// (default 10 s); then the connection is closed.
    #[must_use]
    pub fn write_timeout(mut self, timeout: Duration) -> Self {
        self.write_timeout = timeout.clamp(MIN_TIMEOUT, MAX_TIMEOUT);
        self
    }

    /// The longest request line (`GET /v1/...?... HTTP/1.1`) in bytes (default 16 KiB); a longer
    /// one is answered 431.
    #[must_use]
    pub fn max_request_line(mut self, bytes: usize) -> Self {
        self.max_request_line = bytes;
        self
    }

    /// The most bytes of request line and headers together (default 64 KiB); more is answered
    /// 431.
    #[must_use]
    pub fn max_header_bytes(mut self, bytes: usize) -> Self {
        self.max_header_bytes = bytes;
        self
    }

    /// The most request headers (default 100, at most 10,000); more are answered 431.
    #[must_use]
    pub fn max_headers(mut self, count: usize) -> Self {
        self.max_headers = count.min(MAX_HEADERS);
        self
    }

    /// The largest request body in bytes, announced or chunked (default 64 MiB, above Stripe's
    /// 32 MB file limit so the emulator can refuse such a file as Stripe does); more is answered
    /// 413.
    #[must_use]
    pub fn max_body_bytes(mut self, bytes: u64) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// The most connections served at once, idle kept-alive ones included (default 256). One
    /// more is answered 503 (`Retry-After: 1`, `Stripe-Should-Retry: true`) and closed.
    #[must_use]
    pub fn max_connections(mut self, count: usize) -> Self {
        self.max_connections = count.max(1);
        self
    }

    /// The base URL the server hands out in objects and as [`Server::url`], such as
    /// `http://emulator.internal:12111` (default: none, so the bound address, or for `0.0.0.0`
    /// this machine's outbound address). On a loopback server its host is accepted as `Host`
    /// besides loopback names.
    #[must_use]
    pub fn public_url(mut self, url: impl Into<String>) -> Self {
        self.public_url = Some(url.into());
        self
    }
}

/// What the accept loop and every connection share.
struct Shared {
    options: ServeOptions,
    /// On a loopback server, the `Host` names it answers besides loopback ones (the public
    /// URL's host); `None` when any `Host` is accepted.
    host_check: Option<host::HostCheck>,
    stopping: AtomicBool,
    /// A handle on each open connection's socket, to shut it down when the server stops.
    open: Mutex<HashMap<u64, TcpStream>>,
    /// The number of connection threads running, and its change.
    active: Mutex<usize>,
    finished: Condvar,
}

impl Shared {
    fn open(&self) -> MutexGuard<'_, HashMap<u64, TcpStream>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn active(&self) -> MutexGuard<'_, usize> {
        self.active.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Held by a connection's thread: unregisters the connection when the thread ends, however.
struct Slot {
    shared: Arc<Shared>,
    id: u64,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.shared.open().remove(&self.id);
        let mut active = self.shared.active();
        *active = active.saturating_sub(1);
        self.shared.finished.notify_all();
    }
}

/// A running HTTP server; stops when dropped (or on [`Server::stop`]).
pub struct Server {
    url: String,
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
    rejecter: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("url", &self.url)
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Serves the emulator over HTTP on `addr` (such as `127.0.0.1:12111`, or port 0 for any
    /// free port) with [`ServeOptions::default`], until the returned [`Server`] is dropped.
    /// Objects then carry URLs on this server.
    ///
    /// # Errors
    ///
    /// When the address cannot be bound.
    pub fn serve(&self, addr: &str) -> std::io::Result<Server> {
        self.serve_with(addr, ServeOptions::default())
    }

    /// Serves the emulator over HTTP on `addr` as `options` say, until the returned [`Server`]
    /// is dropped. Objects then carry URLs on this server ([`ServeOptions::public_url`], or the
    /// bound address).
    ///
    /// On a loopback address, a request whose `Host` is not a loopback name or address (nor the
    /// public URL's host) is refused with 403: a web page cannot reach the emulator through DNS
    /// rebinding. On any other address there is no such check, and a warning goes to stderr:
    /// anyone who can reach the address can use the emulator.
    ///
    /// # Errors
    ///
    /// When the address cannot be bound, or the public URL is not an `http(s)://` URL.
    pub fn serve_with(&self, addr: &str, options: ServeOptions) -> std::io::Result<Server> {
        let listener = TcpListener::bind(addr)?;
        let bound = listener.local_addr()?;
        let (url, guessed) = host::base_url(bound, options.public_url.as_deref())?;
        if !bound.ip().is_loopback() {
            host::warn_public(bound, &url, guessed);
        }
        let host_check = bound
            .ip()
            .is_loopback()
            .then(|| host::HostCheck::new(options.public_url.as_deref()));
        self.set_base_url(url.clone());
        let shared = Arc::new(Shared {
            options,
            host_check,
            stopping: AtomicBool::new(false),
            open: Mutex::new(HashMap::new()),
            active: Mutex::new(0),
            finished: Condvar::new(),
        });
        // Connections over the cap are answered 503 on a thread of their own, so that neither
        // the accept loop nor a connection slot waits on them; a full queue drops them.
        let (reject, rejected) = std::sync::mpsc::sync_channel::<TcpStream>(64);
        let rejecter = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("stripe-emulator-503".into())
                .spawn(move || refuse_all(&rejected, &shared))?
        };
        let accept = {
            let (shared, emulator) = (Arc::clone(&shared), self.clone());
            std::thread::Builder::new()
                .name("stripe-emulator".into())
                .spawn(move || accept_loop(&listener, &shared, &emulator, &reject))?
        };
        // An idle server still sees time pass: what it changes (a session expiring) is stored
        // and its events sent within a second, not at the next request.
        {
            let (shared, emulator) = (Arc::clone(&shared), self.clone());
            std::thread::Builder::new()
                .name("stripe-emulator-clock".into())
                .spawn(move || {
                    while !shared.stopping.load(Ordering::SeqCst) {
                        std::thread::sleep(Duration::from_secs(1));
                        emulator.engine().settle_clock();
                    }
                })?;
        }
        Ok(Server {
            url,
            addr: bound,
            shared,
            accept: Some(accept),
            rejecter: Some(rejecter),
        })
    }
}

fn accept_loop(
    listener: &TcpListener,
    shared: &Arc<Shared>,
    emulator: &Emulator,
    reject: &SyncSender<TcpStream>,
) {
    let mut next_id: u64 = 0;
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        let stream = match stream {
            Ok(stream) => stream,
            // Out of file descriptors, or a connection reset before it was accepted: let the
            // others finish, and go on.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        // Each answer leaves in one write: nothing to gain from Nagle, 40 ms of delayed ACK to lose.
        let _ = stream.set_nodelay(true);
        let full = *shared.active() >= shared.options.max_connections;
        if full {
            // A full queue drops the connection: under such a flood, a reset will do.
            let _ = reject.try_send(stream);
            continue;
        }
        let Ok(handle) = stream.try_clone() else {
            continue;
        };
        next_id = next_id.wrapping_add(1);
        let id = next_id;
        shared.open().insert(id, handle);
        *shared.active() += 1;
        let slot = Slot {
            shared: Arc::clone(shared),
            id,
        };
        let emulator = emulator.clone();
        // When the thread cannot start, the closure is dropped with its slot and stream: the
        // connection is unregistered and closed.
        let _ = std::thread::Builder::new()
            .name("stripe-emulator-connection".into())
            .spawn(move || {
                connection::serve(stream, &emulator, &slot.shared);
                drop(slot);
            });
    }
}

/// Answers each connection over the cap 503 and closes it.
fn refuse_all(rejected: &Receiver<TcpStream>, shared: &Shared) {
    for stream in rejected {
        if shared.stopping.load(Ordering::SeqCst) {
            continue;
        }
        connection::refuse_busy(&stream);
    }
}

impl Server {
    /// The base URL, such as `http://127.0.0.1:12111` (or [`ServeOptions::public_url`]).
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bound address.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Blocks until the server stops (for a binary that serves forever).
    pub fn join(mut self) {
        if let Some(thread) = self.accept.take() {
            let _ = thread.join();
        }
    }

    /// Stops accepting, closes every connection (idle kept-alive ones included), and waits
    /// briefly for their threads.
    pub fn stop(self) {
        drop(self);
    }
}

/// How long dropping a server waits for its connections' threads to end, once their sockets
/// are shut down (a thread inside [`Emulator::handle`] finishes its answer first).
const STOP_GRACE: Duration = Duration::from_secs(2);

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wake the accept loop with a connection of our own; if that fails, leave it be rather
        // than wait on it forever (it ends at its next connection).
        let woken = TcpStream::connect_timeout(&host::wake_addr(self.addr), STOP_GRACE).is_ok();
        if let Some(thread) = self.accept.take() {
            if woken {
                let _ = thread.join();
            }
        }
        // The accept loop is gone, and its sender with it: the rejecter ends after its current
        // connection (each takes at most a few hundred milliseconds).
        if let Some(thread) = self.rejecter.take() {
            if woken {
                let _ = thread.join();
            }
        }
        for stream in self.shared.open().values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let deadline = Instant::now() + STOP_GRACE;
        let mut active = self.shared.active();
        while *active > 0 {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            active = self
                .shared
                .finished
                .wait_timeout(active, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}
