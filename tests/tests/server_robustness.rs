//! The emulator's HTTP server against slow, stalled, malformed and hostile clients, over raw
//! `TcpStream`s: a connection that stalls delays only itself and is closed after its timeout;
//! invalid framing is a Stripe-shaped 400 and closes the connection; heads and bodies have limits
//! (431, 413); chunked bodies, `Expect: 100-continue` and keep-alive work; an answer leaves in
//! one write (a page of 100 objects costs no 40 ms delayed ACK); a loopback server refuses a
//! foreign `Host` (DNS rebinding); connections over the cap are answered 503.
#![allow(clippy::unwrap_used, reason = "test code")]

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use resource_emulator::{Emulator, Incoming, ServeOptions, Server};
use serde_json::Value;
use tests::HttpAnswer as Answer;

const AUTH: &str = "Authorization: Bearer sk_test_123\r\n";

fn emulator() -> Emulator {
    let emulator = Emulator::new();
    common_resources::emulator::register(&emulator);
    emulator
}

/// Short timeouts, so that the tests that wait on them are fast.
fn quick() -> ServeOptions {
    ServeOptions::default()
        .read_timeout(Duration::from_millis(300))
        .request_timeout(Duration::from_secs(3))
        .idle_timeout(Duration::from_secs(3))
}

fn serve(options: ServeOptions) -> (Emulator, Server) {
    let emulator = emulator();
    let server = emulator.serve_with("127.0.0.1:0", options).unwrap();
    (emulator, server)
}

/// A connection whose reads give up after 5 s, so a broken server fails a test, never hangs it.
fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
}

fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n{AUTH}\r\n")
}

fn post(path: &str, form: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\n{AUTH}Content-Type: \
         application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    )
}

/// Sends `bytes` in one write (a request split over writes would meet the client's own Nagle).
fn send(mut stream: &TcpStream, bytes: &str) {
    stream.write_all(bytes.as_bytes()).unwrap();
}

/// What these tests check of an answer, beside [`Answer::header`] and [`Answer::json`].
trait Checks {
    fn assert_error(&self, status: u16);
}

impl Checks for Answer {
    /// A Stripe-shaped error of the server's own.
    fn assert_error(&self, status: u16) {
        assert_eq!(self.status, status, "{self:?}");
        let error = &self.json()["error"];
        assert!(error["type"].is_string(), "{self:?}");
        assert!(error["message"].is_string(), "{self:?}");
    }
}

/// The next answer on a connection, `None` at its end.
fn answer(reader: &mut BufReader<TcpStream>) -> Option<Answer> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let status = line.split(' ').nth(1)?.parse().ok()?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    let mut answer = Answer {
        status,
        headers,
        body: Vec::new(),
    };
    let length: usize = answer
        .header("Content-Length")
        .map_or(0, |l| l.parse().unwrap());
    answer.body = vec![0; length];
    reader.read_exact(&mut answer.body).ok()?;
    Some(answer)
}

fn reader(stream: &TcpStream) -> BufReader<TcpStream> {
    BufReader::new(stream.try_clone().unwrap())
}

/// Everything the server sends on a connection, up to its close.
fn everything(stream: &TcpStream) -> String {
    let mut all = Vec::new();
    let _ = stream.try_clone().unwrap().read_to_end(&mut all);
    String::from_utf8_lossy(&all).into_owned()
}

/// One request on a fresh connection, answered quickly.
fn quick_request(server: &Server, request: &str) -> (Answer, Duration) {
    let stream = connect(server);
    let start = Instant::now();
    send(&stream, request);
    let answer = answer(&mut reader(&stream)).unwrap();
    (answer, start.elapsed())
}

/// Whether the server has sent nothing and not closed the connection.
fn still_waiting(stream: &TcpStream) -> bool {
    stream
        .set_read_timeout(Some(Duration::from_millis(10)))
        .unwrap();
    let waiting = matches!(
        stream.peek(&mut [0; 1]),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
    );
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    waiting
}

