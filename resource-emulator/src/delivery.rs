//! Webhook delivery: each event `POST`ed, signed as Stripe signs it, to every endpoint that
//! wants it, from background threads that never hold the engine's lock, so a slow or dead
//! endpoint slows no request.
//!
//! - The body is the event's JSON; the headers are Stripe's (`Stripe-Signature: t=...,v1=...`
//!   over the body with the endpoint's `whsec_` secret and the system time, the time a receiver
//!   checks its tolerance against).
//! - A 2xx answer delivers; anything else, or no answer within 10 s, is retried after
//!   [`RETRY_AFTER`] on the emulator's clock (Stripe's test mode retries three times over a few
//!   hours; [`Emulator::advance`](crate::Emulator::advance) brings them forward), then given up.
//! - An event's `pending_webhooks` counts its deliveries not (yet) made, given-up ones included,
//!   as on Stripe.
//! - At most [`MAX_QUEUED`] deliveries wait; beyond that new ones are dropped and counted.
//! - [`Outbox::flush`] waits until every delivery due has been attempted: tests see
//!   deliveries without sleeping, and move the clock for retries.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

use resource_core::{Body, Method, Request, Transport, UreqTransport, Webhook};

use crate::clock::{Clock, system_now};

/// How many deliveries may wait at once.
pub(crate) const MAX_QUEUED: usize = 10_000;

/// After a failed attempt, the next one this many seconds later on the emulator's clock: the
/// first attempt and three retries.
pub(crate) const RETRY_AFTER: [i64; 3] = [60, 600, 3600];

/// How long an endpoint has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How many deliveries are attempted at once.
const WORKERS: usize = 4;

/// The longest a worker sleeps before it looks at the clock again (the clock can be moved).
const NAP: Duration = Duration::from_secs(1);

/// Where an event goes: an endpoint's URL and signing secret.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) url: String,
    pub(crate) secret: String,
}

/// One event on its way to one target.
struct Delivery {
    event: Arc<str>,
    payload: Arc<[u8]>,
    target: Target,
    /// Attempts made so far.
    attempts: usize,
}

/// What became of the webhook deliveries (see [`Usage`](crate::Usage)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deliveries {
    /// Waiting for their first attempt or their next one: at most 10,000.
    pub queued: usize,
    /// Answered 2xx.
    pub delivered: u64,
    /// Given up after their last retry.
    pub given_up: u64,
    /// Dropped because 10,000 were waiting already.
    pub dropped: u64,
}

#[derive(Default)]
struct State {
    /// Waiting deliveries by when they are due (emulator seconds), then in order of arrival.
    queue: BTreeMap<(i64, u64), Delivery>,
    sequence: u64,
    in_flight: usize,
    /// Undelivered deliveries per event id, given-up ones included.
    pending: HashMap<Arc<str>, usize>,
    counts: Deliveries,
    /// How many workers run.
    workers: usize,
    stopping: bool,
}

struct Shared {
    state: Mutex<State>,
    /// Wakes the workers: a delivery is queued, the clock moved, the outbox is closing.
    wake: Condvar,
    /// Wakes a flush: an attempt ended.
    settled: Condvar,
    clock: Arc<Clock>,
    transport: OnceLock<UreqTransport>,
}

/// The deliveries of one emulator; closing it (dropping the engine) stops its threads.
pub(crate) struct Outbox {
    shared: Arc<Shared>,
}

