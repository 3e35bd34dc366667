//! The HTTP emulator under load: 8 keep-alive clients (our `Client` over `UreqTransport`, which
//! pools its connections), each kind of request alone, then a mix, then the same mix with one
//! stalled client beside them (a POST announcing a body it never sends, reopened whenever the
//! server closes it), at two store sizes.
//!
//! `cargo run --release -p benches --example emulator_load -- [seconds per phase] [stored...]`
//! (default 2 s per phase, at 1,000 and 100,000 stored customers: about 30 s)
//!
//! Budgets (issue 12): list(10) at least 0.5x and list(100) at least 0.2x of retrieve's
//! throughput; the stalled client moves no other client's p99 by more than 10 ms; throughput
//! and latency flat from few to 100,000 stored objects.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "example code")]

use std::io::Write;
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common_resources::{CreateCustomer, Customer, CustomerId, ListCustomers};
use resource_core::Client;
use resource_emulator::Emulator;

const CLIENTS: usize = 8;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Create,
    Retrieve,
    List10,
    List100,
    /// Three pages of 10, as `paginate` fetches them.
    Paginate,
}

const KINDS: [Kind; 5] = [
    Kind::Create,
    Kind::Retrieve,
    Kind::List10,
    Kind::List100,
    Kind::Paginate,
];

fn run(
    kind: Kind,
    client: &Client,
    ids: &[CustomerId],
    n: usize,
) -> Result<(), resource_core::Error> {
    match kind {
        Kind::Create => {
            let params = CreateCustomer {
                email: Some(format!("load{n}@example.com")),
                ..Default::default()
            };
            Customer::create(client, &params)?;
        }
        Kind::Retrieve => {
            Customer::retrieve(client, &ids[n % ids.len()])?;
        }
        Kind::List10 | Kind::List100 => {
            let limit = if kind == Kind::List10 { 10 } else { 100 };
            let params = ListCustomers {
                limit: Some(limit),
                ..Default::default()
            };
            assert_eq!(Customer::list(client, &params)?.data.len(), limit as usize);
        }
        Kind::Paginate => {
            let params = ListCustomers {
                limit: Some(10),
                ..Default::default()
            };
            let taken = Customer::paginate(client, &params)
                .take(30)
                .collect::<Result<Vec<_>, _>>()?;
            assert_eq!(taken.len(), 30);
        }
    }
    Ok(())
}

/// Latencies per kind of the requests that succeeded, and how many failed, from `CLIENTS`
/// threads running `kinds` in turn for `seconds`.
fn phase(
    url: &str,
    kinds: &[Kind],
    ids: &Arc<Vec<CustomerId>>,
    seconds: f64,
) -> (Vec<Vec<Duration>>, usize) {
    let threads: Vec<_> = (0..CLIENTS)
        .map(|thread| {
            let (url, kinds, ids) = (url.to_owned(), kinds.to_vec(), Arc::clone(ids));
            std::thread::spawn(move || {
                let client = Client::builder("sk_test_load")
                    .base_url(&url)
                    .max_network_retries(0)
                    .build()
                    .unwrap();
                let mut latencies = vec![Vec::new(); KINDS.len()];
                let mut failed = 0;
                let end = Instant::now() + Duration::from_secs_f64(seconds);
                let mut n = thread * 1_000_003;
                while Instant::now() < end {
                    for &kind in &kinds {
                        let start = Instant::now();
                        match run(kind, &client, &ids, n) {
                            Ok(()) => latencies[kind as usize].push(start.elapsed()),
                            Err(_) => failed += 1,
                        }
                        n += 1;
                    }
                }
                (latencies, failed)
            })
        })
        .collect();
    let mut all = vec![Vec::new(); KINDS.len()];
    let mut failures = 0;
    for thread in threads {
        let (latencies, failed) = thread.join().unwrap();
        failures += failed;
        for (kind, mut latencies) in latencies.into_iter().enumerate() {
            all[kind].append(&mut latencies);
        }
    }
    for latencies in &mut all {
        latencies.sort();
    }
    (all, failures)
}

/// One GET on a kept-alive raw connection, the answer read by its `Content-Length` and not
/// decoded: the server's cost alone.
fn raw_get(stream: &mut std::io::BufReader<TcpStream>, path: &str) -> std::io::Result<usize> {
    use std::io::BufRead;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sk_test_load\r\n\r\n"
    );
    stream.get_mut().write_all(request.as_bytes())?;
    let mut length = 0;
    let mut line = String::new();
    loop {
        line.clear();
        stream.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    std::io::Read::read_exact(stream, &mut body)?;
    Ok(length)
}

