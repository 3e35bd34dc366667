//! `stripe-emulator`: the emulator over HTTP with File Links and payment intents, for any Stripe SDK.
//!
//! ```text
//! cargo run -p stripe-emulator -- --port 12111 --seed-file dispute_evidence=./evidence.pdf
//! ```
//!
//! Prints one JSON line per seeded file (`{"id": "file_...", "purpose": ..., "filename": ...}`),
//! with `--forward-to URL` a line `{"webhook_secret": "whsec_..."}` (every event is then
//! delivered to URL signed with that secret, as `stripe listen --forward-to` does), then
//! `listening on http://127.0.0.1:PORT`, and serves until stopped. `--port 0` picks a free
//! port; `--host` binds elsewhere than loopback (only do that on a network you trust: it prints a
//! warning), and `--public-url` says which URL remote clients reach it by.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use file_link::FilePurpose;
use resource_emulator::{Emulator, ServeOptions};

const USAGE: &str = "usage: stripe-emulator [--host HOST] [--port PORT] [--public-url URL]
                      [--seed-file PURPOSE=PATH]... [--forward-to URL]
                      [--read-timeout SECONDS] [--idle-timeout SECONDS]
                      [--max-connections N]

  --host HOST               address to bind (default 127.0.0.1); anything but loopback
                            prints a warning: anyone who reaches it can use the emulator
  --port PORT               port to bind, 0 for any free one (default 12111)
  --public-url URL          base URL handed out in objects (links), as remote clients
                            reach the emulator (default: the bound address; for 0.0.0.0
                            this machine's outbound address)
  --seed-file PURPOSE=PATH  add the file at PATH with PURPOSE before serving (repeatable)
  --forward-to URL          deliver every event to URL (like `stripe listen --forward-to`),
                            signed with the secret printed as {\"webhook_secret\": ...}
  --read-timeout SECONDS    longest wait for more of a started request, then 408
                            (default 10)
  --idle-timeout SECONDS    longest wait for a connection's next request (default 60)
  --max-connections N       connections served at once; more are answered 503
                            (default 256)";

struct Options {
    host: String,
    port: u16,
    seeds: Vec<(String, String)>,
    forward_to: Option<String>,
    serve: ServeOptions,
}

fn seconds(name: &str, value: &str) -> Result<Duration, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|seconds| seconds.is_finite() && *seconds > 0.0 && *seconds < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("{name}: not a positive number of seconds: {value}"))
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        host: "127.0.0.1".into(),
        port: 12111,
        seeds: Vec::new(),
        forward_to: None,
        serve: ServeOptions::default(),
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--host" => options.host = value("--host")?,
            "--port" => {
                let port = value("--port")?;
                options.port = port
                    .parse()
                    .map_err(|_| format!("--port: not a port number: {port}"))?;
            }
            "--public-url" => {
                let url = value("--public-url")?;
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(format!("--public-url: not an http(s):// URL: {url}"));
                }
                options.serve = options.serve.public_url(url);
            }
            "--forward-to" => {
                let url = value("--forward-to")?;
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(format!("--forward-to: not an http(s):// URL: {url}"));
                }
                options.forward_to = Some(url);
            }
            "--read-timeout" => {
                let timeout = seconds("--read-timeout", &value("--read-timeout")?)?;
                options.serve = options.serve.read_timeout(timeout);
            }
            "--idle-timeout" => {
                let timeout = seconds("--idle-timeout", &value("--idle-timeout")?)?;
                options.serve = options.serve.idle_timeout(timeout);
            }
            "--max-connections" => {
                let count = value("--max-connections")?;
                let count = count
                    .parse()
                    .ok()
                    .filter(|count| *count > 0)
                    .ok_or_else(|| format!("--max-connections: not a positive count: {count}"))?;
                options.serve = options.serve.max_connections(count);
            }
            "--seed-file" => {
                let seed = value("--seed-file")?;
                let (purpose, path) = seed
                    .split_once('=')
                    .ok_or_else(|| format!("--seed-file: expected PURPOSE=PATH, got {seed}"))?;
                options.seeds.push((purpose.to_owned(), path.to_owned()));
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("stripe-emulator: {message}");
            }
            eprintln!("{USAGE}");
            return if message.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("stripe-emulator: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<(), String> {
    let emulator = Emulator::new();
    file_link::emulator::register(&emulator);
    common_resources::emulator::register(&emulator);
    // `--host ::1` needs brackets to be an address with a port.
    let address = if options.host.contains(':') && !options.host.starts_with('[') {
        format!("[{}]:{}", options.host, options.port)
    } else {
        format!("{}:{}", options.host, options.port)
    };
    // Bind first, so seeded files carry URLs on the real address.
    let server = emulator
        .serve_with(&address, options.serve.clone())
        .map_err(|e| format!("cannot listen on {address}: {e}"))?;
    let mut stdout = std::io::stdout().lock();
    for (purpose, path) in &options.seeds {
        let bytes = std::fs::read(path).map_err(|e| format!("--seed-file {path}: {e}"))?;
        let filename = std::path::Path::new(path)
            .file_name()
            .map_or(path.clone(), |n| n.to_string_lossy().into_owned());
        let purpose: FilePurpose =
            serde_json::from_value(serde_json::json!(purpose)).map_err(|e| e.to_string())?;
        let file = file_link::emulator::add_file(&emulator, &purpose, &filename, &bytes)
            .map_err(|e| format!("--seed-file {path}: {e}"))?;
        let line =
            serde_json::json!({"id": file.id, "purpose": file.purpose, "filename": file.filename});
        writeln!(stdout, "{line}").map_err(|e| e.to_string())?;
    }
    if let Some(url) = &options.forward_to {
        let secret = emulator.forward_events_to(url.clone());
        let line = serde_json::json!({ "webhook_secret": secret });
        writeln!(stdout, "{line}").map_err(|e| e.to_string())?;
    }
    writeln!(stdout, "listening on {}", server.url()).map_err(|e| e.to_string())?;
    stdout.flush().map_err(|e| e.to_string())?;
    drop(stdout);
    server.join();
    Ok(())
}
