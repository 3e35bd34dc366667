"""What the capture servers (scripts/multipart/server.py, scripts/shapes/server.py) share: a
request handler that keeps every byte of each request as it was read. Stdlib only."""
from http.server import BaseHTTPRequestHandler


class RecordingReader:
    """Wraps the socket's rfile and keeps every byte read through it."""

    def __init__(self, raw):
        self.raw = raw
        self.buf = bytearray()

    def readline(self, *args):
        line = self.raw.readline(*args)
        self.buf += line
        return line

    def read(self, *args):
        data = self.raw.read(*args)
        self.buf += data
        return data

    def take(self):
        data = bytes(self.buf)
        self.buf.clear()
        return data

    def __getattr__(self, name):
        return getattr(self.raw, name)


class RecordingHandler(BaseHTTPRequestHandler):
    """HTTP/1.1, quiet, its rfile a RecordingReader; `_read_body` reads a body whole, chunked or
    by Content-Length."""

    protocol_version = "HTTP/1.1"
    sys_version = ""

    def setup(self):
        super().setup()
        self.rfile = RecordingReader(self.rfile)

    def log_message(self, fmt, *args):  # quiet
        pass

    def _read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            body = bytearray()
            while True:
                size_line = self.rfile.readline()
                size = int(size_line.split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                body += self.rfile.read(size)
                self.rfile.readline()
            return bytes(body)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""
