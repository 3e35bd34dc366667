//! Fault injection: File Links calls through a real `Client` and its default `UreqTransport`
//! against `tests::fault_server`, a raw HTTP server that answers errors, resets, cuts bodies,
//! stalls, garbles and overfills, before or after applying a create.
//!
//! For every fault: how many attempts were made, the final result (or the exact error kind and
//! status), that every attempt of one call was the same request with the same `Idempotency-Key`,
//! that the retry waits follow the backoff formula (recorded, never slept), and the key property:
//! under no fault sequence is a create applied twice for one call, and when the client reports
//! success it was applied exactly once.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a broken fixture fails loudly"
)]

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use file_link::{CreateFileLink, FileLink, FileLinkId};
use resource_core::{Client, Error, ErrorKind, RequestOptions, TransportErrorKind};
use tests::fault_server::{Action, Fault, FaultServer, html_page, stripe_error};
use tests::{Recorded, Reply};

/// The per-attempt limit in stall cases: ample for a loopback answer on a busy two-core machine,
/// short enough that the stalls keep the file fast.
const STALL_TIMEOUT: Duration = Duration::from_millis(500);

/// The per-attempt limit everywhere else: nothing should come near it.
const TIMEOUT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------------
// Script vocabulary.

fn before(fault: Fault) -> Action {
    Action::Before(fault)
}

fn after(fault: Fault) -> Action {
    Action::After(fault)
}

/// Stripe's JSON error with `status`.
fn status(status: u16) -> Fault {
    Fault::Respond(stripe_error(status, "api_error", "injected fault"))
}

/// Stripe's JSON error with `status` and `Stripe-Should-Retry: <should_retry>`.
fn status_should_retry(status: u16, should_retry: &str) -> Fault {
    Fault::Respond(
        stripe_error(status, "invalid_request_error", "injected fault")
            .header("Stripe-Should-Retry", should_retry),
    )
}

fn html(status: u16) -> Fault {
    Fault::Respond(html_page(status))
}

/// A 200 with `body` as it is (complete on the wire, whatever it says).
fn ok_body(body: &str) -> Fault {
    Fault::Respond(Reply {
        status: 200,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    })
}

/// Whether `script` stalls: such a call needs the short timeout, which every other call is
/// kept away from (an ordinary answer on a loaded machine must never be taken for a stall).
fn stalls(script: &[Action]) -> bool {
    script.iter().any(|action| {
        matches!(
            action,
            Action::Before(Fault::Stall) | Action::After(Fault::Stall)
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Outcomes.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Success: the link the server created for this call's key.
    Created,
    /// A response came back, classified as this kind, with this status.
    Failed(ErrorKind, u16),
    /// No usable response: `ErrorKind::Connection`, no status; the transport failed this way.
    NoResponse(TransportErrorKind),
}

/// The client, the server it talks to, and the retry waits it asked for.
struct Harness {
    server: FaultServer,
    client: Client,
    delays: Arc<Mutex<Vec<Duration>>>,
}

/// One call: what it returned and what it sent.
struct Call<T> {
    result: Result<T, Error>,
    attempts: Vec<Recorded>,
    delays: Vec<Duration>,
    elapsed: Duration,
}

impl Harness {
    fn new(retries: u32, timeout: Duration) -> Self {
        let server = FaultServer::start();
        let delays = Arc::new(Mutex::new(Vec::new()));
        let client = Client::builder("sk_test_faults")
            .base_url(server.base_url())
            .max_network_retries(retries)
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(2))
            .sleeper({
                let delays = Arc::clone(&delays);
                move |delay| delays.lock().unwrap().push(delay)
            })
            .build()
            .unwrap();
        Harness {
            server,
            client,
            delays,
        }
    }

    /// Scripts the server, then makes `call` and collects what it sent. A panic in the library
    /// is reported as a failure of `case`, never taken for an expected error.
    fn run<T>(
        &self,
        case: &str,
        script: &[Action],
        call: impl FnOnce(&Client) -> Result<T, Error>,
    ) -> Call<T> {
        self.server.script(script.iter().cloned());
        let (sent, waited) = (
            self.server.request_count(),
            self.delays.lock().unwrap().len(),
        );
        let started = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| call(&self.client)))
            .unwrap_or_else(|_| panic!("{case}: the library panicked"));
        let elapsed = started.elapsed();
        Call {
            result,
            attempts: self.server.requests_since(sent),
            delays: self.delays.lock().unwrap()[waited..].to_vec(),
            elapsed,
        }
    }

    fn create(&self, case: &str, script: &[Action]) -> Call<FileLink> {
        let params = CreateFileLink::new("file_faults").metadata("case", case);
        self.run(case, script, |client| FileLink::create(client, &params))
    }

    /// Checks what holds for every create, whatever the faults: one request repeated
    /// identically under one key, backoff waits between attempts, and at most one application,
    /// exactly one when the client reports success.
    fn check_create(&self, case: &str, call: &Call<FileLink>) -> String {
        check_attempts_identical(case, call);
        let key = call.attempts[0]
            .header("Idempotency-Key")
            .unwrap_or_else(|| panic!("{case}: a POST without Idempotency-Key"));
        assert!(is_uuid_v4(key), "{case}: key {key:?} is not a UUID v4");
        let applied = self.server.applications(key);
        assert!(
            applied <= 1,
            "{case}: the create was applied {applied} times"
        );
        if let Ok(link) = &call.result {
            assert_eq!(applied, 1, "{case}: success without an application");
            assert_eq!(
                Some(link.id.to_string()),
                self.server.created_id(key),
                "{case}: success, but not the link this call created"
            );
        }
        key.to_owned()
    }
}

