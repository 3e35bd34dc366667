//! The loopback throughput budget, measured so that background load cancels out: our
//! `FileLink::retrieve` and a raw `ureq` GET (the same as `benches/loopback.rs`, same server,
//! same body) run in short rounds, one after the other, the order rotated every round, and the
//! ratio is taken per round. Criterion measures each side for seconds at a time, one after the
//! other, so on a shared 2-core machine a build starting in between moves its figures by more
//! than the 5% the budget allows; neighbouring 250 ms rounds see the same load.
//!
//! A third contender is the same job done by hand with the same agent: the headers our client
//! sends (recorded from it) and `serde_json` decoding the answer into a `FileLink`. `ours/raw`
//! is the budget; `ours/by-hand` separates what the framework adds from what any Stripe call
//! costs (its headers, decoding the answer).
//!
//! `cargo run --release -p benches --example loopback_ratio -- [rounds] [round_ms]`
//! (default 20 rounds of 250 ms per contender and thread count: about 35 s)
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "example code")]

use std::hint::black_box;
use std::time::Duration;

use benches::{Loopback, median, rate, raw_get};
use file_link::FileLink;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().map_or(20, |n| n.parse().unwrap());
    let round = Duration::from_millis(args.next().map_or(250, |n| n.parse().unwrap()));

    let Loopback {
        server: _server, // kept alive until the end
        url,
        client,
        id,
        agent,
    } = Loopback::start().unwrap();
    let headers = benches::retrieve_headers().unwrap();

    let ours = || {
        black_box(FileLink::retrieve(&client, &id).unwrap());
    };
    let raw = || {
        black_box(raw_get(&agent, &url).unwrap());
    };
    // A hand-written call doing the same job: the same headers, the answer decoded.
    let by_hand = || {
        let request = headers
            .iter()
            .fold(agent.get(&url), |request, (name, value)| {
                request.header(name, value)
            });
        let bytes = request.call().unwrap().body_mut().read_to_vec().unwrap();
        black_box(serde_json::from_slice::<FileLink>(&bytes).unwrap());
    };
    let contenders: [&(dyn Fn() + Sync); 3] = [&ours, &raw, &by_hand];

    println!(
        "median of {rounds} rounds of {round:?} each, order rotated every round; ratios per round (min..max)"
    );
    println!("threads  ours req/s  raw req/s  by-hand req/s  ours/raw             ours/by-hand");
    for threads in [1, 8] {
        // Warm up: connections open, allocator and caches settled.
        for contender in contenders {
            let _ = rate(threads, round, contender);
        }
        let mut rates = [Vec::new(), Vec::new(), Vec::new()];
        for index in 0..rounds {
            for offset in 0..3 {
                let which = (index + offset) % 3;
                rates[which].push(rate(threads, round, contenders[which]));
            }
        }
        let ratio = |other: usize| {
            let mut ratios: Vec<f64> = rates[0]
                .iter()
                .zip(&rates[other])
                .map(|(ours, other)| ours / other)
                .collect();
            let (low, high) = ratios
                .iter()
                .fold((f64::MAX, f64::MIN), |(l, h), &x| (l.min(x), h.max(x)));
            format!("{:.3} ({low:.2}..{high:.2})", median(&mut ratios))
        };
        let (vs_raw, vs_hand) = (ratio(1), ratio(2));
        let [mut ours_rates, mut raw_rates, mut hand_rates] = rates;
        println!(
            "{threads:>7}  {:>10.0}  {:>9.0}  {:>13.0}  {vs_raw:<19}  {vs_hand}",
            median(&mut ours_rates),
            median(&mut raw_rates),
            median(&mut hand_rates),
        );
    }
}
