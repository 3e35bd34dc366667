//! Receiving webhooks: an endpoint that verifies each event's signature and acts on the events
//! it knows, fed by the emulator.
//!
//! ```text
//! cargo run --example webhook_receiver
//! ```
//!
//! Offline: it starts the emulator on 127.0.0.1, serves its own endpoint on another loopback
//! port, registers it (`WebhookEndpoint::create`, keeping the `whsec_` secret the answer
//! carries), then creates a customer, makes a payment intent succeed and uploads a file, and
//! prints each event as its handler verified it.
//!
//! The part to copy is [`handle`]: the raw body, the `Stripe-Signature` header and the
//! endpoint's secret go to `Webhook::construct_event`, and the event into your own enum of the
//! events you handle. Your web framework gives you the body and the header; verify the body
//! exactly as received, before any JSON parsing. Against Stripe, which cannot reach a loopback
//! port, `stripe listen --forward-to localhost:PORT/webhook` prints the secret to use;
//! `stripe-emulator --forward-to URL` does the same offline.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use common_resources::{CreateCustomer, CreatePaymentIntent, Customer, PaymentIntent};
use file_link::{CreateFile, File, FilePurpose};
use resource_core::{
    Client, CreateWebhookEndpoint, Error, Event, Upload, Webhook, WebhookEndpoint,
};
use resource_emulator::Emulator;

/// The events this application acts on; every other type is acknowledged and ignored.
#[derive(Debug)]
enum Handled {
    CustomerCreated(Customer),
    PaymentSucceeded(PaymentIntent),
    FileUploaded(File),
    Other,
}

impl TryFrom<&Event> for Handled {
    type Error = Error;

    fn try_from(event: &Event) -> Result<Self, Error> {
        Ok(match event.type_.as_str() {
            "customer.created" => Handled::CustomerCreated(event.data.object_as()?),
            "payment_intent.succeeded" => Handled::PaymentSucceeded(event.data.object_as()?),
            "file.created" => Handled::FileUploaded(event.data.object_as()?),
            _ => Handled::Other,
        })
    }
}

/// The webhook handler: the status to answer, and what it did. A signature that does not
/// verify is a 400 and nothing else happens; Stripe retries what is not answered 2xx.
fn handle(body: &[u8], signature: &str, secret: &str) -> (u16, String) {
    let event = match Webhook::construct_event(body, signature, secret) {
        Ok(event) => event,
        Err(error) => return (400, format!("refused: {error}")),
    };
    let done = match event.parse::<Handled>() {
        Ok(Handled::CustomerCreated(customer)) => format!(
            "welcome {} ({})",
            customer.email.as_deref().unwrap_or("-"),
            customer.id
        ),
        Ok(Handled::PaymentSucceeded(intent)) => format!(
            "paid: {} {} ({})",
            intent.amount_received, intent.currency, intent.id
        ),
        Ok(Handled::FileUploaded(file)) => format!(
            "file {} ({} bytes)",
            file.filename.as_deref().unwrap_or("-"),
            file.size
        ),
        Ok(Handled::Other) => "acknowledged".to_owned(),
        Err(error) => return (400, format!("{}: unreadable object: {error}", event.id)),
    };
    (200, format!("{:<26} {} -> {done}", event.type_, event.id))
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("webhook_receiver failed: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Error> {
    let failed = |what: &str| {
        let what = what.to_owned();
        move |e: std::io::Error| Error::InvalidInput(format!("{what}: {e}"))
    };
    let emulator = Emulator::new();
    file_link::emulator::register(&emulator);
    common_resources::emulator::register(&emulator);
    let server = emulator
        .serve("127.0.0.1:0")
        .map_err(failed("cannot start the emulator"))?;
    let client = Client::builder("sk_test_webhooks")
        .base_url(server.url())
        .files_base_url(server.url())
        .build()?;
    println!("emulator on {}", server.url());

    // The endpoint: its own port, its secret known once the endpoint is registered.
    let listener = TcpListener::bind("127.0.0.1:0").map_err(failed("cannot listen"))?;
    let address = listener.local_addr().map_err(failed("no address"))?;
    let url = format!("http://{address}/webhook");
    let secret = Arc::new(Mutex::new(String::new()));
    let handled = Arc::new(Mutex::new(Vec::new()));
    {
        let (secret, handled) = (Arc::clone(&secret), Arc::clone(&handled));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let secret = secret.lock().map(|s| s.clone()).unwrap_or_default();
                if let Some(done) = serve(stream, &secret) {
                    if let Ok(mut handled) = handled.lock() {
                        handled.push(done);
                    }
                }
            }
        });
    }
    let endpoint = WebhookEndpoint::create(
        &client,
        &CreateWebhookEndpoint::new(
            &url,
            [
                "customer.created",
                "payment_intent.succeeded",
                "file.created",
            ],
        ),
    )?;
    let whsec = endpoint.secret.clone().unwrap_or_default();
    if let Ok(mut secret) = secret.lock() {
        *secret = whsec;
    }
    println!("endpoint {} on {url}", endpoint.id);

    let customer = Customer::create(
        &client,
        &CreateCustomer {
            email: Some("jenny.rosen@example.com".into()),
            ..CreateCustomer::default()
        },
    )?;
    PaymentIntent::create(
        &client,
        &CreatePaymentIntent {
            customer: Some(customer.id.to_string()),
            confirm: Some(true),
            payment_method: Some("pm_card_visa".into()),
            ..CreatePaymentIntent::new(2000, "usd")
        },
    )?;
    let evidence = Upload::from_bytes("evidence.pdf", b"%PDF-1.4 evidence".to_vec());
    File::create(
        &client,
        &CreateFile::new(FilePurpose::DisputeEvidence, evidence),
    )?;

    // Deliveries run in the background; a test (or this example) waits for them.
    emulator.flush_webhooks();
    let handled = handled.lock().map(|h| h.clone()).unwrap_or_default();
    println!("verified {} events:", handled.len());
    for line in &handled {
        println!("  {line}");
    }
    if handled.len() == 3 && handled.iter().all(|line| !line.starts_with("refused")) {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "expected 3 verified events, handled {handled:?}"
        )))
    }
}

/// A minimal HTTP/1.1 exchange: reads one request's `Stripe-Signature` and body (a web
/// framework does this for you), answers what [`handle`] says, closes. What it handled.
fn serve(stream: TcpStream, secret: &str) -> Option<String> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let (mut signature, mut length) = (String::new(), 0);
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "stripe-signature" => signature = value.trim().to_owned(),
                "content-length" => length = value.trim().parse().ok()?,
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let (status, done) = handle(&body, &signature, secret);
    let answer = format!("HTTP/1.1 {status} OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    (&stream).write_all(answer.as_bytes()).ok()?;
    Some(done)
}
