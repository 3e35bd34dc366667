//! One connection's loop, on its own thread: read a request (outside the engine's lock), check
//! its `Host`, answer `Expect: 100-continue`, read its body, let the engine answer, write the
//! answer in one buffer; again while the connection is kept alive. After a framing error the
//! connection is answered and closed, since where the next request starts is unknown.

use std::io::Read;
use std::net::{Shutdown, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::Shared;
use super::request::{self, Failure, Framing, Head, Input};
use super::response::{self, Persist};
use crate::{Emulator, Incoming, Outgoing};

/// Serves requests on `stream` until it is closed, times out, or breaks the framing.
pub(super) fn serve(stream: TcpStream, emulator: &Emulator, shared: &Shared) {
    let options = &shared.options;
    let _ = stream.set_write_timeout(Some(options.write_timeout));
    let mut input = Input::new(stream, options.read_timeout);
    let linger = options.read_timeout.min(MAX_LINGER);
    // A new connection that does not start its request within the read timeout is not a client
    // worth a connection slot; a kept-alive one may idle longer between requests.
    let mut idle = options.idle_timeout.min(options.read_timeout);
    loop {
        let exchanged = request::read_head(&mut input, options, idle)
            .and_then(|head| exchange(&mut input, &head, emulator, shared));
        idle = options.idle_timeout;
        match exchanged {
            Ok(Persist::KeepAlive | Persist::KeepAlive10) => {}
            Ok(Persist::Close) => return close_gracefully(input.stream(), linger),
            Err(Failure::Gone) => return,
            Err(Failure::Refuse(status, message)) => {
                let wire =
                    response::encode(&response::error(status, &message), false, Persist::Close);
                if response::send(input.stream(), &wire).is_ok() {
                    close_gracefully(input.stream(), linger);
                }
                return;
            }
        }
    }
}

/// Answers one request whose head has been read; says whether the connection stays open.
fn exchange(
    input: &mut Input,
    head: &Head,
    emulator: &Emulator,
    shared: &Shared,
) -> Result<Persist, Failure> {
    let options = &shared.options;
    let framing = request::framing(head, options.max_body_bytes)?;
    check_host(head, shared)?;
    let has_body = framing != Framing::Length(0);
    if has_body
        && !head.http10
        && head.has_token("expect", "100-continue")
        && !request::body_begun(input)
    {
        response::send(input.stream(), response::CONTINUE).map_err(|_| Failure::Gone)?;
    }
    let body = request::read_body(input, head, framing, options)?;
    let persist = if shared.stopping.load(Ordering::SeqCst) {
        Persist::Close
    } else if head.http10 {
        if head.has_token("connection", "keep-alive") && !head.has_token("connection", "close") {
            Persist::KeepAlive10
        } else {
            Persist::Close
        }
    } else if head.has_token("connection", "close") {
        Persist::Close
    } else {
        Persist::KeepAlive
    };
    let outgoing = answer(emulator, head, &body);
    let wire = response::encode(&outgoing, head.method == "HEAD", persist);
    response::send(input.stream(), &wire).map_err(|_| Failure::Gone)?;
    Ok(persist)
}

/// One `Host` header (RFC 9112 §3.2), and on a loopback server one that names loopback: a page
/// that rebinds its own name to 127.0.0.1 still sends that name.
fn check_host(head: &Head, shared: &Shared) -> Result<(), Failure> {
    let mut hosts = head.all("host");
    let host = hosts.next();
    if hosts.next().is_some() {
        return Err(Failure::Refuse(
            400,
            "The request has more than one Host header.".into(),
        ));
    }
    let Some(check) = &shared.host_check else {
        return Ok(());
    };
    let absolute = authority(&head.target);
    for name in host.into_iter().chain(absolute) {
        if !check.allows(name) {
            return Err(Failure::Refuse(
                403,
                format!(
                    "This emulator listens on loopback and only answers requests addressed to \
                     it by a loopback name (localhost, 127.0.0.1, [::1]), not to {name:?}: this \
                     keeps web pages from reaching it through DNS rebinding."
                ),
            ));
        }
    }
    Ok(())
}

/// The scheme of an absolute-form target (`http://host/path`), as a proxy sends it, and its
/// length.
fn absolute_scheme(target: &str) -> Option<usize> {
    ["http://", "https://"].into_iter().find_map(|scheme| {
        target
            .get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
            .then_some(scheme.len())
    })
}

/// The authority of an absolute-form target.
fn authority(target: &str) -> Option<&str> {
    let rest = target.get(absolute_scheme(target)?..)?;
    rest.split(['/', '?']).next()
}

/// The path and query of a target, in origin form.
fn origin_form(target: &str) -> &str {
    let Some(rest) = absolute_scheme(target).and_then(|at| target.get(at..)) else {
        return target;
    };
    rest.find(['/', '?'])
        .and_then(|at| rest.get(at..))
        .unwrap_or("/")
}

/// The engine's answer to the request; a 500 if it panics (in a resource's hook, say), so the
/// client still gets an answer and the server keeps serving.
fn answer(emulator: &Emulator, head: &Head, body: &[u8]) -> Outgoing {
    let target = origin_form(&head.target);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = if path.is_empty() { "/" } else { path };
    let incoming = Incoming {
        method: &head.method,
        path,
        query,
        headers: &head.headers,
        body,
    };
    catch_unwind(AssertUnwindSafe(|| emulator.handle(&incoming))).unwrap_or_else(|_| {
        response::error(
            500,
            "The emulator failed while answering this request (it panicked; see its stderr).",
        )
    })
}

/// The longest a closing connection reads and drops what its client still sends.
const MAX_LINGER: Duration = Duration::from_secs(2);

/// The most bytes a closing connection reads and drops.
const MAX_DRAIN: usize = 4 * 1024 * 1024;

/// Closes gracefully: sends FIN after the answer, then reads and drops what the client still
/// sends (for at most `budget`) before closing. Closing with unread bytes would send a reset,
/// which can destroy the answer before the client reads it.
fn close_gracefully(mut stream: &TcpStream, budget: Duration) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + budget;
    let mut sink = [0; 16 * 1024];
    let mut drained = 0usize;
    while drained < MAX_DRAIN {
        let Some(left) = deadline
            .checked_duration_since(Instant::now())
            .filter(|left| !left.is_zero())
        else {
            break;
        };
        if stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(read) => drained = drained.saturating_add(read),
        }
    }
}

/// Answers a connection over the cap 503, and closes it.
pub(super) fn refuse_busy(stream: &TcpStream) {
    const BRIEF: Duration = Duration::from_millis(100);
    let _ = stream.set_write_timeout(Some(BRIEF));
    let busy = response::error(
        503,
        "The emulator is serving as many connections as it may; retry shortly.",
    );
    if response::send(stream, &response::encode(&busy, false, Persist::Close)).is_ok() {
        close_gracefully(stream, BRIEF);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_form_targets_are_reduced_to_their_path() {
        assert_eq!(
            origin_form("/v1/customers?limit=3"),
            "/v1/customers?limit=3"
        );
        assert_eq!(
            origin_form("HTTP://localhost:1/v1/customers?limit=3"),
            "/v1/customers?limit=3"
        );
        assert_eq!(origin_form("http://localhost:1"), "/");
        assert_eq!(origin_form("http://localhost:1?a=b"), "?a=b");
        assert_eq!(authority("https://evil.example/v1"), Some("evil.example"));
        assert_eq!(authority("/v1/customers"), None);
    }
}