/// Requests per second of `path` from `CLIENTS` raw keep-alive connections.
fn raw_phase(addr: std::net::SocketAddr, path: &str, seconds: f64) -> f64 {
    let threads: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let path = path.to_owned();
            std::thread::spawn(move || {
                let stream = TcpStream::connect(addr).unwrap();
                stream.set_nodelay(true).unwrap();
                let mut stream = std::io::BufReader::new(stream);
                let end = Instant::now() + Duration::from_secs_f64(seconds);
                let mut done = 0u64;
                while Instant::now() < end {
                    raw_get(&mut stream, &path).unwrap();
                    done += 1;
                }
                done
            })
        })
        .collect();
    let done: u64 = threads.into_iter().map(|t| t.join().unwrap()).sum();
    done as f64 / seconds
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A client that announces a body and never sends it, reconnecting when the server hangs up.
fn stall(addr: std::net::SocketAddr, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u32> {
    std::thread::spawn(move || {
        let mut opened = 0;
        while !stop.load(Ordering::Relaxed) {
            let Ok(mut stream) = TcpStream::connect(addr) else {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            opened += 1;
            let head = "POST /v1/customers HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                        Authorization: Bearer sk_test_load\r\nContent-Length: 5000\r\n\r\n";
            let _ = stream.write_all(head.as_bytes());
            // Wait until the server gives up on it (read timeout) or the phase ends.
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let mut buffer = [0u8; 256];
            while !stop.load(Ordering::Relaxed) {
                match std::io::Read::read(&mut stream, &mut buffer) {
                    Ok(0) => break,
                    Ok(_) => break,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                    Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
                    Err(_) => break,
                }
            }
        }
        opened
    })
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: f64 = args.next().map_or(2.0, |s| s.parse().unwrap());
    let sizes: Vec<usize> = {
        let rest: Vec<usize> = args.map(|s| s.parse().unwrap()).collect();
        if rest.is_empty() {
            vec![1_000, 100_000]
        } else {
            rest
        }
    };
    println!("{CLIENTS} keep-alive clients, {seconds} s per phase\n");
    for stored in sizes {
        let emulator = Emulator::new();
        common_resources::emulator::register(&emulator);
        let local = emulator.client("sk_test_load").unwrap();
        let ids: Vec<CustomerId> = (0..stored)
            .map(|n| {
                let params = CreateCustomer {
                    email: Some(format!("seed{n}@example.com")),
                    ..Default::default()
                };
                Customer::create(&local, &params).unwrap().id
            })
            .collect();
        let ids = Arc::new(ids);
        let server = emulator.serve("127.0.0.1:0").unwrap();
        let url = server.url().to_owned();
        println!("## {stored} customers stored\n");
        println!("| phase | kind | requests/s | p50 ms | p99 ms |");
        println!("|---|---|---|---|---|");
        let mut alone = [0.0; KINDS.len()];
        for kind in KINDS {
            let (latencies, _) = phase(&url, &[kind], &ids, seconds);
            let rate = latencies[kind as usize].len() as f64 / seconds;
            alone[kind as usize] = rate;
            let l = &latencies[kind as usize];
            println!(
                "| alone | {kind:?} | {rate:.0} | {:.2} | {:.2} |",
                ms(percentile(l, 0.5)),
                ms(percentile(l, 0.99))
            );
        }
        let (mixed, _) = phase(&url, &KINDS, &ids, seconds);
        let stop = Arc::new(AtomicBool::new(false));
        let staller = stall(server.addr(), Arc::clone(&stop));
        let (stalled, failed) = phase(&url, &KINDS, &ids, seconds);
        stop.store(true, Ordering::Relaxed);
        let reopened = staller.join().unwrap();
        let mut worst_shift: f64 = 0.0;
        for kind in KINDS {
            let (m, s) = (&mixed[kind as usize], &stalled[kind as usize]);
            let shift = ms(percentile(s, 0.99)) - ms(percentile(m, 0.99));
            worst_shift = worst_shift.max(shift);
            for (name, l) in [("mix", m), ("mix + stalled", s)] {
                println!(
                    "| {name} | {kind:?} | {:.0} | {:.2} | {:.2} |",
                    l.len() as f64 / seconds,
                    ms(percentile(l, 0.5)),
                    ms(percentile(l, 0.99))
                );
            }
        }
        let id = ids[0].as_str();
        let raw: Vec<f64> = [
            format!("/v1/customers/{id}"),
            "/v1/customers?limit=10".to_owned(),
            "/v1/customers?limit=100".to_owned(),
        ]
        .iter()
        .map(|path| raw_phase(server.addr(), path, seconds))
        .collect();
        for (kind, rate) in ["Retrieve", "List10", "List100"].iter().zip(&raw) {
            println!("| raw HTTP, not decoded | {kind} | {rate:.0} | | |");
        }
        let retrieve = alone[Kind::Retrieve as usize];
        let (list10, list100) = (
            alone[Kind::List10 as usize] / retrieve,
            alone[Kind::List100 as usize] / retrieve,
        );
        println!();
        println!(
            "through our client: list(10)/retrieve = {list10:.2} (budget >= 0.5: {}), \
             list(100)/retrieve = {list100:.2} (budget >= 0.2: {})",
            holds(list10 >= 0.5),
            holds(list100 >= 0.2)
        );
        let (raw10, raw100) = (raw[1] / raw[0], raw[2] / raw[0]);
        println!(
            "raw HTTP: list(10)/retrieve = {raw10:.2} (budget >= 0.5: {}), \
             list(100)/retrieve = {raw100:.2} (budget >= 0.2: {})",
            holds(raw10 >= 0.5),
            holds(raw100 >= 0.2)
        );
        println!(
            "worst p99 shift with a stalled client = {worst_shift:+.2} ms over {reopened} stalled \
             connection(s), {failed} request(s) failed (budget <= 10 ms, none failed: {})\n",
            holds(worst_shift <= 10.0 && failed == 0)
        );
        drop(server);
    }
}

fn holds(ok: bool) -> &'static str {
    if ok { "holds" } else { "MISSED" }
}
