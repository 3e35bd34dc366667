//! Loopback keep-alive throughput: our `FileLink::retrieve` against a raw `ureq` agent `GET` of
//! the same URL, both answered with the same body by the same small server started here (std
//! `TcpListener`, keep-alive, one prebuilt response), with 1 thread and with 8 threads sharing
//! one client. Criterion reports requests/s (`elem/s`).
//!
//! Budget: ours at least 0.95x raw ureq, single and multi-threaded.
//!
//! `cargo bench -p benches --bench loopback`
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench code")]
#![allow(
    missing_docs,
    reason = "criterion's macros generate undocumented items"
)]

use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use benches::{Loopback, raw_get};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use file_link::FileLink;

/// Runs `iters` calls of `call` spread over `threads` threads and returns the time from the
/// moment all threads are ready until the last call returns.
fn spread(threads: u64, iters: u64, call: &(dyn Fn() + Sync)) -> Duration {
    let ready = Barrier::new(usize::try_from(threads).unwrap() + 1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|index| {
                let share = iters / threads + u64::from(index < iters % threads);
                let ready = &ready;
                scope.spawn(move || {
                    ready.wait();
                    for _ in 0..share {
                        call();
                    }
                })
            })
            .collect();
        ready.wait();
        let started = Instant::now();
        for worker in workers {
            worker.join().unwrap();
        }
        started.elapsed()
    })
}

/// Benches `call` as `name` with one thread, and with `threads` threads, in `group`.
fn bench_threads(
    group: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    threads: u64,
    call: &(dyn Fn() + Sync),
) {
    group.bench_function(format!("{name}/{threads}_threads"), |b| {
        if threads == 1 {
            b.iter(call);
        } else {
            b.iter_custom(|iters| spread(threads, iters, call));
        }
    });
}

fn throughput(c: &mut Criterion) {
    let Loopback {
        server,
        url,
        client,
        id,
        agent,
    } = Loopback::start().unwrap();

    let ours = || {
        black_box(FileLink::retrieve(&client, &id).unwrap());
    };
    let raw = || {
        black_box(raw_get(&agent, &url).unwrap());
    };

    let mut group = c.benchmark_group("loopback_retrieve");
    group.throughput(Throughput::Elements(1));
    for threads in [1, 8] {
        bench_threads(&mut group, "raw_ureq", threads, &raw);
        bench_threads(&mut group, "ours", threads, &ours);
    }
    group.finish();
    drop(server);
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = loopback;
    config = config();
    targets = throughput
}
criterion_main!(loopback);
