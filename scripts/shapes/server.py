#!/usr/bin/env python3
"""Recording HTTP server for the API-shapes capture (scripts/capture-shapes).

Adapted from scripts/multipart/server.py. Stdlib only.

    server.py --out DIR --fixtures FIXTURES3_JSON

Listens on two loopback ports, one standing for the API host (api.stripe.com) and one for the
files host (files.stripe.com), so that a request shows by the port it arrived on which base
address the SDK chose for it. Prints

    listening api http://127.0.0.1:PORT
    listening files http://127.0.0.1:PORT

once both are ready. Every request (other than the control endpoint) is recorded, byte for
byte, as DIR/NNN.json: the label last set through the control endpoint, the listener it came
in on, the method, the request line, the path and raw query, the header lines in wire order
(name and value exactly as sent), the raw request head and body (base64), and the status,
Content-Type and Request-Id of the answer.

Answers are plausible Stripe objects: Stripe's example objects (fixtures3.json, keyed by
resource name) with their ids overridden to match the request, lists and search results built
from them (see `route`), and `%PDF-1.7 ok\\n` for a quote PDF.

Control endpoint (on either port, never recorded):
  POST /__capture/label?sdk=...&case=...&call=...   labels the requests that follow
  POST /__capture/shutdown                          stops the server
"""
import argparse
import base64
import copy
import json
import os
import re
import sys
import threading
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from recording import RecordingHandler  # noqa: E402

STATE = {"label": None, "seq": 0, "out": None, "examples": None}
LOCK = threading.Lock()
SERVERS = []

PDF = b"%PDF-1.7 ok\n"

# The list endpoint pages through cbtxn_1..cbtxn_5 in pages of 2, 2, 1, by `starting_after`.
BALANCE_TXN_IDS = ["cbtxn_%d" % i for i in range(1, 6)]
# The search endpoint answers page 1 (no `page`), then `page_2`, then `page_3`.
SEARCH_PAGES = {
    None: (["cus_1", "cus_2"], "page_2"),
    "page_2": (["cus_3", "cus_4"], "page_3"),
    "page_3": (["cus_5"], None),
}


def example(resource, **overrides):
    """A deep copy of Stripe's example object for `resource`, with `overrides` applied."""
    obj = copy.deepcopy(STATE["examples"][resource])
    obj.update(overrides)
    return obj


def encode(payload):
    """(body bytes, Content-Type) of an answer: bytes are a PDF, anything else JSON."""
    if isinstance(payload, bytes):
        return payload, "application/pdf"
    return json.dumps(payload, indent=2).encode(), "application/json"


def error(status, message):
    return status, {"error": {"type": "invalid_request_error", "message": message}}


def expands(pairs):
    """The values of expand[0], expand[1], ... (or expand[]) among the decoded pairs."""
    return [v for k, v in pairs if re.fullmatch(r"expand\[\d*\]", k)]


def metadata(pairs):
    out = {}
    for k, v in pairs:
        m = re.fullmatch(r"metadata\[(.*)\]", k)
        if m:
            out[m.group(1)] = v
    return out or None


