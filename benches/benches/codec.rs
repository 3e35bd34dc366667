//! Encoding and decoding alone, no client: the form encoder on a `CreateFileLink` with 20
//! metadata keys, and `serde_json` decoding one `FileLink` and a 100-item `List<FileLink>` from
//! bytes (the OpenAPI fixture object), as the client decodes every answer.
//!
//! `cargo bench -p benches --bench codec`
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "bench code")]
#![allow(
    missing_docs,
    reason = "criterion's macros generate undocumented items"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use file_link::FileLink;
use resource_core::List;

/// Twenty keys: half of Stripe's limit of 50, a busy but realistic application.
const METADATA_KEYS: usize = 20;
/// Stripe's largest page.
const PAGE_ITEMS: u64 = 100;

fn encode(c: &mut Criterion) {
    let params = benches::create_params(METADATA_KEYS);
    let encoded = resource_core::form::to_string(&params).unwrap();
    let mut group = c.benchmark_group("encode");
    // Bytes per second of form body produced, for comparison with the decoders below.
    group.throughput(Throughput::Bytes(encoded.len() as u64));
    group.bench_function("create_file_link_20_metadata", |b| {
        b.iter(|| resource_core::form::to_string(black_box(&params)).unwrap());
    });
    group.finish();
}

fn decode(c: &mut Criterion) {
    let one = benches::file_link_body().unwrap();
    let page = benches::file_link_list_body(PAGE_ITEMS, true).unwrap();
    // The fixtures must decode, or the bench would time the error path.
    serde_json::from_slice::<FileLink>(&one).unwrap();
    assert_eq!(
        serde_json::from_slice::<List<FileLink>>(&page)
            .unwrap()
            .data
            .len(),
        100
    );

    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Bytes(one.len() as u64));
    group.bench_function("file_link", |b| {
        b.iter(|| serde_json::from_slice::<FileLink>(black_box(&one)).unwrap());
    });
    group.throughput(Throughput::Bytes(page.len() as u64));
    group.bench_function("list_100_file_links", |b| {
        b.iter(|| serde_json::from_slice::<List<FileLink>>(black_box(&page)).unwrap());
    });
    group.finish();
}

criterion_group! {
    name = codec;
    config = benches::short_runs();
    targets = encode, decode
}
criterion_main!(codec);
