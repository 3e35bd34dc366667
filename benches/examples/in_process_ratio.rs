//! The in-process budget (a full call costs at most 2x its floor), measured so that background
//! load cancels out: one full `FileLink::create` through a `Client` over an in-process transport
//! (the same as `benches/in_process.rs`) and its floor, `serde_json` decoding the same body alone,
//! run in short rounds one after the other, the order rotated every round, and the ratio is taken
//! per round. Criterion times each side for seconds, one after the other; on a shared 2-core
//! machine its two figures were seen to move by 40% between runs minutes apart.
//!
//! `cargo run --release -p benches --example in_process_ratio -- [rounds] [round_ms]`
//! (default 30 rounds of 200 ms per side: about 13 s)
#![allow(clippy::unwrap_used, reason = "example code")]

use std::hint::black_box;
use std::time::Duration;

use benches::{Canned, SECRET_KEY, median, rate};
use file_link::{CreateFileLink, FileLink};
use resource_core::Client;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().map_or(30, |n| n.parse().unwrap());
    let round = Duration::from_millis(args.next().map_or(200, |n| n.parse().unwrap()));

    let body = benches::file_link_body().unwrap();
    let client = Client::builder(SECRET_KEY)
        .transport(Canned::ok(body.clone()))
        .build()
        .unwrap();
    // The README's create: a file, an expiry and one metadata key.
    let params = CreateFileLink::new("file_1Pgag2B7WZ01zgkWITx3dIQc")
        .expires_at(1_900_000_000)
        .metadata("order_id", "6735");
    // Both sides must succeed with the same answer, or the ratio would time an error path.
    assert_eq!(
        FileLink::create(&client, &params).unwrap(),
        serde_json::from_slice::<FileLink>(&body).unwrap()
    );

    let full_call = || {
        black_box(FileLink::create(black_box(&client), black_box(&params)).unwrap());
    };
    let floor = || {
        black_box(serde_json::from_slice::<FileLink>(black_box(&body)).unwrap());
    };
    let sides: [&(dyn Fn() + Sync); 2] = [&full_call, &floor];

    for side in sides {
        let _ = rate(1, round, side); // warm up
    }
    let mut rates = [Vec::new(), Vec::new()];
    for index in 0..rounds {
        for offset in 0..2 {
            let which = (index + offset) % 2;
            rates[which].push(rate(1, round, sides[which]));
        }
    }
    // Per round: (time of a full call) / (time of the floor) = floor rate / full-call rate.
    let mut ratios: Vec<f64> = rates[1]
        .iter()
        .zip(&rates[0])
        .map(|(floor, full)| floor / full)
        .collect();
    let (low, high) = ratios
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), &x| (l.min(x), h.max(x)));
    let ratio = median(&mut ratios);
    let [mut full, mut floor] = rates;
    let nanos = |rates: &mut [f64]| 1e9 / median(rates);
    println!("median of {rounds} rounds of {round:?} each, order rotated every round");
    println!("full call  floor    full/floor (min..max per round)");
    println!(
        "{:>6.0} ns  {:>4.0} ns  {ratio:.2} ({low:.2}..{high:.2})",
        nanos(&mut full),
        nanos(&mut floor)
    );
}