def route(method, path, pairs):
    """(status, JSON object or bytes) for a request; `pairs` are the decoded query pairs
    (GET, DELETE) or form pairs (POST), in order."""
    params = dict(pairs)
    m = re.fullmatch(r"/v1/payment_intents/([^/]+)/(confirm|capture|cancel)", path)
    if m and method == "POST":
        pi_id, action = m.groups()
        pi = example("payment_intent", id=pi_id, metadata=metadata(pairs) or {})
        if action == "confirm":
            pi.update(status="succeeded", payment_method=params.get("payment_method"),
                      latest_charge="ch_123")
            if "latest_charge" in expands(pairs):
                pi["latest_charge"] = example("charge", id="ch_123", payment_intent=pi_id)
        elif action == "capture":
            amount = int(params.get("amount_to_capture", pi["amount"]))
            pi.update(status="succeeded", amount_received=amount, amount_capturable=0)
        else:
            pi.update(status="canceled", cancellation_reason=params.get("cancellation_reason"))
        return 200, pi

    m = re.fullmatch(r"/v1/customers/([^/]+)/balance_transactions", path)
    if m and method == "POST":
        return 200, example(
            "customer_balance_transaction", customer=m.group(1),
            amount=int(params.get("amount", 0)), currency=params.get("currency"),
            description=params.get("description"), metadata=metadata(pairs))
    if m and method == "GET":
        after = params.get("starting_after")
        start = BALANCE_TXN_IDS.index(after) + 1 if after in BALANCE_TXN_IDS else 0
        if after is not None and start == 0:
            return error(400, "unknown starting_after %r" % after)
        limit = int(params.get("limit", 10))
        ids = BALANCE_TXN_IDS[start:start + limit]
        return 200, {
            "object": "list",
            "url": path,
            "has_more": start + limit < len(BALANCE_TXN_IDS),
            "data": [example("customer_balance_transaction", id=i, customer=m.group(1)) for i in ids],
        }

    m = re.fullmatch(r"/v1/customers/([^/]+)/balance_transactions/([^/]+)", path)
    if m and method == "GET":
        txn = example("customer_balance_transaction", id=m.group(2), customer=m.group(1))
        if "invoice" in expands(pairs):
            txn["invoice"] = example("invoice", customer=m.group(1))
        return 200, txn

    if path == "/v1/customers/search" and method == "GET":
        page = params.get("page")
        if page not in SEARCH_PAGES:
            return error(400, "unknown page %r" % page)
        ids, next_page = SEARCH_PAGES[page]
        return 200, {
            "object": "search_result",
            "url": path,
            "has_more": next_page is not None,
            "next_page": next_page,
            "data": [example("customer", id=i, email="jenny@example.com",
                             metadata={"order_id": "6735"}) for i in ids],
        }

    if path == "/v1/balance" and method == "GET":
        return 200, example("balance")

    m = re.fullmatch(r"/v1/subscriptions/([^/]+)", path)
    if m and method == "DELETE":
        return 200, {"id": m.group(1), "object": "subscription", "deleted": True}

    m = re.fullmatch(r"/v1/customers/([^/]+)/discount", path)
    if m and method == "DELETE":
        return 200, {"id": example("discount")["id"], "object": "discount", "deleted": True}

    if path == "/v1/invoices/upcoming" and method == "GET":
        return 200, example("invoice", customer=params.get("customer"))

    m = re.fullmatch(r"/v1/quotes/([^/]+)/pdf", path)
    if m and method == "GET":
        return 200, PDF

    return error(404, "no such route in the capture server: %s %s" % (method, path))


class Handler(RecordingHandler):
    server_version = "capture-shapes"

    def _reply(self, status, payload, request_id):
        data, ctype = encode(payload)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if request_id:
            self.send_header("Request-Id", request_id)
        self.send_header("Stripe-Version", self.headers.get("Stripe-Version") or "")
        self.end_headers()
        self.wfile.write(data)

    def _handle(self):
        head = self.rfile.take()  # request line + headers + blank line, exactly as read
        body = self._read_body()
        self.rfile.take()
        url = urlsplit(self.path)
        if url.path.startswith("/__capture/"):
            q = dict(parse_qsl(url.query, keep_blank_values=True))
            if url.path == "/__capture/label":
                STATE["label"] = q
                self._reply(200, {"ok": True}, None)
            elif url.path == "/__capture/shutdown":
                self._reply(200, {"ok": True}, None)
                for server in SERVERS:
                    threading.Thread(target=server.shutdown, daemon=True).start()
            else:
                self._reply(404, {}, None)
            return
        lines = head.split(b"\r\n")
        headers = []
        for line in (l for l in lines[1:] if l):
            name, _, value = line.partition(b":")
            headers.append([name.decode("latin-1"), value.strip(b" \t").decode("latin-1")])
        if self.command in ("GET", "DELETE"):
            pairs = parse_qsl(url.query, keep_blank_values=True)
        else:
            pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        try:
            status, payload = route(self.command, url.path, pairs)
        except Exception as e:  # a bug here should show up in the record, not hang the SDK
            status, payload = error(500, "capture server: %r" % e)
        with LOCK:
            STATE["seq"] += 1
            seq = STATE["seq"]
        request_id = "req_capture_%d" % seq
        record = {
            "seq": seq,
            "label": STATE["label"],
            "listener": self.server.listener_name,
            "method": self.command,
            "request_line": lines[0].decode("latin-1"),
            "path": url.path,
            "query": url.query if "?" in self.path else None,
            "headers": headers,
            "raw_head_base64": base64.b64encode(head).decode(),
            "raw_body_base64": base64.b64encode(body).decode(),
            "response_status": status,
            "response_content_type": encode(payload)[1],
            "response_request_id": request_id,
        }
        # Written before answering, so that a record exists once its SDK call has returned.
        with open(os.path.join(STATE["out"], "%03d.json" % seq), "w") as f:
            json.dump(record, f, indent=1)
        self._reply(status, payload, request_id)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _handle


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--fixtures", required=True, help="Stripe's fixtures3.json")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    STATE["out"] = args.out
    with open(args.fixtures) as f:
        STATE["examples"] = json.load(f)["resources"]
    for name in ("api", "files"):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.listener_name = name
        SERVERS.append(server)
    threads = [threading.Thread(target=s.serve_forever) for s in SERVERS]
    for t in threads:
        t.start()
    for s in SERVERS:
        print("listening %s http://127.0.0.1:%d" % (s.listener_name, s.server_address[1]), flush=True)
    for t in threads:
        t.join()


if __name__ == "__main__":
    sys.exit(main())
