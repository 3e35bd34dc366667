//! The `stripe-emulator` binary: seeds files, announces itself, serves File Links over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use file_link::{CreateFileLink, FileLink, ListFileLinks};
use resource_core::{Client, ErrorKind, Webhook};

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
        &["--forward-to", "localhost:4242/webhook"],
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

#[test]
fn forward_to_prints_the_secret_then_delivers_every_event_signed_with_it() {
    let receiver = TcpListener::bind("127.0.0.1:0").unwrap();
    let target = format!("http://{}/webhook", receiver.local_addr().unwrap());
    let child = Command::new(env!("CARGO_BIN_EXE_stripe-emulator"))
        .args(["--port", "0", "--forward-to", &target])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut running = Running(child);
    let mut lines = BufReader::new(running.0.stdout.take().unwrap()).lines();
    let announced: serde_json::Value =
        serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    let secret = announced["webhook_secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{announced}");
    let listening = lines.next().unwrap().unwrap();
    let url = listening.strip_prefix("listening on ").expect(&listening);

    let client = Client::builder("sk_test_123")
        .base_url(url)
        .build()
        .unwrap();
    let params = common_resources::CreateCustomer {
        email: Some("jenny@example.com".into()),
        ..Default::default()
    };
    let customer = common_resources::Customer::create(&client, &params).unwrap();

    // The delivery: one POST, read by its Content-Length, answered 200.
    receiver.set_nonblocking(true).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut stream = loop {
        match receiver.accept() {
            Ok((stream, _)) => break stream,
            Err(_) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(error) => panic!("no delivery within 10 s: {error}"),
        }
    };
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let (mut request_line, mut signature, mut length) = (String::new(), String::new(), 0);
    reader.read_line(&mut request_line).unwrap();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        match name.to_ascii_lowercase().as_str() {
            "stripe-signature" => signature = value.trim().to_owned(),
            "content-length" => length = value.trim().parse().unwrap(),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    stream
        .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .unwrap();
    assert!(request_line.starts_with("POST /webhook "), "{request_line}");
    let event = Webhook::construct_event(&body, &signature, &secret).unwrap();
    assert_eq!(event.type_, "customer.created");
    assert_eq!(
        event
            .data
            .object_as::<common_resources::Customer>()
            .unwrap(),
        customer
    );
}
