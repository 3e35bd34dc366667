#!/usr/bin/env python3
"""Turns the recording server's records and the SDK scripts' outcomes into
tests/fixtures/shapes/official-sdk-shapes.jsonl (run by scripts/capture-shapes).

    build_fixture.py RECORD_DIR OUTCOMES_PYTHON OUTCOMES_NODE OUT_JSONL

One JSON object per line, per SDK per case (python's cases first, then node's, each in capture
order), modelled on tests/fixtures/official-sdk-wire-vectors.jsonl: `case`, `sdk`, `call`,
`notes`, `outcome`, `requests`. Each request has `method`, `path`, `raw_query` (as sent, null
when there is no `?`), `query_pairs` (decoded, wire order), `raw_body` (as sent), `body_pairs`,
`headers` (name -> value; volatile values replaced by a described placeholder), `header_order`,
`host_used` ("api" or "files"), `response_status` and `response_content_type`. Cases an SDK
cannot make (no such method) have no line; the builder checks that the SDK script said so.
The output is the same from one run to the next.
"""
import base64
import glob
import json
import os
import re
import sys
from urllib.parse import parse_qsl

HEX = "[0-9a-f]"
UUID4 = re.compile(r"%s{8}-%s{4}-4%s{3}-[89ab]%s{3}-%s{12}" % (HEX, HEX, HEX, HEX, HEX))
PY_IDEMPOTENCY = re.compile(r"%s{8}-%s{4}-%s{4}-%s{4}-%s{12}" % ((HEX,) * 5))
UA_STABLE = ["bindings_version", "lang", "httplib"]
STRIPE_HOSTS = {"api.stripe.com": "api", "files.stripe.com": "files"}

# What the server did for a case, when that matters for reading its requests.
CASE_NOTES = {
    "action_confirm": "server: the payment_intent example object, id pi_123, latest_charge expanded "
                      "to the charge example object (id ch_123)",
    "nested_retrieve_expand": "server: the customer_balance_transaction example object with "
                              "`invoice` expanded to the invoice example object",
    "nested_list_autopaging": "server: list pages of 2, 2, 1 (cbtxn_1..cbtxn_5), chosen by "
                              "starting_after; has_more true, true, false; "
                              "url /v1/customers/cus_123/balance_transactions",
    "search_autopaging": "server: search_result pages of 2, 2, 1 (cus_1..cus_5), chosen by `page` "
                         "(absent, page_2, page_3); next_page \"page_2\", \"page_3\", null; has_more "
                         "true, true, false; no total_count; url /v1/customers/search",
    "delete_with_params": "server: {\"id\": \"sub_123\", \"object\": \"subscription\", \"deleted\": true}",
    "nested_singleton_delete": "server: {\"id\": <the discount example's id>, \"object\": "
                               "\"discount\", \"deleted\": true}",
    "binary_pdf": "server: 200, Content-Type application/pdf, body `%PDF-1.7 ok\\n` (12 bytes). "
                  "The client was given the api and files base addresses as two different "
                  "loopback ports where it allows that; host_used is the one the request came in on",
}
SDK_CASE_NOTES = {
    ("node", "binary_pdf"): "stripe-node has one host/port setting: with a custom `host`, "
                            "resolveBaseAddress('files') returns that host, so the files base "
                            "address cannot be set apart and the request comes in on the api port "
                            "(host_used \"api\"); see binary_pdf_default_hosts",
    ("node", "binary_pdf_default_hosts"): "default host (api.stripe.com), protocol http, the api "
                                          "port, and an http.Agent whose lookup resolves every "
                                          "name to 127.0.0.1: the Host header names the host the "
                                          "SDK chose, and host_used is read from it",
}


def kind_of(sdk):
    if sdk.startswith("stripe-python"):
        return "python"
    if sdk.startswith("stripe-node"):
        return "node"
    raise SystemExit("unknown sdk %r" % sdk)


class Keys:
    """Numbers the auto-generated idempotency keys of one case, to say which are reused."""

    def __init__(self):
        self.seen = {}

    def describe(self, kind, value):
        if kind == "python":
            assert PY_IDEMPOTENCY.fullmatch(value), value
            fmt = "8-4-4-4-12 lowercase hex of 16 random bytes (not RFC-4122 versioned)"
        else:
            assert value.startswith("stripe-node-retry-") and UUID4.fullmatch(value[18:]), value
            fmt = "'stripe-node-retry-' + uuid4"
        if value in self.seen:
            return "<auto-idempotency-key #%d: SAME value as the earlier request>" % self.seen[value]
        self.seen[value] = len(self.seen) + 1
        return "<auto-idempotency-key #%d: %s; first use>" % (self.seen[value], fmt)


def telemetry(value, previous_request_id):
    metrics = json.loads(value)
    assert list(metrics) == ["last_request_metrics"], metrics
    m = metrics["last_request_metrics"]
    if m["request_id"] != previous_request_id:
        raise SystemExit("telemetry request_id %r is not the previous answer's Request-Id %r"
                         % (m["request_id"], previous_request_id))
    assert isinstance(m["request_duration_ms"], int), m
    text = ('<json {"last_request_metrics": {keys %r}}: request_id = Request-Id of the previous '
            "completed response, request_duration_ms = int" % list(m))
    if "usage" in m:
        text += ", usage = %s" % json.dumps(m["usage"])
    return text + ">"


