//! The default transport: ureq 3 over rustls, one pooled agent per client. The only file that
//! names ureq.

use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::Agent;
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::client::Method;
use crate::error::Error;
use crate::proxy::{self, Proxy, ProxyUrl};
use crate::transport::{
    MAX_RESPONSE_BYTES, Request, Response, StreamedResponse, Transport, TransportError,
    TransportErrorKind,
};

/// How many idle connections the pool keeps open for reuse.
const MAX_IDLE_CONNECTIONS: usize = 32;

/// Sends requests with a [`ureq::Agent`], reusing connections across calls and threads.
///
/// Proxies: see [`Proxy`] for the rules. In short, the environment's proxy (`HTTPS_PROXY`, ...)
/// is used for `https://` URLs only, an explicit proxy for every `https://` URL, and a plain
/// `http://` request (a local emulator) goes directly, or through an explicit proxy on a
/// loopback host, never through any other proxy, which would see the secret key in clear.
///
/// Logging: ureq's `debug` lines redact sensitive headers, but at `trace` level the
/// `ureq_proto` target hex-dumps the raw bytes on the wire, the `Authorization` header (the
/// secret key) included. Never enable `trace` for `ureq_proto` where logs are kept.
#[derive(Debug, Clone)]
pub struct UreqTransport {
    /// Connects directly.
    direct: Agent,
    /// Connects through the proxy, when there is one.
    proxied: Option<Proxied>,
}

#[derive(Debug, Clone)]
struct Proxied {
    agent: Agent,
    /// What a plain-http request does.
    plain_http: PlainHttp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlainHttp {
    /// Connects directly (the environment's proxy is for https only).
    Direct,
    /// Goes through the proxy, which is on a loopback host.
    Proxied,
    /// Refused: the explicit proxy is elsewhere, and would read the request in clear.
    Refused,
}

impl UreqTransport {
    /// An agent with `timeout` for each attempt (connect to last body byte) and
    /// `connect_timeout` for opening a connection. It follows no redirects (Stripe sends none, and
    /// a redirect must not carry the key elsewhere), passes every status through, and keeps up to
    /// 32 idle connections for reuse, so many threads can share one client.
    ///
    /// It uses the environment's proxy, read now, for `https://` URLs only
    /// ([`Proxy::Environment`]).
    #[must_use]
    pub fn new(timeout: Duration, connect_timeout: Duration) -> Self {
        let proxy = ureq::Proxy::try_from_env();
        Self::with_agents(timeout, connect_timeout, proxy, PlainHttp::Direct)
    }

    /// As [`new`](Self::new), going through `proxy` (see [`Proxy`] for the rules).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) for a malformed proxy URL (not
    /// `http://` or `https://`, no host, a path); the message never quotes its credentials.
    pub fn with_proxy(
        timeout: Duration,
        connect_timeout: Duration,
        proxy: &Proxy,
    ) -> Result<Self, Error> {
        Ok(match proxy {
            Proxy::Environment => Self::new(timeout, connect_timeout),
            Proxy::Direct => Self::with_agents(timeout, connect_timeout, None, PlainHttp::Direct),
            Proxy::Url(url) => {
                let checked = ProxyUrl::parse(url)?;
                let parsed = ureq::Proxy::new(url).map_err(|error| {
                    Error::invalid_input(format!(
                        "invalid proxy URL {}: {error}",
                        proxy::redacted(url)
                    ))
                })?;
                let plain_http = if checked.loopback {
                    PlainHttp::Proxied
                } else {
                    PlainHttp::Refused
                };
                Self::with_agents(timeout, connect_timeout, Some(parsed), plain_http)
            }
        })
    }

    fn with_agents(
        timeout: Duration,
        connect_timeout: Duration,
        proxy: Option<ureq::Proxy>,
        plain_http: PlainHttp,
    ) -> Self {
        let proxied = proxy.map(|proxy| Proxied {
            agent: agent(timeout, connect_timeout, Some(proxy)),
            plain_http,
        });
        UreqTransport {
            direct: agent(timeout, connect_timeout, None),
            proxied,
        }
    }

