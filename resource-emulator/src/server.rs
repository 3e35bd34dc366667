//! The emulator over HTTP/1.1 on a small synchronous server (tiny_http), so any language's
//! Stripe SDK can be pointed at it.

use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::Emulator;
use crate::engine::Incoming;

/// Requests larger than this are refused (Stripe's own limit for API requests is far lower).
const MAX_REQUEST_BYTES: u64 = 64 * 1024 * 1024;

/// A running HTTP server; stops when dropped (or on [`Server::stop`]).
pub struct Server {
    url: String,
    addr: SocketAddr,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// Serves the emulator over HTTP on `addr` (such as `127.0.0.1:12111`, or port 0 for any
    /// free port) until the returned [`Server`] is dropped. Objects then carry URLs on this server.
    ///
    /// # Errors
    ///
    /// When the address cannot be bound.
    pub fn serve(&self, addr: &str) -> std::io::Result<Server> {
        let server = tiny_http::Server::http(addr).map_err(std::io::Error::other)?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| std::io::Error::other("the server did not bind an IP address"))?;
        let url = format!("http://{addr}");
        self.set_base_url(url.clone());
        let server = Arc::new(server);
        let thread = {
            let (server, emulator) = (Arc::clone(&server), self.clone());
            std::thread::Builder::new()
                .name("stripe-emulator".into())
                .spawn(move || serve(&server, &emulator))?
        };
        Ok(Server {
            url,
            addr,
            server,
            thread: Some(thread),
        })
    }
}

fn serve(server: &tiny_http::Server, emulator: &Emulator) {
    for mut request in server.incoming_requests() {
        let mut body = Vec::new();
        let read = request
            .as_reader()
            .take(MAX_REQUEST_BYTES)
            .read_to_end(&mut body);
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .map(|h| {
                (
                    h.field.as_str().as_str().to_owned(),
                    h.value.as_str().to_owned(),
                )
            })
            .collect();
        let url = request.url().to_owned();
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let method = request.method().as_str().to_owned();
        let outgoing = match read {
            Ok(_) => emulator.handle(&Incoming {
                method: &method,
                path,
                query,
                headers: &headers,
                body: &body,
            }),
            Err(_) => crate::Outgoing {
                status: 400,
                headers: Vec::new(),
                body: b"{}".to_vec(),
            },
        };
        let mut response =
            tiny_http::Response::from_data(outgoing.body).with_status_code(outgoing.status);
        for (name, value) in &outgoing.headers {
            if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
                response.add_header(header);
            }
        }
        // A client that went away is its own problem; keep serving the others.
        let _ = request.respond(response);
    }
}

impl Server {
    /// The base URL, such as `http://127.0.0.1:12111`.
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
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Stops accepting requests and waits for the server thread.
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