fn check_attempts_identical<T>(case: &str, call: &Call<T>) {
    let first = call
        .attempts
        .first()
        .unwrap_or_else(|| panic!("{case}: nothing was sent"));
    for (n, attempt) in call.attempts.iter().enumerate() {
        // Method, path and query, every header (the key included) and the body, byte for byte.
        assert_eq!(
            attempt,
            first,
            "{case}: attempt {} differs from the first",
            n + 1
        );
    }
    assert_eq!(
        call.delays.len(),
        call.attempts.len() - 1,
        "{case}: one wait before each retry"
    );
    for (n, delay) in (1..).zip(&call.delays) {
        // max(0.5 s, min(0.5 s * 2^(n-1), 5 s) * U(0.5, 1))
        let ceiling = Duration::from_millis(500 << (n - 1)).min(Duration::from_secs(5));
        assert!(
            Duration::from_millis(500) <= *delay && *delay <= ceiling,
            "{case}: wait {delay:?} before retry {n}"
        );
    }
}

fn is_uuid_v4(key: &str) -> bool {
    let bytes = key.as_bytes();
    key.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit() && !b.is_ascii_uppercase(),
        })
        && bytes[14] == b'4'
        && b"89ab".contains(&bytes[19])
}

fn check_outcome<T>(case: &str, call: &Call<T>, expect: Expect) {
    match (&call.result, expect) {
        (Ok(_), Expect::Created) => {}
        (Err(error), Expect::Failed(kind, status)) => {
            assert_eq!(
                (error.kind(), error.status()),
                (kind, Some(status)),
                "{case}: {error}"
            );
        }
        (Err(error), Expect::NoResponse(transport_kind)) => {
            assert_eq!(
                (error.kind(), error.status(), error.request_id()),
                (ErrorKind::Connection, None, None),
                "{case}: {error}"
            );
            match error {
                Error::Connection(transport) => {
                    assert_eq!(transport.kind(), transport_kind, "{case}: {transport}");
                }
                other => panic!("{case}: expected a transport error, got {other:?}"),
            }
        }
        (Ok(_), expect) => panic!("{case}: succeeded, expected {expect:?}"),
        (Err(error), expect) => {
            panic!("{case}: {:?} {error}, expected {expect:?}", error.kind())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The matrix: one fault kind per row, on a create with the default two retries.

#[test]
fn each_fault_ends_in_the_documented_attempts_and_outcome() {
    use Expect::{Created, Failed, NoResponse};
    use TransportErrorKind::{Io, Protocol};
    let (api, rate_limit, decode) = (ErrorKind::Api, ErrorKind::RateLimit, ErrorKind::Decode);
    let cases: Vec<(&str, Vec<Action>, usize, Expect)> = vec![
        ("500, then success", vec![before(status(500))], 2, Created),
        (
            "500 every time",
            vec![before(status(500)); 3],
            3,
            Failed(api, 500),
        ),
        (
            "502 JSON every time",
            vec![before(status(502)); 3],
            3,
            Failed(api, 502),
        ),
        (
            "502 HTML page every time",
            vec![before(html(502)); 3],
            3,
            Failed(api, 502),
        ),
        (
            "503 twice, then success",
            vec![before(status(503)); 2],
            3,
            Created,
        ),
        (
            "409 every time",
            vec![before(status(409)); 3],
            3,
            Failed(api, 409),
        ),
        ("409, then success", vec![before(status(409))], 2, Created),
        // 429 without the header is not retried (DESIGN 5.4 rule 3).
        (
            "429 once",
            vec![before(status(429))],
            1,
            Failed(rate_limit, 429),
        ),
        (
            "429 with Should-Retry true every time",
            vec![before(status_should_retry(429, "true")); 3],
            3,
            Failed(rate_limit, 429),
        ),
        (
            "400 with Should-Retry true, then success",
            vec![before(status_should_retry(400, "true"))],
            2,
            Created,
        ),
        (
            "500 with Should-Retry false",
            vec![before(status_should_retry(500, "false"))],
            1,
            Failed(api, 500),
        ),
        (
            "400 is not retried",
            vec![before(status(400))],
            1,
            Failed(ErrorKind::InvalidRequest, 400),
        ),
        (
            "reset twice, then success",
            vec![before(Fault::Reset); 2],
            3,
            Created,
        ),
        (
            "reset every time",
            vec![before(Fault::Reset); 3],
            3,
            NoResponse(Io),
        ),
        (
            "cut mid-body, then success",
            vec![before(Fault::Cut)],
            2,
            Created,
        ),
        (
            "cut mid-body every time",
            vec![before(Fault::Cut); 3],
            3,
            NoResponse(Io),
        ),
        // An answer that is not HTTP would come back the same: not retried.
        (
            "garbage bytes",
            vec![before(Fault::Garbage)],
            1,
            NoResponse(Protocol),
        ),
        (
            "HTML page with 200",
            vec![before(html(200))],
            1,
            Failed(decode, 200),
        ),
        (
            "empty 200 body",
            vec![before(ok_body(""))],
            1,
            Failed(decode, 200),
        ),
        (
            "truncated JSON 200",
            vec![before(ok_body(r#"{"id": "link_1", "object": "file_li"#))],
            1,
            Failed(decode, 200),
        ),
        (
            "200 JSON that is not a file_link",
            vec![before(ok_body(r#"{"id": "cus_1", "object": "customer"}"#))],
            1,
            Failed(decode, 200),
        ),
    ];
    let harness = Harness::new(2, TIMEOUT);
    for (case, script, attempts, expect) in &cases {
        let call = harness.create(case, script);
        assert_eq!(call.attempts.len(), *attempts, "{case}: attempts");
        check_outcome(case, &call, *expect);
        harness.check_create(case, &call);
    }
}

#[test]
fn an_error_page_that_is_not_json_quotes_the_last_status_and_an_excerpt() {
    let harness = Harness::new(2, TIMEOUT);
    let call = harness.create("502 HTML", &vec![before(html(502)); 3]);
    let error = call.result.unwrap_err();
    let shown = error.to_string();
    assert!(
        shown.contains("502") && shown.contains("Bad Gateway"),
        "{shown}"
    );
    // The third attempt's answer is the one reported.
    assert_eq!(error.request_id(), Some("req_fault_3"));
    assert_eq!(error.body(), None);
}

#[test]
fn a_stalled_attempt_times_out_and_is_retried() {
    let harness = Harness::new(2, STALL_TIMEOUT);
    let call = harness.create("stall, then success", &[before(Fault::Stall)]);
    assert_eq!(call.attempts.len(), 2);
    check_outcome("stall, then success", &call, Expect::Created);
    harness.check_create("stall, then success", &call);
    assert!(call.elapsed >= STALL_TIMEOUT, "{:?}", call.elapsed);

    let call = harness.create("stall every time", &vec![before(Fault::Stall); 3]);
    assert_eq!(call.attempts.len(), 3);
    let timeout = Expect::NoResponse(TransportErrorKind::Timeout);
    check_outcome("stall every time", &call, timeout);
    harness.check_create("stall every time", &call);
    assert!(call.elapsed >= 3 * STALL_TIMEOUT, "{:?}", call.elapsed);
    assert!(
        call.elapsed < 3 * STALL_TIMEOUT + Duration::from_secs(5),
        "{:?}",
        call.elapsed
    );

    // Four requests are still stalled on the server; dropping it ends them at once.
    let started = Instant::now();
    drop(harness);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn an_oversized_body_is_refused_quickly_and_not_retried() {
    let harness = Harness::new(2, TIMEOUT);
    for (case, script) in [
        ("oversized before applying", before(Fault::Oversized)),
        ("oversized after applying", after(Fault::Oversized)),
    ] {
        let call = harness.create(case, &[script]);
        assert_eq!(
            call.attempts.len(),
            1,
            "{case}: the same answer would come again"
        );
        check_outcome(
            case,
            &call,
            Expect::NoResponse(TransportErrorKind::Protocol),
        );
        harness.check_create(case, &call);
        // The client stops reading at 16 MiB instead of buffering whatever is announced.
        assert!(
            call.elapsed < Duration::from_secs(5),
            "{case}: {:?}",
            call.elapsed
        );
    }
}

#[test]
fn zero_retries_make_exactly_one_attempt_whatever_the_fault() {
    use Expect::{Failed, NoResponse};
    use TransportErrorKind::{Io, Timeout};
    let cases = [
        ("500", before(status(500)), Failed(ErrorKind::Api, 500)),
        ("503", before(status(503)), Failed(ErrorKind::Api, 503)),
        ("409", before(status(409)), Failed(ErrorKind::Api, 409)),
        (
            "429 with Should-Retry true",
            before(status_should_retry(429, "true")),
            Failed(ErrorKind::RateLimit, 429),
        ),
        ("reset", before(Fault::Reset), NoResponse(Io)),
        ("reset after applying", after(Fault::Reset), NoResponse(Io)),
        ("cut mid-body", before(Fault::Cut), NoResponse(Io)),
        ("stall", before(Fault::Stall), NoResponse(Timeout)),
    ];
    let (quick, stalling) = (Harness::new(0, TIMEOUT), Harness::new(0, STALL_TIMEOUT));
    for (case, fault, expect) in cases {
        let script = [fault];
        let harness = if stalls(&script) { &stalling } else { &quick };
        let call = harness.create(case, &script);
        assert_eq!(call.attempts.len(), 1, "{case}: no retry");
        check_outcome(case, &call, expect);
        harness.check_create(case, &call);
    }
}

#[test]
fn a_retrieve_is_retried_the_same_way_and_carries_no_key() {
    let harness = Harness::new(2, TIMEOUT);
    let id: FileLinkId = "link_faults_1".parse().unwrap();
    let script = [before(Fault::Reset), before(status(500))];
    let call = harness.run("retrieve", &script, |client| {
        FileLink::retrieve(client, &id)
    });
    assert_eq!(call.result.as_ref().unwrap().id, id);
    assert_eq!(call.attempts.len(), 3);
    check_attempts_identical("retrieve", &call);
    assert_eq!(call.attempts[0].method, "GET");
    assert_eq!(call.attempts[0].header("Idempotency-Key"), None);
}

// ---------------------------------------------------------------------------------------------
// Idempotency: no fault sequence applies a create twice.

/// How one scripted action ends an attempt, for the sweep's model of the retry rules.
#[derive(Debug, Clone, Copy)]
enum Ends {
    Success,
    /// Retried while attempts remain; otherwise the call ends with this.
    Retried(Expect),
    /// The call ends with this.
    Final(Expect),
}

/// Sequences mixing faults before and after applying, with the expected attempts and outcome.
#[test]
fn faults_after_applying_never_apply_a_create_twice() {
    use Expect::{Created, Failed, NoResponse};
    use TransportErrorKind::{Io, Protocol, Timeout};
    let cases: Vec<(&str, Vec<Action>, usize, Expect)> = vec![
        (
            "reset after applying, 500, success",
            vec![after(Fault::Reset), before(status(500)), Action::Serve],
            3,
            Created,
        ),
        (
            "reset after applying, then replay",
            vec![after(Fault::Reset)],
            2,
            Created,
        ),
        (
            "cut after applying, then replay",
            vec![after(Fault::Cut)],
            2,
            Created,
        ),
        (
            "500 after applying, then replay",
            vec![after(status(500))],
            2,
            Created,
        ),
        (
            "409 after applying, then replay",
            vec![after(status(409))],
            2,
            Created,
        ),
        (
            "503 after applying, reset after replaying, replay",
            vec![after(status(503)), after(Fault::Reset)],
            3,
            Created,
        ),
        (
            "reset before, reset after applying, replay",
            vec![before(Fault::Reset), after(Fault::Reset)],
            3,
            Created,
        ),
        (
            "reset after applying every time",
            vec![after(Fault::Reset); 3],
            3,
            NoResponse(Io),
        ),
        (
            "cut, reset, 500 after applying",
            vec![after(Fault::Cut), after(Fault::Reset), after(status(500))],
            3,
            Failed(ErrorKind::Api, 500),
        ),
        (
            "429 Should-Retry true after applying, then replay",
            vec![after(status_should_retry(429, "true"))],
            2,
            Created,
        ),
        // Applied, and the client reports an error it will not retry: the create did happen.
        (
            "500 Should-Retry false after applying",
            vec![after(status_should_retry(500, "false"))],
            1,
            Failed(ErrorKind::Api, 500),
        ),
        (
            "429 after applying",
            vec![after(status(429))],
            1,
            Failed(ErrorKind::RateLimit, 429),
        ),
        (
            "garbage after applying",
            vec![after(Fault::Garbage)],
            1,
            NoResponse(Protocol),
        ),
        (
            "stall after applying, then replay",
            vec![after(Fault::Stall)],
            2,
            Created,
        ),
        (
            "stall after applying, cut after replaying, stall",
            vec![after(Fault::Stall), after(Fault::Cut), after(Fault::Stall)],
            3,
            NoResponse(Timeout),
        ),
    ];
    let (quick, stalling) = (Harness::new(2, TIMEOUT), Harness::new(2, STALL_TIMEOUT));
    for (case, script, attempts, expect) in &cases {
        let harness = if stalls(script) { &stalling } else { &quick };
        let call = harness.create(case, script);
        assert_eq!(call.attempts.len(), *attempts, "{case}: attempts");
        check_outcome(case, &call, *expect);
        let key = harness.check_create(case, &call);
        // The script is followed by `Serve`: any attempt not failed before the layer applies.
        let touched = script
            .iter()
            .chain(std::iter::repeat(&Action::Serve))
            .take(*attempts)
            .any(|action| !matches!(action, Action::Before(_)));
        assert_eq!(
            harness.server.applications(&key),
            usize::from(touched),
            "{case}: applied once as soon as a request got through"
        );
    }
}

/// Every sequence of up to three attempts over faults before and after applying, checked
/// against a model of the retry rules.
#[test]
fn no_sequence_of_faults_applies_a_create_twice() {
    use Expect::{Failed, NoResponse};
    use TransportErrorKind::{Io, Protocol};
    let server_error = Failed(ErrorKind::Api, 500);
    let alphabet: Vec<(&str, Action, Ends)> = vec![
        ("ok", Action::Serve, Ends::Success),
        ("reset", before(Fault::Reset), Ends::Retried(NoResponse(Io))),
        (
            "applied+reset",
            after(Fault::Reset),
            Ends::Retried(NoResponse(Io)),
        ),
        ("cut", before(Fault::Cut), Ends::Retried(NoResponse(Io))),
        (
            "applied+cut",
            after(Fault::Cut),
            Ends::Retried(NoResponse(Io)),
        ),
        ("500", before(status(500)), Ends::Retried(server_error)),
        (
            "applied+500",
            after(status(500)),
            Ends::Retried(server_error),
        ),
        (
            "garbage",
            before(Fault::Garbage),
            Ends::Final(NoResponse(Protocol)),
        ),
        (
            "applied+garbage",
            after(Fault::Garbage),
            Ends::Final(NoResponse(Protocol)),
        ),
    ];
    let harness = Harness::new(2, TIMEOUT);
    let mut seen = HashSet::new();
    let mut keys = HashSet::new();
    let n = alphabet.len();
    for sequence in (0..n * n * n).map(|i| [i / (n * n), i / n % n, i % n]) {
        // The model: attempts go on while they end in a retried fault and attempts remain.
        let mut script = Vec::new();
        let mut expect = Expect::Created;
        for (attempt, &index) in (1..).zip(&sequence) {
            script.push(index);
            match alphabet[index].2 {
                Ends::Success => break,
                Ends::Final(end) => {
                    expect = end;
                    break;
                }
                Ends::Retried(end) if attempt == sequence.len() => expect = end,
                Ends::Retried(_) => {}
            }
        }
        if !seen.insert(script.clone()) {
            continue; // the same sequence, cut short where the call stops
        }
        let actions: Vec<Action> = script.iter().map(|&i| alphabet[i].1.clone()).collect();
        let labels: Vec<&str> = script.iter().map(|&i| alphabet[i].0).collect();
        let case = labels.join(" > ");
        let call = harness.create(&case, &actions);
        assert_eq!(call.attempts.len(), script.len(), "{case}: attempts");
        check_outcome(&case, &call, expect);
        assert!(
            keys.insert(harness.check_create(&case, &call)),
            "{case}: a key used twice"
        );
    }
    assert_eq!(seen.len(), 345, "every distinct sequence ran");
}

#[test]
fn a_key_reused_with_other_parameters_is_an_idempotency_error() {
    let harness = Harness::new(2, TIMEOUT);
    let keyed = harness
        .client
        .with_options(RequestOptions::new().idempotency_key("order-6735-link"));
    let create = |file: &str| {
        let params = CreateFileLink::new(file);
        harness.run(file, &[], |_| FileLink::create(&keyed, &params))
    };
    let first = create("file_a").result.unwrap();
    let again = create("file_a");
    assert_eq!(
        again.result.unwrap().id,
        first.id,
        "the same key replays the first answer"
    );
    assert_eq!(harness.server.applications("order-6735-link"), 1);

    let other = create("file_b");
    assert_eq!(other.attempts.len(), 1, "a 400 is not retried");
    let error = other.result.unwrap_err();
    assert_eq!(
        (error.kind(), error.status()),
        (ErrorKind::Idempotency, Some(400))
    );
    assert_eq!(harness.server.applications("order-6735-link"), 1);

    // An explicit key is kept on every retry, and the retry replays rather than applies again.
    let lost = harness.run(
        "explicit key, reset after applying",
        &[after(Fault::Reset)],
        |_| FileLink::create(&keyed, &CreateFileLink::new("file_a")),
    );
    check_attempts_identical("explicit key", &lost);
    assert_eq!(
        lost.attempts[1].header("Idempotency-Key"),
        Some("order-6735-link")
    );
    assert_eq!(lost.result.unwrap().id, first.id);
    assert_eq!(harness.server.applications("order-6735-link"), 1);
}
