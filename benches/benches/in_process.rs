//! One full `FileLink::create` through a `Client` whose transport answers in process with a
//! prebuilt response (form encoding, headers, idempotency key, the transport call, status check,
//! decoding), next to its floor: `serde_json` decoding the same body alone.
//!
//! Budget: the full call costs at most 2x the floor.
//!
//! `cargo bench -p benches --bench in_process`
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench code")]
#![allow(
    missing_docs,
    reason = "criterion's macros generate undocumented items"
)]

use std::hint::black_box;

use benches::{Canned, SECRET_KEY};
use criterion::{Criterion, criterion_group, criterion_main};
use file_link::{CreateFileLink, FileLink};
use resource_core::Client;

/// The README's create: a file, an expiry and one metadata key.
fn readme_create() -> CreateFileLink {
    CreateFileLink::new("file_1Pgag2B7WZ01zgkWITx3dIQc")
        .expires_at(1_900_000_000)
        .metadata("order_id", "6735")
}

fn create(c: &mut Criterion) {
    let body = benches::file_link_body().unwrap();
    let client = Client::builder(SECRET_KEY)
        .transport(Canned::ok(body.clone()))
        .build()
        .unwrap();
    let params = readme_create();
    // Both sides must succeed, or the bench would time an error path.
    let created = FileLink::create(&client, &params).unwrap();
    assert_eq!(created, serde_json::from_slice::<FileLink>(&body).unwrap());

    let mut group = c.benchmark_group("create_in_process");
    group.bench_function("full_call", |b| {
        b.iter(|| FileLink::create(black_box(&client), black_box(&params)).unwrap());
    });
    group.bench_function("serde_json_floor", |b| {
        b.iter(|| serde_json::from_slice::<FileLink>(black_box(&body)).unwrap());
    });
    group.finish();
}

criterion_group! {
    name = in_process;
    config = benches::short_runs();
    targets = create
}
criterion_main!(in_process);
