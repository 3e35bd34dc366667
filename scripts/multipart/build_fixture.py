#!/usr/bin/env python3
"""Turns the recording server's records into tests/fixtures/multipart/ (run by
scripts/capture-multipart).

    build_fixture.py RECORD_DIR OUT_DIR

Writes OUT_DIR/official-sdk-multipart.json (a list of cases) and OUT_DIR/raw/<sdk>--<case>.http
(each request exactly as received: request line, header lines, blank line, body). Every body
is split on its boundary per RFC 2046/7578 (wire.py) and the parse is checked to rebuild the
body byte for byte; volatile header values are replaced by described placeholders, with the
values themselves kept under `volatile_values`, so the JSON is the same on every run except
for `boundary`, `volatile_values` and `raw_body_base64`.
"""
import base64
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire import parse_multipart, rebuild_multipart  # noqa: E402

HEX = "[0-9a-f]"
UUID4 = re.compile(r"%s{8}-%s{4}-4%s{3}-[89ab]%s{3}-%s{12}" % (HEX, HEX, HEX, HEX, HEX))
PY_IDEMPOTENCY = re.compile(r"%s{8}-%s{4}-%s{4}-%s{4}-%s{12}" % ((HEX,) * 5))
BOUNDARY_FORMATS = {
    "python": (re.compile("%s{60}" % HEX),
               "60 lowercase hex digits: secrets.token_hex(30), 30 random bytes"),
    "node": (UUID4, "a random (version 4) UUID, 8-4-4-4-12 lowercase hex: platformFunctions.uuid4()"),
}
UA_STABLE = ["bindings_version", "lang", "httplib"]


