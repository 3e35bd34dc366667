//! Proxies and the built-in transport: the environment's proxy is for `https://` base URLs only
//! (a plain-http base, such as a local emulator, would show the secret key to the proxy), an
//! explicit proxy carries `https://` requests in a `CONNECT` tunnel, and an explicit proxy that
//! is not on a loopback host is refused with a plain-http base.
//!
//! Environment variables are process-wide: every test here holds [`ENV`] while it runs, and
//! builds its clients while holding it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a broken fixture fails loudly"
)]
#![allow(
    unsafe_code,
    reason = "std::env::set_var and remove_var; every test of this binary holds ENV, so no other \
              thread reads the environment meanwhile"
)]

use std::io::Read;
use std::net::TcpListener;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use file_link::{FileLink, FileLinkId};
use resource_core::{Client, ClientBuilder, ErrorKind, Proxy};
use tests::{InProcess, RecordingServer, Reply, json_response, openapi_fixture};

const KEY: &str = "sk_test_PROXY_SECRET_51Hx9";

const PROXY_VARIABLES: [&str; 8] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
];

static ENV: Mutex<()> = Mutex::new(());

fn env_lock() -> MutexGuard<'static, ()> {
    ENV.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Sets the proxy variables for the duration of a test, and puts the old values back.
struct ProxyEnvironment {
    saved: Vec<(&'static str, Option<String>)>,
}

impl ProxyEnvironment {
    /// Every proxy variable set to `proxy`, `NO_PROXY` to `no_proxy` (or unset).
    fn set(proxy: &str, no_proxy: Option<&str>) -> Self {
        let saved = PROXY_VARIABLES
            .iter()
            .map(|name| (*name, std::env::var(name).ok()))
            .collect();
        for name in PROXY_VARIABLES {
            let value = if name.eq_ignore_ascii_case("no_proxy") {
                no_proxy
            } else {
                Some(proxy)
            };
            // SAFETY: the caller holds ENV, and no other thread of this binary reads the
            // environment without it.
            unsafe {
                match value {
                    Some(value) => std::env::set_var(name, value),
                    None => std::env::remove_var(name),
                }
            }
        }
        ProxyEnvironment { saved }
    }

    /// No proxy variable at all.
    fn clear() -> Self {
        let environment = ProxyEnvironment::set("", None);
        for name in PROXY_VARIABLES {
            // SAFETY: as in `set`.
            unsafe { std::env::remove_var(name) };
        }
        environment
    }
}

impl Drop for ProxyEnvironment {
    fn drop(&mut self) {
        for (name, value) in &self.saved {
            // SAFETY: as in `set`; the guard is dropped before ENV is released.
            unsafe {
                match value {
                    Some(value) => std::env::set_var(name, value),
                    None => std::env::remove_var(name),
                }
            }
        }
    }
}

/// A TCP listener on 127.0.0.1 that records the first bytes of every connection, then closes
/// it: a "proxy" (it sees a `CONNECT` line) or an "https server" (it sees a TLS ClientHello).
struct Recorder {
    port: u16,
    seen: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Recorder {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        // Never joined: it blocks in `accept` until the test binary exits.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                stream
                    .set_read_timeout(Some(Duration::from_secs(5)))
                    .unwrap();
                // A request head up to its blank line, or the first bytes of a TLS handshake.
                let mut seen = Vec::new();
                let mut buffer = [0; 4096];
                while seen.len() < 16 * 1024 {
                    match stream.read(&mut buffer) {
                        Ok(0) | Err(_) => break,
                        Ok(read) => seen.extend_from_slice(&buffer[..read]),
                    }
                    if seen.first() == Some(&0x16) || seen.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
                record.lock().unwrap().push(seen);
            }
        });
        Recorder { port, seen }
    }

    fn url(&self, scheme: &str) -> String {
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    fn seen(&self) -> Vec<Vec<u8>> {
        self.seen.lock().unwrap().clone()
    }

    /// The first line of each connection, as text.
    fn lines(&self) -> Vec<String> {
        self.seen()
            .iter()
            .map(|bytes| {
                let text = String::from_utf8_lossy(bytes);
                text.lines().next().unwrap_or_default().to_owned()
            })
            .collect()
    }
}

fn builder() -> ClientBuilder {
    Client::builder(KEY)
        .max_network_retries(0)
        .timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(5))
}

fn link_server() -> RecordingServer {
    RecordingServer::start(|_| Reply::json(200, &openapi_fixture("file_link")))
}

fn retrieve(client: &Client) -> Result<FileLink, resource_core::Error> {
    let id: FileLinkId = "link_1".parse().unwrap();
    FileLink::retrieve(client, &id)
}

