"""stripe-python verifies what `stripe-emulator --forward-to URL` delivers (issue 13).

Two modes, both run by ../webhook-forward-check:

  python3 webhook_forward_check.py receive LOG
      A receiving HTTP server on 127.0.0.1 (a free port, printed as `receiving on URL`): every
      POST is answered 200 and appended to LOG as one JSON line (path, the raw body in base64,
      the headers). Needs nothing beyond the standard library.

  python3 webhook_forward_check.py drive BASE_URL FORWARD_SECRET RECEIVER_URL LOG
      With stripe-python pointed at the emulator (stripe.api_base = BASE_URL): creates a
      customer, updates its name, confirms a 2000 usd PaymentIntent with pm_card_visa, creates a
      webhook endpoint (RECEIVER_URL/endpoint) through the API, then a second customer. Waits for
      the deliveries in LOG, then checks each with stripe.Webhook.construct_event (the forwarding
      secret for /webhook, the endpoint's own for /endpoint), and /v1/events. Prints PASS or FAIL
      per check; exits 1 if any failed.
"""
import base64
import http.server
import json
import secrets
import sys
import threading
import time
import traceback


# --- receive ---------------------------------------------------------------------------------


def receive(log_path):
    lock = threading.Lock()
    log = open(log_path, "a", encoding="utf-8")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                body = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        break
                    body += self.rfile.read(size)
                    self.rfile.readline()
            else:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            record = {
                "path": self.path,
                "body": base64.b64encode(body).decode("ascii"),
                "headers": [[k, v] for k, v in self.headers.items()],
                "received": time.time(),
            }
            with lock:
                log.write(json.dumps(record) + "\n")
                log.flush()
            answer = b'{"received": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print("receiving on http://127.0.0.1:%d" % server.server_address[1], flush=True)
    server.serve_forever()


# --- drive -----------------------------------------------------------------------------------

results = []  # (name, None | detail)


def check(name, body):
    """Runs body (which asserts); records and prints PASS or FAIL. Returns body's value or None."""
    try:
        value = body()
        results.append((name, None))
        print("PASS  %s" % name, flush=True)
        return value
    except Exception as e:  # noqa: BLE001 - every failure is reported, then the next check runs
        detail = " ".join("".join(traceback.format_exception_only(type(e), e)).split())
        here = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == __file__]
        results.append((name, detail))
        print("FAIL  %s: %s (line %d)" % (name, detail, here[-1].lineno if here else 0), flush=True)
        return None


def read_log(log_path):
    deliveries = []
    with open(log_path, encoding="utf-8") as log:
        for line in log:
            if line.endswith("\n"):
                record = json.loads(line)
                record["body"] = base64.b64decode(record["body"])
                record["signature"] = next(
                    (v for k, v in record["headers"] if k.lower() == "stripe-signature"), None)
                deliveries.append(record)
    return deliveries


def event_key(delivery):
    """(path, type, object id) of a delivery, read plainly (not verified) to match it up."""
    try:
        event = json.loads(delivery["body"])
        return delivery["path"], event.get("type"), event.get("data", {}).get("object", {}).get("id")
    except (ValueError, AttributeError):
        return delivery["path"], None, None