impl Outbox {
    pub(crate) fn new(clock: Arc<Clock>) -> Self {
        Outbox {
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                wake: Condvar::new(),
                settled: Condvar::new(),
                clock,
                transport: OnceLock::new(),
            }),
        }
    }

    /// Queues `payload`, the event `event`, for each of `targets`, due now.
    pub(crate) fn send(&self, event: &str, payload: Vec<u8>, targets: Vec<Target>) {
        if targets.is_empty() {
            return;
        }
        let event: Arc<str> = Arc::from(event);
        let payload: Arc<[u8]> = Arc::from(payload);
        let now = self.shared.clock.now();
        let mut state = self.shared.lock();
        for target in targets {
            *state.pending.entry(Arc::clone(&event)).or_default() += 1;
            if state.queue.len() >= MAX_QUEUED {
                state.counts.dropped += 1;
                continue;
            }
            let delivery = Delivery {
                event: Arc::clone(&event),
                payload: Arc::clone(&payload),
                target,
                attempts: 0,
            };
            state.push(now, delivery);
        }
        // The workers start with the first delivery; if the system refuses a thread, the
        // deliveries wait for the next send to try again.
        while state.workers < WORKERS {
            let shared = Arc::clone(&self.shared);
            let started = std::thread::Builder::new()
                .name("webhook-delivery".into())
                .spawn(move || shared.work());
            if started.is_err() {
                break;
            }
            state.workers += 1;
        }
        drop(state);
        self.shared.wake.notify_all();
    }

    /// How many of the event's deliveries are not made: waiting, or given up.
    pub(crate) fn pending(&self, event: &str) -> usize {
        self.shared
            .lock()
            .pending
            .get(event)
            .copied()
            .unwrap_or_default()
    }

    /// Forgets what is known of an event no longer kept (its deliveries still go).
    pub(crate) fn forget(&self, event: &str) {
        self.shared.lock().pending.remove(event);
    }

    /// The clock moved: deliveries may be due.
    pub(crate) fn clock_moved(&self) {
        self.shared.wake.notify_all();
    }

    /// Returns once every delivery due now has been attempted and no attempt is under way:
    /// each delivered, or failed and waiting for its retry (which the clock brings).
    pub(crate) fn flush(&self) {
        let mut state = self.shared.lock();
        let now = self.shared.clock.now();
        self.shared.wake.notify_all();
        // No worker (the system refused every thread): nothing would ever attempt them.
        while state.workers > 0 && (state.in_flight > 0 || state.due(now)) {
            state = self
                .shared
                .settled
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    pub(crate) fn counts(&self) -> Deliveries {
        let state = self.shared.lock();
        Deliveries {
            queued: state.queue.len(),
            ..state.counts
        }
    }
}

impl Drop for Outbox {
    fn drop(&mut self) {
        self.shared.lock().stopping = true;
        self.shared.wake.notify_all();
    }
}

impl State {
    fn push(&mut self, due: i64, delivery: Delivery) {
        self.sequence += 1;
        self.queue.insert((due, self.sequence), delivery);
    }

    /// Whether a delivery is due at `now`.
    fn due(&self, now: i64) -> bool {
        self.queue
            .first_key_value()
            .is_some_and(|(&(due, _), _)| due <= now)
    }

    /// Records an attempt's end: delivered, or waiting for the next attempt, or given up.
    fn settle(&mut self, delivery: Delivery, delivered: bool, now: i64) {
        if delivered {
            self.counts.delivered += 1;
            if let Some(left) = self.pending.get_mut(&delivery.event) {
                *left = left.saturating_sub(1);
                if *left == 0 {
                    self.pending.remove(&delivery.event);
                }
            }
            return;
        }
        match RETRY_AFTER.get(delivery.attempts.saturating_sub(1)) {
            Some(after) => self.push(now.saturating_add(*after), delivery),
            None => self.counts.given_up += 1,
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A worker: takes the next due delivery, attempts it outside the lock, records the end.
    fn work(&self) {
        let mut state = self.lock();
        loop {
            if state.stopping {
                return;
            }
            let now = self.clock.now();
            let next = state.queue.first_key_value().map(|(&(due, _), _)| due);
            match next {
                Some(due) if due <= now => {
                    let Some((_, mut delivery)) = state.queue.pop_first() else {
                        continue;
                    };
                    state.in_flight += 1;
                    drop(state);
                    delivery.attempts += 1;
                    let delivered = self.attempt(&delivery);
                    state = self.lock();
                    state.in_flight -= 1;
                    let now = self.clock.now();
                    state.settle(delivery, delivered, now);
                    self.settled.notify_all();
                }
                Some(due) => {
                    let wait = Duration::from_secs(u64::try_from(due - now).unwrap_or(1));
                    state = self
                        .wake
                        .wait_timeout(state, wait.min(NAP))
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
                None => {
                    state = self
                        .wake
                        .wait(state)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            }
        }
    }

    /// One `POST` of the event to its target, as Stripe sends it: whether it answered 2xx.
    fn attempt(&self, delivery: &Delivery) -> bool {
        let transport = self
            .transport
            .get_or_init(|| UreqTransport::new(TIMEOUT, CONNECT_TIMEOUT));
        let signature = Webhook::generate_test_header(
            &*delivery.payload,
            &delivery.target.secret,
            system_now(),
        );
        let headers = [
            ("Content-Type", "application/json; charset=utf-8"),
            (
                "User-Agent",
                "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            ),
            ("Accept", "*/*; q=0.5, application/xml"),
            ("Cache-Control", "no-cache"),
        ];
        let mut headers: Vec<_> = headers
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect();
        headers.push(("Stripe-Signature".into(), signature.into()));
        let request = Request {
            method: Method::Post,
            url: delivery.target.url.clone(),
            headers,
            body: Body::from(delivery.payload.to_vec()),
        };
        transport
            .send(&request)
            .is_ok_and(|answer| (200..300).contains(&answer.status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target {
        Target {
            // Nothing listens on port 1: an attempt fails at once.
            url: "http://127.0.0.1:1/hook".to_owned(),
            secret: "whsec_test".to_owned(),
        }
    }

    #[test]
    fn at_most_max_queued_deliveries_wait_and_the_rest_are_counted() {
        let outbox = Outbox::new(Arc::new(Clock::default()));
        let targets = vec![target(); MAX_QUEUED + 5];
        outbox.send("evt_1", b"{}".to_vec(), targets);
        let counts = outbox.counts();
        assert_eq!(counts.dropped, 5);
        assert!(counts.queued <= MAX_QUEUED);
        // Dropped or not, none of them is delivered: all count as pending.
        assert_eq!(outbox.pending("evt_1"), MAX_QUEUED + 5);
        outbox.forget("evt_1");
        assert_eq!(outbox.pending("evt_1"), 0);
    }

    #[test]
    fn a_failed_attempt_waits_for_its_retry_then_is_given_up() {
        let clock = Arc::new(Clock::default());
        let outbox = Outbox::new(Arc::clone(&clock));
        outbox.send("evt_2", b"{}".to_vec(), vec![target()]);
        outbox.flush();
        let waiting = outbox.counts();
        assert_eq!((waiting.queued, waiting.given_up), (1, 0));
        outbox.flush();
        assert_eq!(outbox.counts(), waiting, "a retry waits for its time");
        for after in RETRY_AFTER {
            clock.advance(after);
            outbox.clock_moved();
            outbox.flush();
        }
        let counts = outbox.counts();
        assert_eq!(
            (counts.queued, counts.given_up, counts.delivered),
            (0, 1, 0)
        );
        assert_eq!(outbox.pending("evt_2"), 1);
    }
}
