//! The `stripe-emulator` binary: seeds files, announces itself, serves File Links over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use file_link::{CreateFileLink, FileLink, ListFileLinks};
use resource_core::{Client, ErrorKind};

/// The running binary; killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn seeds_files_announces_its_address_and_serves_file_links() {
    let dir = std::env::temp_dir().join(format!("stripe-emulator-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("evidence.pdf");
    std::fs::write(&pdf, b"%PDF-1.7 evidence").unwrap();

    let child = Command::new(env!("CARGO_BIN_EXE_stripe-emulator"))
        .args([
            "--port",
            "0",
            "--seed-file",
            &format!("dispute_evidence={}", pdf.display()),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut running = Running(child);
    let mut lines = BufReader::new(running.0.stdout.take().unwrap()).lines();

    let seeded: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(seeded["purpose"], "dispute_evidence");
    assert_eq!(seeded["filename"], "evidence.pdf");
    let file = seeded["id"].as_str().unwrap().to_owned();
    assert!(file.starts_with("file_"));

    let listening = lines.next().unwrap().unwrap();
    let url = listening.strip_prefix("listening on ").expect(&listening);
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "binds loopback by default: {url}"
    );

    let client = Client::builder("sk_test_123")
        .base_url(url)
        .build()
        .unwrap();
    let link = FileLink::create(
        &client,
        &CreateFileLink::new(&file).metadata("order_id", "6735"),
    )
    .unwrap();
    assert_eq!(link.file.id(), file);
    assert!(link.url.as_deref().unwrap().starts_with(url));
    assert_eq!(
        FileLink::list(&client, &ListFileLinks::new()).unwrap().data,
        std::slice::from_ref(&link)
    );
    let missing = FileLink::retrieve(&client, &"link_missing".parse().unwrap()).unwrap_err();
    assert_eq!(
        (missing.kind(), missing.status()),
        (ErrorKind::InvalidRequest, Some(404))
    );

    drop(running);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_arguments_are_refused_with_usage() {
    for args in [
        &["--port", "x"][..],
        &["--seed-file", "no-equals-sign"],
        &["--frobnicate"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_stripe-emulator"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("usage: stripe-emulator"));
    }
    let missing = Command::new(env!("CARGO_BIN_EXE_stripe-emulator"))
        .args([
            "--port",
            "0",
            "--seed-file",
            "selfie=/definitely/not/here.png",
        ])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/definitely/not/here.png"));
}