#[test]
fn a_stalled_body_delays_only_its_own_connection_and_is_closed_after_the_read_timeout() {
    let (_emulator, server) = serve(quick().read_timeout(Duration::from_millis(800)));
    let stalled = connect(&server);
    let opened = Instant::now();
    send(
        &stalled,
        &format!(
            "POST /v1/customers HTTP/1.1\r\nHost: localhost\r\n{AUTH}Content-Length: 5000\r\n\r\n"
        ),
    );
    // A chunked body with no chunk at all stalls the same way.
    let chunked = connect(&server);
    send(
        &chunked,
        &format!(
            "POST /v1/customers HTTP/1.1\r\nHost: localhost\r\n{AUTH}Transfer-Encoding: chunked\r\n\r\n"
        ),
    );
    thread::sleep(Duration::from_millis(50));

    let (other, took) = quick_request(&server, &get("/v1/customers"));
    assert_eq!(other.status, 200);
    assert!(took < Duration::from_millis(300), "{took:?}");
    let (created, took) = quick_request(&server, &post("/v1/customers", "name=Jenny"));
    assert_eq!(created.status, 200, "{created:?}");
    assert!(took < Duration::from_millis(300), "{took:?}");
    assert!(still_waiting(&stalled) && still_waiting(&chunked));

    for stream in [&stalled, &chunked] {
        let timed_out = answer(&mut reader(stream)).unwrap();
        timed_out.assert_error(408);
        assert_eq!(timed_out.header("Connection"), Some("close"));
        assert_eq!(everything(stream), "", "closed after the 408");
    }
    let waited = opened.elapsed();
    assert!(
        waited >= Duration::from_millis(700) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
}

#[test]
fn a_trickling_body_delays_only_its_own_connection() {
    let (_emulator, server) = serve(quick());
    let form = "name=Trickle";
    let trickle = connect(&server);
    send(
        &trickle,
        &format!(
            "POST /v1/customers HTTP/1.1\r\nHost: localhost\r\n{AUTH}Content-Length: {}\r\n\r\n",
            form.len()
        ),
    );
    let sender = {
        let trickle = trickle.try_clone().unwrap();
        thread::spawn(move || {
            for byte in form.as_bytes() {
                thread::sleep(Duration::from_millis(40));
                (&trickle).write_all(&[*byte]).unwrap();
            }
        })
    };
    thread::sleep(Duration::from_millis(100));
    for _ in 0..3 {
        let (other, took) = quick_request(&server, &get("/v1/customers?limit=1"));
        assert_eq!(other.status, 200);
        assert!(took < Duration::from_millis(300), "{took:?}");
    }
    sender.join().unwrap();
    // Each byte came within the read timeout: the trickled request is served in the end.
    let created = answer(&mut reader(&trickle)).unwrap();
    assert_eq!(
        (created.status, &created.json()["name"]),
        (200, &Value::from("Trickle"))
    );
}

#[test]
fn a_request_that_trickles_past_the_request_timeout_is_408() {
    let (_emulator, server) = serve(quick().request_timeout(Duration::from_millis(400)));
    let trickle = connect(&server);
    let start = Instant::now();
    send(
        &trickle,
        &format!(
            "POST /v1/customers HTTP/1.1\r\nHost: localhost\r\n{AUTH}Content-Length: 100\r\n\r\n"
        ),
    );
    let sender = {
        let trickle = trickle.try_clone().unwrap();
        thread::spawn(move || {
            for _ in 0..30 {
                thread::sleep(Duration::from_millis(50));
                if (&trickle).write_all(b"a").is_err() {
                    break;
                }
            }
        })
    };
    answer(&mut reader(&trickle)).unwrap().assert_error(408);
    assert!(
        start.elapsed() < Duration::from_millis(1000),
        "{:?}",
        start.elapsed()
    );
    sender.join().unwrap();
}

#[test]
fn an_invalid_content_length_is_400_and_what_follows_is_never_answered() {
    let (emulator, server) = serve(quick());
    for length in ["abc", "-5", "99999999999999999999999", "5, 6", "0x10", ""] {
        let stream = connect(&server);
        send(
            &stream,
            &format!(
                "POST /v1/customers HTTP/1.1\r\nHost: localhost\r\n{AUTH}Content-Length: {length}\r\n\r\n{}",
                post("/v1/customers", "name=Smuggled")
            ),
        );
        let all = everything(&stream);
        assert!(all.starts_with("HTTP/1.1 400 "), "{length}: {all}");
        assert_eq!(all.matches("HTTP/1.1 ").count(), 1, "{length}: {all}");
        assert!(all.contains("Connection: close\r\n"), "{all}");
        assert!(all.contains(r#""type":"invalid_request_error""#), "{all}");
    }
    let (list, _) = quick_request(&server, &get("/v1/customers"));
    assert_eq!(
        list.json()["data"],
        Value::Array(Vec::new()),
        "nothing smuggled"
    );
    drop(emulator);
}

#[test]
fn content_length_with_transfer_encoding_is_400() {
    let (_emulator, server) = serve(quick());
    for extra in [
        "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
        "Transfer-Encoding: identity\r\n",
        "Content-Length: 5\r\nContent-Length: 6\r\n",
    ] {
        let stream = connect(&server);
        send(
            &stream,
            &format!(
                "POST /v1/customers HTTP/1.1\r\nHost: localhost\r\n{AUTH}{extra}\r\n0\r\n\r\n"
            ),
        );
        let all = everything(&stream);
        assert!(all.starts_with("HTTP/1.1 400 "), "{extra}: {all}");
        assert_eq!(all.matches("HTTP/1.1 ").count(), 1, "{all}");
    }
}

#[test]
fn oversized_heads_are_431() {
    let (_emulator, server) = serve(quick());
    let long_header = format!(
        "GET /v1/customers HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n",
        "a".repeat(100_000)
    );
    let many_headers = format!(
        "GET /v1/customers HTTP/1.1\r\nHost: localhost\r\n{}\r\n",
        (0..101)
            .map(|i| format!("X-H{i}: {i}\r\n"))
            .collect::<String>()
    );
    let long_line = format!(
        "GET /v1/customers?q={} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "a".repeat(20_000)
    );
    for request in [long_header, many_headers, long_line] {
        let stream = connect(&server);
        send(&stream, &request);
        let too_large = answer(&mut reader(&stream)).unwrap();
        too_large.assert_error(431);
        assert_eq!(too_large.header("Connection"), Some("close"));
    }
    // Within the limits, a long URL and many headers are fine.
    let fine = format!(
        "GET /v1/customers?limit=1&x={} HTTP/1.1\r\nHost: localhost\r\n{AUTH}{}\r\n",
        "a".repeat(8_000),
        (0..90)
            .map(|i| format!("X-H{i}: {i}\r\n"))
            .collect::<String>()
    );
    let (answer, _) = quick_request(&server, &fine);
    assert_ne!(answer.status, 431);
}

#[test]
fn an_oversized_body_is_413() {
    let (_emulator, server) = serve(quick().max_body_bytes(1000));
    let stream = connect(&server);
    // Refused on its announced length, before a byte of it is sent.
    send(
        &stream,
        &format!(
            "POST /v1/customers HTTP/1.1\r\nHost: localhost\r\n{AUTH}Content-Length: 2000\r\n\r\n"
        ),
    );
    let too_large = answer(&mut reader(&stream)).unwrap();
    too_large.assert_error(413);
    assert_eq!(too_large.header("Connection"), Some("close"));

    let chunked = connect(&server);
    let chunk = "a".repeat(600);
    send(
        &chunked,
        &format!(
            "POST /v1/customers HTTP/1.1\r\nHost: localhost\r\n{AUTH}Transfer-Encoding: chunked\r\n\r\n\
             258\r\n{chunk}\r\n258\r\n{chunk}\r\n0\r\n\r\n"
        ),
    );
    answer(&mut reader(&chunked)).unwrap().assert_error(413);

    let (fits, _) = quick_request(
        &server,
        &post("/v1/customers", &format!("name={}", "b".repeat(200))),
    );
    assert_eq!(fits.status, 200);
}

#[test]
fn a_chunked_body_is_decoded() {
    let (_emulator, server) = serve(quick());
    let stream = connect(&server);
    let mut reader = reader(&stream);
    send(
        &stream,
        &format!(
            "POST /v1/customers HTTP/1.1\r\nHost: localhost\r\n{AUTH}Content-Type: \
             application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n\
             6;ext=1\r\nname=J\r\n1a\r\nenny&email=jenny%40example\r\n4\r\n.com\r\n0\r\nX-Trailer: t\r\n\r\n"
        ),
    );
    let created = answer(&mut reader).unwrap();
    assert_eq!(created.status, 200, "{created:?}");
    let customer = created.json();
    assert_eq!(
        (&customer["name"], &customer["email"]),
        (&Value::from("Jenny"), &Value::from("jenny@example.com"))
    );
    // The body was consumed exactly: the connection goes on.
    send(
        &stream,
        &get(&format!(
            "/v1/customers/{}",
            customer["id"].as_str().unwrap()
        )),
    );
    assert_eq!(answer(&mut reader).unwrap().json()["name"], "Jenny");

    for bad in [
        "zz\r\nname=J\r\n0\r\n\r\n",
        "2\r\nname=J\r\n0\r\n\r\n",
        "ffffffffffffffffff\r\n",
    ] {
        let stream = connect(&server);
        send(
            &stream,
            &format!(
                "POST /v1/customers HTTP/1.1\r\nHost: localhost\r\n{AUTH}Transfer-Encoding: chunked\r\n\r\n{bad}"
            ),
        );
        let all = everything(&stream);
        assert!(all.starts_with("HTTP/1.1 4"), "{bad:?}: {all}");
        assert_eq!(all.matches("HTTP/1.1 ").count(), 1, "{all}");
    }
}

#[test]
fn expect_100_continue_is_answered_before_the_body() {
    let (_emulator, server) = serve(quick());
    let stream = connect(&server);
    let form = "name=Expecting";
    send(
        &stream,
        &format!(
            "POST /v1/customers HTTP/1.1\r\nHost: localhost\r\n{AUTH}Expect: 100-continue\r\n\
             Content-Length: {}\r\n\r\n",
            form.len()
        ),
    );
    let mut reader = reader(&stream);
    let mut interim = [0; 25];
    reader.read_exact(&mut interim).unwrap();
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    send(&stream, form);
    let created = answer(&mut reader).unwrap();
    assert_eq!(
        (created.status, &created.json()["name"]),
        (200, &Value::from("Expecting"))
    );

    // A body refused on its length gets the refusal instead of 100 Continue.
    let (refused, _) = quick_request(
        &server,
        &format!(
            "POST /v1/customers HTTP/1.1\r\nHost: localhost\r\n{AUTH}Expect: 100-continue\r\n\
             Content-Length: 999999999999\r\n\r\n"
        ),
    );
    refused.assert_error(413);
}

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let (_emulator, server) = serve(quick());
    let stream = connect(&server);
    let mut reader = reader(&stream);
    for i in 0..5 {
        send(&stream, &post("/v1/customers", &format!("name=c{i}")));
        let created = answer(&mut reader).unwrap();
        assert_eq!((created.status, created.header("Connection")), (200, None));
    }
    // Pipelined: two requests in one write, answered in order.
    send(
        &stream,
        &format!(
            "{}{}",
            get("/v1/customers?limit=1"),
            get("/v1/customers?limit=2")
        ),
    );
    assert_eq!(
        answer(&mut reader).unwrap().json()["data"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        answer(&mut reader).unwrap().json()["data"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // `Connection: close` is honoured.
    send(
        &stream,
        &format!(
            "GET /v1/customers HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{AUTH}\r\n"
        ),
    );
    let last = answer(&mut reader).unwrap();
    assert_eq!(
        (last.status, last.header("Connection")),
        (200, Some("close"))
    );
    assert!(answer(&mut reader).is_none());

    // HTTP/1.0 closes by default, and stays open when it asks for keep-alive.
    let old = connect(&server);
    send(&old, &format!("GET /v1/customers HTTP/1.0\r\n{AUTH}\r\n"));
    let all = everything(&old);
    assert!(
        all.starts_with("HTTP/1.1 200 ") && all.contains("Connection: close\r\n"),
        "{all}"
    );
    let old = connect(&server);
    let mut old_reader = self::reader(&old);
    for _ in 0..2 {
        send(
            &old,
            &format!("GET /v1/customers HTTP/1.0\r\nConnection: keep-alive\r\n{AUTH}\r\n"),
        );
        let answer = answer(&mut old_reader).unwrap();
        assert_eq!(
            (answer.status, answer.header("Connection")),
            (200, Some("keep-alive"))
        );
    }
}

#[test]
fn a_page_of_100_costs_no_delayed_ack_on_keep_alive() {
    let emulator = emulator();
    let headers = [("Authorization".to_owned(), "Bearer sk_test_123".to_owned())];
    for i in 0..100 {
        let body = format!("email=c{i}%40example.com&name=Customer+{i}");
        let made = emulator.handle(&Incoming {
            method: "POST",
            path: "/v1/customers",
            query: "",
            headers: &headers,
            body: body.as_bytes(),
        });
        assert_eq!(made.status, 200);
    }
    // What the engine itself takes for 20 pages, in process (slow in a debug build).
    let start = Instant::now();
    for _ in 0..20 {
        let page = emulator.handle(&Incoming {
            method: "GET",
            path: "/v1/customers",
            query: "limit=100",
            headers: &headers,
            body: b"",
        });
        assert_eq!(page.status, 200);
    }
    let in_process = start.elapsed();

    let server = emulator.serve("127.0.0.1:0").unwrap();
    let stream = connect(&server);
    let mut reader = reader(&stream);
    send(&stream, &get("/v1/customers?limit=100"));
    let first = answer(&mut reader).unwrap();
    assert_eq!(first.json()["data"].as_array().unwrap().len(), 100);
    let start = Instant::now();
    for _ in 0..20 {
        send(&stream, &get("/v1/customers?limit=100"));
        let page = answer(&mut reader).unwrap();
        assert_eq!((page.status, page.body.len()), (200, first.body.len()));
    }
    let over_http = start.elapsed();
    // Written in pieces without TCP_NODELAY, each page waited 40 ms or more on a delayed ACK:
    // 800 ms more than in process for 20 pages. In one write, the difference is well under 1 ms
    // a page.
    assert!(
        over_http < in_process + Duration::from_millis(300),
        "20 pages: {over_http:?} over HTTP, {in_process:?} in process"
    );
}

#[test]
fn a_loopback_server_refuses_a_foreign_host() {
    let (_emulator, server) = serve(quick());
    let port = server.addr().port();
    for host in [
        "evil.example",
        &format!("evil.example:{port}"),
        "192.168.1.10",
        "localhost.evil.example",
    ] {
        let (refused, _) = quick_request(
            &server,
            &format!("GET /v1/customers HTTP/1.1\r\nHost: {host}\r\n{AUTH}\r\n"),
        );
        refused.assert_error(403);
    }
    let (refused, _) = quick_request(
        &server,
        &format!("GET http://evil.example/v1/customers HTTP/1.1\r\nHost: localhost\r\n{AUTH}\r\n"),
    );
    refused.assert_error(403);
    for host in [
        format!("localhost:{port}"),
        "localhost".to_owned(),
        format!("127.0.0.1:{port}"),
        "127.1.2.3".to_owned(),
        format!("[::1]:{port}"),
    ] {
        let (accepted, _) = quick_request(
            &server,
            &format!("GET /v1/customers HTTP/1.1\r\nHost: {host}\r\n{AUTH}\r\n"),
        );
        assert_eq!(accepted.status, 200, "{host}");
    }
}

#[test]
fn a_public_url_is_handed_out_and_accepted_as_host() {
    let emulator = emulator();
    let server = emulator
        .serve_with(
            "127.0.0.1:0",
            quick().public_url("http://emulator.test:8080/"),
        )
        .unwrap();
    assert_eq!(
        (server.url(), emulator.base_url()),
        (
            "http://emulator.test:8080",
            "http://emulator.test:8080".to_owned()
        )
    );
    let (accepted, _) = quick_request(
        &server,
        &format!("GET /v1/customers HTTP/1.1\r\nHost: emulator.test:8080\r\n{AUTH}\r\n"),
    );
    assert_eq!(accepted.status, 200);
    assert!(
        emulator
            .serve_with("127.0.0.1:0", quick().public_url("emulator.test"))
            .is_err()
    );
}

#[test]
fn connections_over_the_cap_are_answered_503() {
    let (_emulator, server) = serve(quick().max_connections(2));
    let first = connect(&server);
    let second = connect(&server);
    send(&first, &get("/v1/customers"));
    assert_eq!(answer(&mut reader(&first)).unwrap().status, 200);
    let (busy, _) = quick_request(&server, &get("/v1/customers"));
    busy.assert_error(503);
    assert_eq!(busy.header("Retry-After"), Some("1"));
    drop((first, second));
    // The closed connections' slots come free.
    let start = Instant::now();
    loop {
        let (answer, _) = quick_request(&server, &get("/v1/customers"));
        if answer.status == 200 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(2), "{answer:?}");
        thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn malformed_input_is_refused_and_the_server_goes_on() {
    let (_emulator, server) = serve(quick());
    let junk: [&[u8]; 8] = [
        b"\0\0\0\0\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET / HTTP/2.0\r\n\r\n",
        b"GET / HTTP/1.1\r\nBad Header\r\n\r\n",
        b"GET / HTTP/1.1\r\n: empty\r\n\r\n",
        b"\xff\xfe\xfd / HTTP/1.1\r\n\r\n",
        b"GET /\x01 HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    ];
    for bytes in junk {
        let stream = connect(&server);
        (&stream).write_all(bytes).unwrap();
        let all = everything(&stream);
        assert!(
            all.starts_with("HTTP/1.1 400 ") && all.matches("HTTP/1.1 ").count() == 1,
            "{bytes:?}: {all}"
        );
    }
    // A client that connects and leaves, or leaves mid-request, is no one's problem.
    drop(connect(&server));
    let half = connect(&server);
    send(&half, "POST /v1/customers HTTP/1.1\r\nContent-Le");
    drop(half);
    let (fine, _) = quick_request(&server, &get("/v1/customers"));
    assert_eq!(fine.status, 200);
}

#[test]
fn dropping_a_server_closes_its_idle_connections_at_once() {
    let (_emulator, server) = serve(ServeOptions::default());
    let idle = connect(&server);
    send(&idle, &get("/v1/customers"));
    assert_eq!(answer(&mut reader(&idle)).unwrap().status, 200);
    let start = Instant::now();
    drop(server);
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(everything(&idle), "");
}
