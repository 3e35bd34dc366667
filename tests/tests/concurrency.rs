//! One `Client` shared by several threads over the real `UreqTransport`, against a loopback server
//! that echoes each request in its answer: every call gets its own answer, every create its own
//! idempotency key, and pooled connections are reused rather than opened per call.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a broken fixture fails loudly"
)]

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use file_link::{CreateFileLink, FileLink, FileLinkId};
use resource_core::Client;
use tests::Recorded;
use tests::fault_server::FaultServer;

/// 8 threads x 125 calls: 1,000 calls.
const THREADS: usize = 8;
const CALLS_PER_THREAD: usize = 125;

/// Every fifth call is a create; the others retrieve distinct ids.
const CREATE_EVERY: usize = 5;

/// What one call asked for, and what its answer said.
#[derive(Debug)]
struct Call {
    asked: String,
    got: String,
}

/// Everything `threads` threads sharing one client did.
struct Run {
    calls: Vec<Call>,
    requests: Vec<Recorded>,
    retries: usize,
    connections: usize,
    elapsed: Duration,
}

/// `threads` threads share one client, each making `CALLS_PER_THREAD` calls on its own ids.
fn run(threads: usize) -> (Run, FaultServer) {
    let server = FaultServer::start();
    let retries = Arc::new(AtomicUsize::new(0));
    let client = Client::builder("sk_test_concurrency")
        .base_url(server.base_url())
        .timeout(Duration::from_secs(10))
        .sleeper({
            let retries = Arc::clone(&retries);
            move |_| {
                retries.fetch_add(1, Ordering::SeqCst);
            }
        })
        .build()
        .unwrap();
    let started = Instant::now();
    let calls = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|thread| {
                let client = &client;
                scope.spawn(move || calls_of_thread(client, thread))
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a worker panicked"))
            .collect()
    });
    let run = Run {
        calls,
        requests: server.requests(),
        retries: retries.load(Ordering::SeqCst),
        connections: server.connections(),
        elapsed: started.elapsed(),
    };
    println!(
        "{} calls from {threads} threads: {} TCP connections in {:?}",
        run.calls.len(),
        run.connections,
        run.elapsed
    );
    (run, server)
}

/// Thread `thread`'s calls. A create names its call in `file` and `metadata[call]`, which the
/// server echoes, so its answer says which call it belongs to, as a retrieve's id does.
fn calls_of_thread(client: &Client, thread: usize) -> Vec<Call> {
    (0..CALLS_PER_THREAD)
        .map(|i| {
            let name = format!("link_t{thread}_{i}");
            if i % CREATE_EVERY == 0 {
                let file = format!("file_t{thread}_{i}");
                let params = CreateFileLink::new(&file).metadata("call", name.as_str());
                let link = FileLink::create(client, &params)
                    .unwrap_or_else(|e| panic!("create {name}: {e}"));
                Call {
                    asked: format!("{name} {file}"),
                    got: format!(
                        "{} {}",
                        link.metadata.get("call").unwrap_or("-"),
                        link.file.id()
                    ),
                }
            } else {
                let id: FileLinkId = name.parse().unwrap();
                let link = FileLink::retrieve(client, &id)
                    .unwrap_or_else(|e| panic!("retrieve {name}: {e}"));
                Call {
                    asked: name,
                    got: link.id.to_string(),
                }
            }
        })
        .collect()
}

#[test]
fn a_shared_client_gives_every_call_its_own_answer() {
    let (run, server) = run(THREADS);
    let total = THREADS * CALLS_PER_THREAD;
    assert_eq!(run.calls.len(), total, "every call succeeded");
    for call in &run.calls {
        assert_eq!(call.got, call.asked, "an answer went to the wrong call");
    }
    // Nothing failed, so each call is exactly one request: no hidden retry on a stale connection.
    assert_eq!(run.retries, 0);
    assert_eq!(run.requests.len(), total);

    let keys: Vec<&str> = run
        .requests
        .iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.header("Idempotency-Key").expect("every POST has a key"))
        .collect();
    assert_eq!(keys.len(), total / CREATE_EVERY);
    let distinct: HashSet<&&str> = keys.iter().collect();
    assert_eq!(
        distinct.len(),
        keys.len(),
        "every create has a key of its own"
    );
    for key in keys {
        assert_eq!(server.applications(key), 1);
    }
}

/// Fewer threads than pooled connections: one connection each.
#[test]
fn three_threads_share_three_pooled_connections() {
    let (run, _server) = run(3);
    assert_eq!(run.calls.len(), 3 * CALLS_PER_THREAD);
    // Measured: 3 on every run. Without keep-alive it would be one per call.
    assert!(run.connections <= 6, "{} connections", run.connections);
}

#[test]
/// 1,000 calls from 8 threads over a handful of connections. Before the pool was sized for many
/// threads (ureq keeps 3 idle connections per host by default), this took 119 to 149.
fn eight_threads_reuse_a_handful_of_pooled_connections() {
    let (run, _server) = run(THREADS);
    assert_eq!(run.calls.len(), THREADS * CALLS_PER_THREAD);
    // One connection per thread is enough; 16 leaves room for a connection closed and reopened.
    assert!(
        run.connections <= 16,
        "{} connections for {} calls: pooled connections are not reused",
        run.connections,
        run.calls.len()
    );
}
