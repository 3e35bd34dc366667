//! The default transport: ureq 3 over rustls, one pooled agent per client. The only file that
//! names ureq.

use std::time::Duration;

use ureq::Agent;

use crate::client::Method;
use crate::transport::{Request, Response, Transport, TransportError, TransportErrorKind};

/// The largest response body read; a larger one is refused rather than buffered.
pub(crate) const MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// How many idle connections the pool keeps open for reuse.
const MAX_IDLE_CONNECTIONS: usize = 32;

/// Sends requests with a [`ureq::Agent`], reusing connections across calls and threads.
///
/// Logging: ureq's `debug` lines redact sensitive headers, but at `trace` level the
/// `ureq_proto` target hex-dumps the raw bytes on the wire, the `Authorization` header (the
/// secret key) included. Never enable `trace` for `ureq_proto` where logs are kept.
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: Agent,
}

impl UreqTransport {
    /// An agent with `timeout` for each attempt (connect to last body byte) and
    /// `connect_timeout` for opening a connection. It follows no redirects (Stripe sends none, and
    /// a redirect must not carry the key elsewhere), passes every status through, and keeps up to
    /// 32 idle connections for reuse, so many threads can share one client.
    #[must_use]
    pub fn new(timeout: Duration, connect_timeout: Duration) -> Self {
        let agent = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(timeout))
            .timeout_connect(Some(connect_timeout))
            // ureq keeps 3 idle connections per host by default: with more threads sharing a
            // client, the rest were closed and reopened (a TLS handshake each) on every call.
            .max_idle_connections(MAX_IDLE_CONNECTIONS)
            .max_idle_connections_per_host(MAX_IDLE_CONNECTIONS)
            .build()
            .new_agent();
        UreqTransport { agent }
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let headers = request.headers.iter();
        let result = match request.method {
            Method::Get => headers
                .fold(self.agent.get(&request.url), |r, (k, v)| r.header(k, v))
                .call(),
            Method::Delete => headers
                .fold(self.agent.delete(&request.url), |r, (k, v)| r.header(k, v))
                .call(),
            Method::Post => {
                let post = headers.fold(self.agent.post(&request.url), |r, (k, v)| r.header(k, v));
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
        let mut response = result.map_err(transport_error)?;
        let status = response.status().as_u16();
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
}

fn transport_error(error: ureq::Error) -> TransportError {
    let kind = match &error {
        ureq::Error::Timeout(_) => TransportErrorKind::Timeout,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => TransportErrorKind::Connect,
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