    /// The agent for `url`: through the proxy for `https://`, and for plain `http://` only
    /// where the proxy is loopback and explicit.
    fn agent_for(&self, url: &str) -> Result<&Agent, TransportError> {
        let Some(proxied) = &self.proxied else {
            return Ok(&self.direct);
        };
        let https = url
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"));
        if https {
            return Ok(&proxied.agent);
        }
        match proxied.plain_http {
            PlainHttp::Direct => Ok(&self.direct),
            PlainHttp::Proxied => Ok(&proxied.agent),
            PlainHttp::Refused => Err(TransportError::new(
                TransportErrorKind::Protocol,
                "refusing to send a plain-http request, secret key included, through a proxy \
                 that is not on a loopback host",
            )),
        }
    }
}

/// An agent going through `proxy`, or directly when there is none (the environment ignored).
fn agent(timeout: Duration, connect_timeout: Duration, proxy: Option<ureq::Proxy>) -> Agent {
    let config = Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .timeout_connect(Some(connect_timeout))
        // ureq keeps 3 idle connections per host by default: with more threads sharing a
        // client, the rest were closed and reopened (a TLS handshake each) on every call.
        .max_idle_connections(MAX_IDLE_CONNECTIONS)
        .max_idle_connections_per_host(MAX_IDLE_CONNECTIONS)
        // Always set: ureq's default is the environment's proxy for every URL, plain http too.
        .proxy(proxy)
        .build();
    // `with_parts` is `new_agent` with our resolver in place of ureq's default one.
    Agent::with_parts(
        config,
        DefaultConnector::default(),
        CachingResolver::default(),
    )
}

impl UreqTransport {
    /// Sends `request` and returns the response with its body unread.
    fn exchange(
        &self,
        request: &Request,
    ) -> Result<ureq::http::Response<ureq::Body>, TransportError> {
        let agent = self.agent_for(&request.url)?;
        let headers = request.headers.iter();
        let result = match request.method {
            Method::Get => headers
                .fold(agent.get(&request.url), |r, (k, v)| r.header(&**k, &**v))
                .call(),
            Method::Delete => headers
                .fold(agent.delete(&request.url), |r, (k, v)| r.header(&**k, &**v))
                .call(),
            Method::Post => {
                let post = headers.fold(agent.post(&request.url), |r, (k, v)| r.header(&**k, &**v));
                match request.body.as_bytes() {
                    Some(bytes) => post.send(bytes),
                    // An upload: streamed from its sources, with its length when known (else chunked).
                    None => {
                        let post = match request.body.len() {
                            Some(len) => post.header("Content-Length", len.to_string()),
                            None => post,
                        };
                        let mut reader = request.body.reader().map_err(|error| {
                            TransportError::new(
                                TransportErrorKind::Io,
                                format!("cannot read the upload: {error}"),
                            )
                            .with_source(error)
                        })?;
                        post.send(ureq::SendBody::from_reader(&mut reader))
                    }
                }
            }
        };
        result.map_err(transport_error)
    }
}

/// The status and headers of a response.
fn head(response: &ureq::http::Response<ureq::Body>) -> (u16, Vec<(String, String)>) {
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    (response.status().as_u16(), headers)
}

impl Transport for UreqTransport {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let mut response = self.exchange(request)?;
        let (status, headers) = head(&response);
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
            .map_err(transport_error)?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    /// The body is read from the connection as the caller reads it, with no size limit; the
    /// per-attempt timeout still bounds the whole exchange.
    fn send_streaming(&self, request: &Request) -> Result<StreamedResponse, TransportError> {
        let response = self.exchange(request)?;
        let (status, headers) = head(&response);
        Ok(StreamedResponse {
            status,
            headers,
            body: Box::new(response.into_body().into_reader()),
        })
    }
}

const RESOLVE_TTL: Duration = Duration::from_secs(30);

/// ureq resolves the host before every request, pooled connection or not, and with a timeout
/// configured (we always configure one) its resolver does so on a new thread each time, to bound
/// `getaddrinfo`. That thread cost more than everything else in a call on a pooled connection.
/// This resolver answers IP literals at once and reuses a host name's addresses for
/// [`RESOLVE_TTL`], so a call on a pooled connection spawns no thread and sends no DNS query; a
/// lookup still goes through ureq's resolver, on a thread, within the timeout.
#[derive(Debug, Default)]
struct CachingResolver {
    lookup: DefaultResolver,
    /// One entry per host the client talks to (the API and the files host).
    cache: Mutex<Vec<Resolved>>,
}

#[derive(Debug)]
struct Resolved {
    scheme: String,
    authority: String,
    at: Instant,
    addrs: ResolvedSocketAddrs,
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
            return self.lookup.resolve(uri, config, timeout);
        };
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']');
        if let Ok(ip) = host.parse::<IpAddr>() {
            let default_port = if scheme == "https" { 443 } else { 80 };
            let mut addrs = self.empty();
            addrs.push(SocketAddr::new(
                ip,
                authority.port_u16().unwrap_or(default_port),
            ));
            return Ok(addrs);
        }
        let now = Instant::now();
        let same =
            |entry: &Resolved| entry.scheme == scheme && entry.authority == authority.as_str();
        if let Ok(cache) = self.cache.lock() {
            let fresh = cache
                .iter()
                .find(|entry| same(entry) && now.duration_since(entry.at) < RESOLVE_TTL);
            if let Some(entry) = fresh {
                return Ok(entry.addrs.clone());
            }
        }
        let addrs = self.lookup.resolve(uri, config, timeout)?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.retain(|entry| !same(entry));
            cache.push(Resolved {
                scheme: scheme.to_owned(),
                authority: authority.as_str().to_owned(),
                at: now,
                addrs: addrs.clone(),
            });
        }
        Ok(addrs)
    }
}

fn transport_error(error: ureq::Error) -> TransportError {
    let kind = match &error {
        ureq::Error::Timeout(_) => TransportErrorKind::Timeout,
        ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::ConnectProxyFailed(_) => TransportErrorKind::Connect,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            TransportErrorKind::Timeout
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            TransportErrorKind::Connect
        }
        ureq::Error::Io(_) => TransportErrorKind::Io,
        _ => TransportErrorKind::Protocol,
    };
    TransportError::new(kind, error.to_string()).with_source(error)
}