def dumps(value, indent=0):
    """JSON with two-space indentation, except that lists of scalars (header pairs, header
    order) stay on one line."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = ['%s%s: %s' % (inner, json.dumps(k, ensure_ascii=False), dumps(v, indent + 1))
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return json.dumps(value, ensure_ascii=False)
        if all(isinstance(v, list) and all(not isinstance(x, (dict, list)) for x in v) for v in value):
            return "[\n" + ",\n".join(inner + json.dumps(v, ensure_ascii=False) for v in value) + "\n" + pad + "]"
        return "[\n" + ",\n".join(inner + dumps(v, indent + 1) for v in value) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def b64(data):
    return base64.b64encode(data).decode()


def utf8_or_none(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def case_of(record):
    label = record["label"] or {}
    sdk = label.get("sdk", "")
    kind = "python" if sdk.startswith("stripe-python") else "node" if sdk.startswith("stripe-node") else None
    if kind is None:
        raise SystemExit("record %s has no sdk label" % record["seq"])
    body = base64.b64decode(record["raw_body_base64"])
    head = base64.b64decode(record["raw_head_base64"])
    headers = record["headers"]
    names = [n.lower() for n, _ in headers]
    if len(set(names)) != len(names):
        raise SystemExit("%s/%s: repeated header" % (sdk, label.get("case")))
    hmap = {n.lower(): v for n, v in headers}
    if "transfer-encoding" in hmap:
        raise SystemExit("unexpected Transfer-Encoding %r" % hmap["transfer-encoding"])
    if int(hmap["content-length"]) != len(body):
        raise SystemExit("Content-Length %s != body length %d" % (hmap["content-length"], len(body)))

    m = re.fullmatch(r"multipart/form-data; boundary=(\S+)", hmap["content-type"])
    if not m:
        raise SystemExit("unexpected Content-Type %r" % hmap["content-type"])
    boundary = m.group(1)
    fmt, fmt_text = BOUNDARY_FORMATS[kind]
    if not fmt.fullmatch(boundary):
        raise SystemExit("%s boundary %r does not match %s" % (kind, boundary, fmt_text))

    parsed = parse_multipart(body, boundary)
    if rebuild_multipart(parsed, boundary) != body:
        raise SystemExit("%s/%s: the parse does not rebuild the body" % (sdk, label.get("case")))
    for part in parsed["parts"]:
        lines = b"".join(("%s: %s\r\n" % (n, v)).encode("utf-8") for n, v in part["headers"])
        if lines != part["raw_head"]:
            raise SystemExit("part headers are not plain `Name: value CRLF` lines: %r" % part["raw_head"])

    volatile = {}
    out_headers = []
    for name, value in headers:
        low = name.lower()
        if low == "host":
            host, _, _port = value.rpartition(":")
            volatile[name] = value
            value = "%s:<port>" % host
        elif low == "content-type":
            volatile[name] = value
            value = "multipart/form-data; boundary=<boundary>"
        elif low == "idempotency-key":
            volatile[name] = value
            if kind == "python":
                assert PY_IDEMPOTENCY.fullmatch(value), value
                value = ("<auto-idempotency-key: 8-4-4-4-12 lowercase hex of 16 random bytes "
                         "(not RFC-4122 versioned)>")
            else:
                assert value.startswith("stripe-node-retry-") and UUID4.fullmatch(value[18:]), value
                value = "<auto-idempotency-key: 'stripe-node-retry-' + uuid4>"
        elif low == "x-stripe-client-user-agent":
            volatile[name] = value
            ua = json.loads(value)
            stable = {k: ua[k] for k in UA_STABLE if k in ua}
            value = ("<json object, keys in order %r; stable part %s; other values volatile>"
                     % (list(ua), json.dumps(stable)))
        elif low == "x-stripe-client-telemetry":
            volatile[name] = value
            value = "<json last_request_metrics of the previous request>"
        out_headers.append([name, value])

    parts = []
    for part in parsed["parts"]:
        parts.append({
            "headers": [[n, v] for n, v in part["headers"]],
            "name": part["name"],
            "filename": part["filename"],
            "content_type": part["content_type"],
            "body_base64": b64(part["body"]),
            "body_text_if_utf8": utf8_or_none(part["body"]),
        })
    assert all(p == b"" for p in parsed["paddings"]), parsed["paddings"]
    short = kind
    return {
        "case": label["case"],
        "sdk": sdk,
        "call": label["call"],
        "method": record["method"],
        "path": record["path"],
        "query": record["query"],
        "request_line": record["request_line"],
        "headers": out_headers,
        "header_order": [n for n, _ in headers],
        "content_type": "multipart/form-data; boundary=<boundary>",
        "content_length": len(body),
        "boundary": boundary,
        "boundary_format": fmt_text,
        "preamble": None if parsed["preamble"] is None else b64(parsed["preamble"]),
        "epilogue": None if parsed["epilogue"] is None else b64(parsed["epilogue"]),
        "parts": parts,
        "raw_body_base64": b64(body),
        "volatile_values": volatile,
        "raw_request_file": "raw/%s--%s.http" % (short, label["case"]),
        "_raw": head + body,
        "_kind": short,
    }


def main():
    rec_dir, out_dir = sys.argv[1], sys.argv[2]
    records = []
    for path in sorted(glob.glob(os.path.join(rec_dir, "*.json"))):
        with open(path) as f:
            records.append(json.load(f))
    cases = [case_of(r) for r in records]
    seen = set()
    for c in cases:
        key = (c["_kind"], c["case"])
        if key in seen:
            raise SystemExit("case recorded twice: %r" % (key,))
        seen.add(key)
    order = {"python": 0, "node": 1}
    cases.sort(key=lambda c: order[c["_kind"]])  # stable: capture order within an SDK
    os.makedirs(os.path.join(out_dir, "raw"), exist_ok=True)
    for old in glob.glob(os.path.join(out_dir, "raw", "*.http")):
        os.remove(old)
    for c in cases:
        with open(os.path.join(out_dir, c["raw_request_file"]), "wb") as f:
            f.write(c.pop("_raw"))
        c.pop("_kind")
    with open(os.path.join(out_dir, "official-sdk-multipart.json"), "w", encoding="utf-8") as f:
        f.write(dumps(cases) + "\n")
    print("wrote %d cases to %s" % (len(cases), out_dir))


if __name__ == "__main__":
    main()
