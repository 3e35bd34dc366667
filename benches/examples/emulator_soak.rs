//! What the emulator holds after a soak (issue 12): 100,000 creates (each with the idempotency
//! key the client draws), then 1,000 refused 8 MB uploads, then 20 more over HTTP. Prints
//! resident memory and `Emulator::usage()` as it goes.
//!
//! `cargo run --release -p benches --example emulator_soak` (about a minute)
//!
//! Budget: resident memory proportional to what is stored: the uploads leave nothing behind
//! and the idempotency store stops at its capacity.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "example code")]

use file_link::{CreateFile, CreateFileLink, File, FileLink, FilePurpose};
use resource_core::{Client, Upload};
use resource_emulator::Emulator;

/// Resident memory of this process, from `/proc/self/status` (0 where there is none).
fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn report(stage: &str, emulator: &Emulator) {
    println!(
        "{stage}: {} KiB resident; {:?}",
        resident_kib(),
        emulator.usage()
    );
}

fn refused_upload(client: &Client) {
    let big = Upload::from_bytes("big.pdf", vec![b'x'; 8 * 1024 * 1024]);
    let refused = File::create(client, &CreateFile::new(FilePurpose::FinanceReportRun, big));
    assert!(
        refused.is_err(),
        "a finance report run file cannot be uploaded"
    );
}

fn main() {
    let emulator = Emulator::new();
    file_link::emulator::register(&emulator);
    let client = emulator.client("sk_test_123").unwrap();
    let file =
        file_link::emulator::add_file(&emulator, &FilePurpose::DisputeEvidence, "e.pdf", b"%PDF")
            .unwrap();
    report("start", &emulator);
    let params = CreateFileLink::new(&file.id);
    for i in 1..=100_000 {
        FileLink::create(&client, &params).unwrap(); // with the key the client draws for a POST
        if i % 25_000 == 0 {
            report(&format!("after {i} creates"), &emulator);
        }
    }
    for i in 1..=1_000 {
        refused_upload(&client);
        if i % 250 == 0 {
            report(&format!("after {i} refused 8 MB uploads"), &emulator);
        }
    }
    let usage = emulator.usage();
    assert_eq!(usage.upload_bytes, 4, "only the one file's bytes are kept");
    assert_eq!(
        usage.idempotency_keys,
        Emulator::DEFAULT_IDEMPOTENCY_CAPACITY
    );

    let server = emulator.serve("127.0.0.1:0").unwrap();
    let client = Client::builder("sk_test_123")
        .base_url(server.url())
        .files_base_url(server.url())
        .max_network_retries(0)
        .build()
        .unwrap();
    for round in 1..=4 {
        for _ in 0..5 {
            refused_upload(&client);
        }
        report(
            &format!("after {} refused 8 MB uploads over HTTP", round * 5),
            &emulator,
        );
    }
    assert_eq!(emulator.usage().upload_bytes, 4);
}
