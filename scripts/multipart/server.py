#!/usr/bin/env python3
"""Recording HTTP server for the multipart capture (scripts/capture-multipart).

Listens on 127.0.0.1 (port 0 unless --port), records every request byte for byte and answers
each POST /v1/files with a plausible `file` object. Stdlib only.

    server.py --out DIR [--port N]

Prints `listening on http://127.0.0.1:PORT` once ready. Each recorded request becomes
DIR/NNN.json: the label last set through the control endpoint, the method, path, query, the
header lines in wire order (name and value exactly as sent), the raw request head (request
line + header lines + blank line) and the raw body, both base64, plus DIR/NNN.http with the
same bytes (head + body) as a file.

The control endpoint `POST /__capture/label?sdk=...&case=...&call=...` labels the requests
that follow (the upload scripts call it before each upload); it is not recorded. 
`POST /__capture/shutdown` stops the server.
"""
import argparse
import base64
import json
import os
import re
import sys
import threading
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire import parse_multipart  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from recording import RecordingHandler  # noqa: E402

STATE = {"label": None, "seq": 0, "out": None}
LOCK = threading.Lock()


def file_object(upload):
    """A plausible `file` object for what was uploaded (parsed form fields)."""
    filename = upload.get("filename") or "evidence.pdf"
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else None
    obj = {
        "id": "file_123",
        "object": "file",
        "created": 1,
        "expires_at": None,
        "filename": filename,
        "links": None,
        "purpose": upload.get("purpose") or "dispute_evidence",
        "size": upload.get("size", 12),
        "title": None,
        "type": ext,
        "url": None,
    }
    if upload.get("fields", {}).get("file_link_data[create]") == "true":
        fields = upload["fields"]
        metadata = {}
        for key, value in fields.items():
            m = re.fullmatch(r"file_link_data\[metadata\]\[(.*)\]", key)
            if m:
                metadata[m.group(1)] = value
        expires_at = fields.get("file_link_data[expires_at]")
        link = {
            "id": "link_123",
            "object": "file_link",
            "created": 1,
            "expired": False,
            "expires_at": int(expires_at) if expires_at else None,
            "file": "file_123",
            "livemode": False,
            "metadata": metadata,
            "url": "https://files.stripe.com/links/fl_test_123",
        }
        obj["links"] = {
            "object": "list",
            "data": [link],
            "has_more": False,
            "url": "/v1/file_links?file=file_123",
        }
    return obj


class Handler(RecordingHandler):
    server_version = "capture-multipart"

    def _reply(self, status, obj):
        data = json.dumps(obj, indent=2).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", "req_capture_%d" % STATE["seq"])
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
                self._reply(200, {"ok": True})
            elif url.path == "/__capture/shutdown":
                self._reply(200, {"ok": True})
                threading.Thread(target=self.server.shutdown, daemon=True).start()
            else:
                self._reply(404, {})
            return
        lines = head.split(b"\r\n")
        header_lines = [l for l in lines[1:] if l]
        headers = []
        for line in header_lines:
            name, _, value = line.partition(b":")
            headers.append([name.decode("latin-1"), value.strip(b" \t").decode("latin-1")])
        with LOCK:
            STATE["seq"] += 1
            seq = STATE["seq"]
            record = {
                "seq": seq,
                "label": STATE["label"],
                "method": self.command,
                "request_line": lines[0].decode("latin-1"),
                "path": url.path,
                "query": url.query or None,
                "headers": headers,
                "raw_head_base64": base64.b64encode(head).decode(),
                "raw_body_base64": base64.b64encode(body).decode(),
            }
            out = STATE["out"]
            with open(os.path.join(out, "%03d.json" % seq), "w") as f:
                json.dump(record, f, indent=1)
            with open(os.path.join(out, "%03d.http" % seq), "wb") as f:
                f.write(head + body)
        upload = {}
        if self.command == "POST" and url.path == "/v1/files":
            ctype = self.headers.get("Content-Type") or ""
            m = re.search(r"boundary=([^;\s]+)", ctype)
            if m:
                try:
                    parsed = parse_multipart(body, m.group(1).strip('"').encode("latin-1"))
                    fields = {}
                    for part in parsed["parts"]:
                        if part["filename"] is not None or part["name"] == "file":
                            upload["filename"] = part["filename"]
                            upload["size"] = len(part["body"])
                        else:
                            fields[part["name"]] = part["body"].decode("utf-8", "replace")
                    upload["fields"] = fields
                    upload["purpose"] = fields.get("purpose")
                except ValueError as e:
                    self._reply(400, {"error": {"type": "invalid_request_error", "message": str(e)}})
                    return
            self._reply(200, file_object(upload))
        else:
            self._reply(404, {"error": {"type": "invalid_request_error", "message": "not captured"}})

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _handle


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    STATE["out"] = args.out
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print("listening on http://127.0.0.1:%d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