#[test]
fn environment_proxies_are_used_for_https_base_urls_only() {
    let _lock = env_lock();
    let proxy = Recorder::start();
    let environment = ProxyEnvironment::set(&proxy.url("http"), None);

    // A plain-http base (the emulator in CI): straight to the server, never through the proxy,
    // which would read `Authorization: Bearer sk_test_...` in clear.
    let server = link_server();
    let client = builder().base_url(server.base_url()).build().unwrap();
    retrieve(&client).unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].header("Authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    // `localhost` too, and the files host.
    let client = builder()
        .base_url(server.base_url().replace("127.0.0.1", "localhost"))
        .files_base_url(server.base_url())
        .build()
        .unwrap();
    retrieve(&client).unwrap();
    assert_eq!(server.requests().len(), 2);
    assert!(proxy.seen().is_empty(), "{:?}", proxy.lines());

    // An https base: through the proxy, in a CONNECT tunnel.
    let client = builder().build().unwrap();
    let error = retrieve(&client).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connection, "{error}");
    assert_eq!(proxy.lines(), ["CONNECT api.stripe.com:443 HTTP/1.1"]);
    let tunnelled = String::from_utf8_lossy(&proxy.seen()[0]).into_owned();
    assert!(!tunnelled.contains(KEY), "{tunnelled}");

    // `no_proxy()`: the environment is ignored, https goes directly (here to a fake https server
    // that only sees the TLS ClientHello).
    let https_server = Recorder::start();
    let client = builder()
        .base_url(https_server.url("https"))
        .no_proxy()
        .build()
        .unwrap();
    assert!(retrieve(&client).is_err());
    assert_eq!(https_server.seen().len(), 1);
    assert_eq!(
        https_server.seen()[0].first(),
        Some(&0x16),
        "a TLS handshake"
    );
    assert_eq!(proxy.seen().len(), 1, "{:?}", proxy.lines());

    // A host listed in NO_PROXY connects directly.
    drop(environment);
    let _environment = ProxyEnvironment::set(&proxy.url("http"), Some("127.0.0.1"));
    let client = builder()
        .base_url(https_server.url("https"))
        .build()
        .unwrap();
    assert!(retrieve(&client).is_err());
    assert_eq!(https_server.seen().len(), 2);
    assert_eq!(proxy.seen().len(), 1, "{:?}", proxy.lines());
}

#[test]
fn an_explicit_proxy_carries_https_requests_in_a_tunnel() {
    let _lock = env_lock();
    let _environment = ProxyEnvironment::clear();
    let proxy = Recorder::start();

    let client = builder().proxy(proxy.url("http")).build().unwrap();
    let error = retrieve(&client).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connection, "{error}");
    assert!(!error.to_string().contains(KEY));
    assert_eq!(proxy.lines(), ["CONNECT api.stripe.com:443 HTTP/1.1"]);

    // A loopback proxy may carry a plain-http request (a local debugging proxy in front of the
    // emulator): it stays on this machine.
    let server = link_server();
    let client = builder()
        .base_url(server.base_url())
        .proxy(proxy.url("http"))
        .build()
        .unwrap();
    assert!(retrieve(&client).is_err());
    let lines = proxy.lines();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[1],
        format!(
            "CONNECT {} HTTP/1.1",
            server.base_url().trim_start_matches("http://")
        )
    );
    assert!(server.requests().is_empty());
}

#[test]
fn an_explicit_proxy_elsewhere_is_refused_with_a_plain_http_base() {
    let _lock = env_lock();
    let _environment = ProxyEnvironment::clear();
    let remote = "http://proxy-user:proxy-secret@10.1.2.3:3128";

    for (base, files) in [
        ("http://127.0.0.1:12111", "https://files.stripe.com"),
        ("https://api.stripe.com", "http://localhost:12111"),
    ] {
        let error = builder()
            .base_url(base)
            .files_base_url(files)
            .proxy(remote)
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
        let shown = format!("{error} {error:?}");
        assert!(
            !shown.contains("proxy-secret") && !shown.contains(KEY),
            "{shown}"
        );
        assert!(shown.contains("10.1.2.3"), "{shown}");
    }

    // Allowed with https bases, or with no proxy.
    builder().proxy(remote).build().unwrap();
    builder()
        .base_url("http://127.0.0.1:12111")
        .no_proxy()
        .build()
        .unwrap();

    // Malformed proxy URLs are refused when building, never quoting credentials. (ureq panics
    // on a SOCKS proxy set by hand without its `socks-proxy` feature: refused here instead.)
    for bad in [
        "socks5://127.0.0.1:1080",
        "proxy.example.com:3128",
        "http://user:proxy-secret@",
        "http://proxy.example.com/path",
    ] {
        let error = builder().proxy(bad).build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{bad}");
        assert!(!error.to_string().contains("proxy-secret"), "{error}");
    }

    // A custom transport is unaffected: the proxy is a setting of the built-in one.
    let transport = InProcess::new(|_| json_response(200, &openapi_fixture("file_link")));
    let client = builder()
        .base_url("http://127.0.0.1:12111")
        .proxy(remote)
        .transport(transport.clone())
        .build()
        .unwrap();
    retrieve(&client).unwrap();
    assert_eq!(transport.requests().len(), 1);

    // Debug output shows neither the key nor the proxy's password.
    let builder = builder().proxy(remote);
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains("proxy-secret") && !shown.contains(KEY),
        "{shown}"
    );
    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(
        !shown.contains("proxy-secret") && !shown.contains(KEY),
        "{shown}"
    );
    let shown = format!("{:?}", Proxy::Url(remote.to_owned()));
    assert!(!shown.contains("proxy-secret"), "{shown}");
}
