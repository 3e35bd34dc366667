//! Pagination memory: pages through N file links served 100 at a time by a loopback server and
//! reports this process's peak resident set size (`VmHWM`), which must not grow with N because
//! `FileLink::paginate` holds one page at a time.
//!
//! `cargo run --release -p benches --example pagination_memory -- <N> [--collect]`
//!
//! `--collect` keeps every link in a `Vec` instead, the control that shows the measurement does
//! see memory that grows with N.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "example code")]

use std::time::Instant;

use benches::{LoopbackServer, SECRET_KEY};
use file_link::{FileLink, ListFileLinks};
use resource_core::Client;

/// Stripe's largest page, as the example requests.
const PAGE: u64 = 100;

/// A server for `total` links `link_bench000000000000` ..: it answers `GET /v1/file_links` with
/// the page after `starting_after` (or the first), synthesized from the OpenAPI fixture link.
fn page_server(total: u64) -> LoopbackServer {
    // The fixture link, serialized once; each item replaces the fixed-width id in a copy.
    let template_id = benches::link_id(0);
    let template =
        serde_json::to_string(&benches::file_link_with_id(&template_id).unwrap()).unwrap();
    LoopbackServer::start(move |target, out| {
        let start = target
            .split(['?', '&'])
            .find_map(|pair| pair.strip_prefix("starting_after=link_bench"))
            .map_or(0, |index| index.parse::<u64>().unwrap() + 1);
        let end = (start + PAGE).min(total);
        let mut body =
            String::with_capacity(usize::try_from(PAGE).unwrap() * (template.len() + 1) + 96);
        body.push_str(r#"{"object":"list","url":"/v1/file_links","has_more":"#);
        body.push_str(if end < total { "true" } else { "false" });
        body.push_str(r#","data":["#);
        for index in start..end {
            if index > start {
                body.push(',');
            }
            body.push_str(&template.replacen(&template_id, &benches::link_id(index), 1));
        }
        body.push_str("]}");
        benches::push_http_ok(out, body.as_bytes());
    })
    .unwrap()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let total: u64 = args
        .next()
        .map_or(1_000, |n| n.replace('_', "").parse().unwrap());
    let collect = args.next().as_deref() == Some("--collect");

    let server = page_server(total);
    let client = Client::builder(SECRET_KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();
    let (before_kib, _) = benches::memory_kib().unwrap();

    let started = Instant::now();
    let mut seen = 0u64;
    let mut kept = Vec::new();
    let mut checkpoints = Vec::new();
    for link in FileLink::paginate(&client, &ListFileLinks::new().limit(100)) {
        let link = link.unwrap();
        // Every link exactly once, in order: the pages really were walked.
        assert_eq!(link.id.as_ref(), benches::link_id(seen));
        seen += 1;
        if collect {
            kept.push(link);
        }
        if seen.is_power_of_two() || seen % 10_000 == 0 || seen == 1_000 {
            checkpoints.push((seen, benches::memory_kib().unwrap().0));
        }
    }
    let elapsed = started.elapsed();
    assert_eq!(seen, total, "every link paginated");
    let (peak_kib, rss_kib) = benches::memory_kib().unwrap();

    let shown: Vec<String> = checkpoints
        .iter()
        .filter(|(n, _)| [1, 100, 1_000, 10_000, 100_000, 1_000_000].contains(n))
        .map(|(n, kib)| format!("{n}:{kib}"))
        .collect();
    println!(
        "items={seen} pages={} collect={collect} elapsed={:.2}s items/s={:.0}",
        seen.div_ceil(PAGE),
        elapsed.as_secs_f64(),
        seen as f64 / elapsed.as_secs_f64(),
    );
    println!(
        "peak RSS (VmHWM) = {peak_kib} KiB; before paginating {before_kib} KiB; RSS now {rss_kib} KiB; VmHWM after items [{}]",
        shown.join(" ")
    );
    drop(kept);
}