def control(base, path, form):
    """A request to one of the emulator's controls (GET when form is None): its JSON answer."""
    import urllib.request

    data = None if form is None else form.encode("ascii")
    request = urllib.request.Request(base + path, data=data,
                                     headers={"Authorization": "Bearer sk_test_123"})
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def drive(base, forward_secret, receiver, log_path):
    import stripe

    stripe.api_key = "sk_test_123"
    stripe.api_base = base
    stripe.max_network_retries = 0
    run = secrets.token_hex(4)
    print("stripe-python %s against %s; receiver %s" % (stripe.VERSION, base, receiver), flush=True)
    made = {}

    # 1. The scenario, through the official SDK.
    def scenario():
        c1 = stripe.Customer.create(email="jenny.%s@example.com" % run, name="Jenny Rosen")
        assert c1.id.startswith("cus_"), c1
        made["c1"] = c1
        made["c1_request"] = c1.last_response.request_id
        updated = stripe.Customer.modify(c1.id, name="Jenny Q. Rosen")
        assert updated.name == "Jenny Q. Rosen", updated
        # return_url: Stripe asks for one when confirming on creation (sdk-check passes it too).
        pi = stripe.PaymentIntent.create(amount=2000, currency="usd", payment_method="pm_card_visa",
                                         confirm=True, return_url="https://example.com/return")
        assert pi.status == "succeeded", pi
        made["pi"] = pi
        endpoint = stripe.WebhookEndpoint.create(url=receiver + "/endpoint",
                                                 enabled_events=["customer.created", "payment_intent.succeeded"])
        assert endpoint.id.startswith("we_") and endpoint.secret.startswith("whsec_"), endpoint
        assert endpoint.secret != forward_secret, "the endpoint's secret is the forwarding secret"
        made["endpoint"] = endpoint
        c2 = stripe.Customer.create(email="jenny.two.%s@example.com" % run, name="Second Customer")
        made["c2"] = c2
        made["c2_request"] = c2.last_response.request_id

    check("scenario through stripe-python: 2 customers (1 updated), a succeeded PaymentIntent, "
          "a webhook endpoint created through the API", scenario)
    if len(made) < 6:
        return finish()

    c1, c2, pi, endpoint = made["c1"].id, made["c2"].id, made["pi"].id, made["endpoint"]
    expected = {
        ("/webhook", "customer.created", c1): 1,
        ("/webhook", "customer.updated", c1): 1,
        ("/webhook", "payment_intent.created", pi): 1,
        ("/webhook", "payment_intent.succeeded", pi): 1,
        ("/webhook", "charge.succeeded", made["pi"].latest_charge): 1,
        ("/webhook", "customer.created", c2): 1,
        ("/endpoint", "customer.created", c2): 1,
    }

    # The emulator's own controls, as a suite in any language uses them: wait for the
    # deliveries, move the clock.
    def controls():
        flushed = control(base, "/_emulator/webhooks/flush", "")
        assert flushed["object"] == "emulator.webhooks" and flushed["queued"] == 0, flushed
        assert flushed["delivered"] >= len(expected), flushed
        before = control(base, "/_emulator/clock", None)["now"]
        moved = control(base, "/_emulator/clock/advance", "seconds=3600")["now"]
        assert moved - before >= 3600, (before, moved)

    check("the emulator's controls over HTTP: POST /_emulator/webhooks/flush answers once the "
          "deliveries are made (queued 0), POST /_emulator/clock/advance moves the clock", controls)

    # Deliveries run on the emulator's background threads: wait for them (up to 10 s).
    def arrived():
        deliveries = read_log(log_path)
        keys = [event_key(d) for d in deliveries]
        return deliveries, [k for k in expected if keys.count(k) < expected[k]]

    started = time.monotonic()
    deliveries, missing = arrived()
    while missing and time.monotonic() - started < 10:
        time.sleep(0.1)
        deliveries, missing = arrived()
    waited = time.monotonic() - started
    time.sleep(0.5)  # anything unexpected that was on its way
    deliveries, missing = arrived()
    print("      %d deliveries after %.1f s:" % (len(deliveries), waited), flush=True)
    for d in deliveries:
        print("        %-9s %-28s %s" % event_key(d), flush=True)

    def all_arrived():
        assert not missing, ("missing", missing)

    check("expected deliveries arrived: /webhook customer.created x2, customer.updated, "
          "payment_intent.created, payment_intent.succeeded, charge.succeeded; /endpoint "
          "customer.created "
          "(second customer)", all_arrived)

    def endpoint_only_c2():
        at_endpoint = [event_key(d) for d in deliveries if d["path"] == "/endpoint"]
        assert at_endpoint == [("/endpoint", "customer.created", c2)], at_endpoint

    check("the API-created endpoint got only what came after it and it wants: customer.created "
          "of the second customer", endpoint_only_c2)

    def once_each():
        seen = {}
        for d in deliveries:
            event_id = json.loads(d["body"]).get("id")
            seen[(d["path"], event_id)] = seen.get((d["path"], event_id), 0) + 1
        twice = {k: n for k, n in seen.items() if n > 1}
        assert not twice, ("delivered more than once though answered 200", twice)
        assert all(d["path"] in ("/webhook", "/endpoint") for d in deliveries), [d["path"] for d in deliveries]

    check("each event delivered once per target (every delivery was answered 200)", once_each)

    # 2. stripe-python's construct_event on every delivery, with the right secret.
    events = {}  # event_key -> verified stripe.Event

    def verify_all():
        failures = []
        for d in deliveries:
            secret = endpoint.secret if d["path"] == "/endpoint" else forward_secret
            try:
                header = d["signature"]
                assert header, "no Stripe-Signature header"
                parts = [p.split("=", 1)[0] for p in header.split(",")]
                assert "t" in parts and "v1" in parts, ("header without t= and v1=", header)
                event = stripe.Webhook.construct_event(d["body"], header, secret)
                events.setdefault(event_key(d), event)
            except Exception as e:  # noqa: BLE001
                failures.append((event_key(d), "%s: %s" % (type(e).__name__, e)))
        assert deliveries, "no deliveries"
        assert not failures, failures
        return len(deliveries)

    count = check("stripe.Webhook.construct_event accepts every delivery (forward secret at /webhook, "
                  "the endpoint's secret at /endpoint); each Stripe-Signature has t= and v1=", verify_all)

    def rejections():
        d = next(d for d in deliveries if d["path"] == "/webhook")
        try:
            stripe.Webhook.construct_event(d["body"], d["signature"], "whsec_wrong" + forward_secret[6:12])
            raise AssertionError("a wrong secret was accepted")
        except stripe.SignatureVerificationError:
            pass
        tampered = d["body"].replace(b'"livemode"', b'"livemode" ', 1)
        assert tampered != d["body"]
        try:
            stripe.Webhook.construct_event(tampered, d["signature"], forward_secret)
            raise AssertionError("a tampered body was accepted")
        except stripe.SignatureVerificationError:
            pass
        e = next((d for d in deliveries if d["path"] == "/endpoint"), None)
        if e is not None:  # the endpoint's delivery does not pass with the forwarding secret
            try:
                stripe.Webhook.construct_event(e["body"], e["signature"], forward_secret)
                raise AssertionError("the endpoint's delivery passed with the forwarding secret")
            except stripe.SignatureVerificationError:
                pass

    check("a wrong secret, a tampered body (and the other target's secret) raise "
          "stripe.SignatureVerificationError", rejections)

    def contents():
        def event(path, type_, object_id):
            found = events.get((path, type_, object_id))
            assert found is not None, ("no verified event", path, type_, object_id)
            assert found.type == type_ and found.data.object.id == object_id, found
            assert found.object == "event" and found.id.startswith("evt_"), found
            return found

        for path, c, request in (("/webhook", c1, made["c1_request"]),
                                 ("/webhook", c2, made["c2_request"]),
                                 ("/endpoint", c2, made["c2_request"])):
            created = event(path, "customer.created", c)
            assert created.data.object.object == "customer", created
            assert created.request and created.request.id, ("customer.created without request.id", created.request)
            assert created.request.id == request, ("request.id", created.request.id, "Request-Id", request)
        updated = event("/webhook", "customer.updated", c1)
        assert updated.data.object.name == "Jenny Q. Rosen", updated.data.object
        assert updated.data.previous_attributes.name == "Jenny Rosen", updated.data
        event("/webhook", "payment_intent.created", pi)
        succeeded = event("/webhook", "payment_intent.succeeded", pi)
        assert succeeded.data.object.status == "succeeded" and succeeded.data.object.amount == 2000, succeeded
        assert events[("/webhook", "customer.created", c2)].id == events[("/endpoint", "customer.created", c2)].id, \
            "the second customer's customer.created is not the same event at both targets"

    check("event.type and event.data.object.id match what was created; customer.created has "
          "request.id (the create's Request-Id); customer.updated has previous_attributes.name", contents)

    # 3. GET /v1/events shows them, delivered.
    def listed():
        listing = {e.id: e for e in stripe.Event.list(limit=100).auto_paging_iter()}
        delivered = {}  # expected key -> the id of the event delivered for it (read plainly)
        for d in deliveries:
            if event_key(d) in expected:
                delivered.setdefault(event_key(d), json.loads(d["body"])["id"])
        problems = []
        for key in expected:
            found = [e for e in listing.values() if (e.type, e.data.object.id) == key[1:]]
            if len(found) != 1:
                problems.append((key[1:], "listed %d times" % len(found)))
            elif key in delivered and found[0].id != delivered[key]:
                problems.append((key[1:], "listed as", found[0].id, "delivered as", delivered[key]))
            elif found[0].pending_webhooks != 0:
                problems.append((key[1:], "pending_webhooks", found[0].pending_webhooks))
        assert not problems, problems
        both = delivered[("/endpoint", "customer.created", c2)]
        one = stripe.Event.retrieve(both)
        assert one.type == "customer.created" and one.data.object.id == c2, one
        assert one.pending_webhooks == 0, ("retrieved pending_webhooks", one.pending_webhooks)

    check("stripe.Event.list() shows the delivered events with pending_webhooks 0; "
          "stripe.Event.retrieve of the one sent to both targets: pending_webhooks 0", listed)

    # 4. The emulator signs with resource_core::Webhook::generate_test_header.
    def rust_helper():
        assert count, "the construct_event check did not pass"

    check("headers made by resource_core::Webhook::generate_test_header (the emulator's signer) "
          "are accepted by stripe-python %s" % stripe.VERSION, rust_helper)
    return finish()


def finish():
    failed = [name for name, detail in results if detail]
    print("%d checks: %d passed, %d failed" % (len(results), len(results) - len(failed), len(failed)), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "receive":
        receive(sys.argv[2])
    elif len(sys.argv) == 6 and sys.argv[1] == "drive":
        sys.exit(drive(*sys.argv[2:]))
    else:
        sys.exit(__doc__)