def request_of(record, kind, keys, previous_request_id):
    headers = record["headers"]
    names = [n.lower() for n, _ in headers]
    if len(set(names)) != len(names):
        raise SystemExit("record %d: repeated header" % record["seq"])
    hmap = {n.lower(): v for n, v in headers}
    body = base64.b64decode(record["raw_body_base64"])
    if "transfer-encoding" in hmap:
        raise SystemExit("record %d: unexpected Transfer-Encoding" % record["seq"])
    if "content-length" in hmap and int(hmap["content-length"]) != len(body):
        raise SystemExit("record %d: Content-Length != body length" % record["seq"])

    hostname, _, _port = hmap["host"].rpartition(":")
    host_used = STRIPE_HOSTS.get(hostname, record["listener"])

    out = {}
    for name, value in headers:
        low = name.lower()
        if low == "host":
            value = "%s:<port>" % hostname
        elif low == "idempotency-key":
            value = keys.describe(kind, value)
        elif low == "x-stripe-client-user-agent":
            ua = json.loads(value)
            stable = {k: ua[k] for k in UA_STABLE if k in ua}
            value = ("<json object, keys in order %r; stable part %s; other values volatile>"
                     % (list(ua), json.dumps(stable)))
        elif low == "x-stripe-client-telemetry":
            value = telemetry(value, previous_request_id)
        out[name] = value

    raw_query = record["query"]
    raw_body = body.decode("utf-8")
    is_form = (hmap.get("content-type") or "").startswith("application/x-www-form-urlencoded")
    return {
        "method": record["method"],
        "path": record["path"],
        "raw_query": raw_query,
        "query_pairs": [list(p) for p in parse_qsl(raw_query or "", keep_blank_values=True)],
        "raw_body": raw_body,
        "body_pairs": [list(p) for p in parse_qsl(raw_body, keep_blank_values=True)] if is_form else [],
        "headers": out,
        "header_order": [n for n, _ in headers],
        "host_used": host_used,
        "response_status": record["response_status"],
        "response_content_type": record["response_content_type"],
    }


def main():
    rec_dir, py_outcomes, node_outcomes, out_path = sys.argv[1:5]
    records = []
    for path in sorted(glob.glob(os.path.join(rec_dir, "*.json"))):
        with open(path) as f:
            records.append(json.load(f))
    records.sort(key=lambda r: r["seq"])

    by_case = {}
    for r in records:
        label = r["label"] or {}
        if "sdk" not in label or "case" not in label:
            raise SystemExit("record %d has no label" % r["seq"])
        by_case.setdefault((label["sdk"], label["case"]), []).append(r)

    lines, skipped, used = [], [], set()
    for path in (py_outcomes, node_outcomes):
        with open(path) as f:
            outcomes = [json.loads(l) for l in f if l.strip()]
        if not outcomes:
            raise SystemExit("no outcomes in %s" % path)
        for o in outcomes:
            sdk, case, outcome = o["sdk"], o["case"], o["outcome"]
            kind = kind_of(sdk)
            recs = by_case.get((sdk, case), [])
            if "skipped" in outcome:
                if recs:
                    raise SystemExit("%s/%s: skipped, yet %d requests were recorded" % (sdk, case, len(recs)))
                skipped.append((sdk, case, outcome["skipped"]))
                continue
            if not recs:
                raise SystemExit("%s/%s: no request recorded" % (sdk, case))
            if "raised" in outcome:
                print("warning: %s/%s raised %s" % (sdk, case, outcome["raised"]), file=sys.stderr)
            used.add((sdk, case))
            keys, previous, requests = Keys(), None, []
            for r in recs:
                requests.append(request_of(r, kind, keys, previous))
                previous = r["response_request_id"]
            # stripe-node copies the answer's Request-Id onto the returned stream: not stable.
            if outcome.get("returned_request_id_property") == recs[-1]["response_request_id"]:
                outcome["returned_request_id_property"] = "<the answer's Request-Id header>"
            notes = [n for n in (CASE_NOTES.get(case), SDK_CASE_NOTES.get((kind, case))) if n]
            lines.append({
                "case": case,
                "sdk": sdk,
                "call": recs[0]["label"]["call"],
                "notes": "; ".join(notes) or None,
                "outcome": outcome,
                "requests": requests,
            })
    unclaimed = set(by_case) - used
    if unclaimed:
        raise SystemExit("requests recorded for cases with no outcome: %r" % sorted(unclaimed))

    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    print("wrote %d lines (%d requests) to %s" % (len(lines), sum(len(l["requests"]) for l in lines), out_path))
    for sdk, case, why in skipped:
        print("skipped %s / %s: %s" % (sdk, case, why))


if __name__ == "__main__":
    main()
