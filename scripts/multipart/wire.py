"""multipart/form-data parsing for the capture (RFC 2046 section 5.1.1, RFC 7578). Stdlib only.

parse_multipart(body, boundary) splits a body exactly per RFC 2046's grammar:

    multipart-body := [preamble CRLF] dash-boundary transport-padding CRLF body-part
                      *encapsulation close-delimiter transport-padding [CRLF epilogue]
    encapsulation  := delimiter transport-padding CRLF body-part
    delimiter      := CRLF dash-boundary        dash-boundary := "--" boundary
    close-delimiter := delimiter "--"
    body-part      := MIME-part-headers [CRLF *OCTET]

and rebuild_multipart(parsed, boundary) puts the pieces back together; the capture checks that
this reproduces the body byte for byte.
"""
import re

CRLF = b"\r\n"


def _padding(buf, i):
    j = i
    while j < len(buf) and buf[j] in b" \t":
        j += 1
    return buf[i:j], j


def parse_disposition(value):
    """Content-Disposition value -> (type, [(param, value, quoted)]). Quoted-strings are taken
    literally up to the next DQUOTE: neither SDK backslash-escapes (both turn '"' into %22)."""
    m = re.match(r"\s*([^;\s]+)\s*", value)
    if not m:
        raise ValueError("bad Content-Disposition %r" % value)
    kind, rest, params = m.group(1), value[m.end():], []
    while rest:
        m = re.match(r';\s*([^=\s;]+)\s*=\s*(?:"([^"]*)"|([^;\s]*))\s*', rest)
        if not m:
            raise ValueError("bad Content-Disposition parameters %r" % rest)
        quoted = m.group(2) is not None
        params.append((m.group(1), m.group(2) if quoted else m.group(3), quoted))
        rest = rest[m.end():]
    return kind, params


def parse_multipart(body, boundary):
    if isinstance(boundary, str):
        boundary = boundary.encode("latin-1")
    dash = b"--" + boundary
    delim = CRLF + dash
    if body.startswith(dash):
        preamble, i = None, len(dash)
    else:
        k = body.find(delim)
        if k < 0:
            raise ValueError("no opening boundary")
        preamble, i = body[:k], k + len(delim)
    pieces, paddings = [], []
    closed = False
    while True:
        if body[i:i + 2] == b"--":
            closed = True
            i += 2
            pad, i = _padding(body, i)
            paddings.append(pad)
            break
        pad, i = _padding(body, i)
        paddings.append(pad)
        if body[i:i + 2] != CRLF:
            raise ValueError("boundary line not followed by CRLF at offset %d" % i)
        i += 2
        k = body.find(delim, i)
        if k < 0:
            raise ValueError("part not terminated by a delimiter")
        pieces.append(body[i:k])
        i = k + len(delim)
    if not closed:
        raise ValueError("no close delimiter")
    if i == len(body):
        epilogue = None
    elif body[i:i + 2] == CRLF:
        epilogue = body[i + 2:]
    else:
        raise ValueError("garbage after close delimiter")

    parts = []
    for raw in pieces:
        # MIME-part-headers are header lines each ending in CRLF; then CRLF then the body.
        if raw.startswith(CRLF):
            head, content = b"", raw[2:]
        else:
            k = raw.find(CRLF + CRLF)
            if k < 0:
                raise ValueError("part without header/body separator")
            head, content = raw[:k + 2], raw[k + 4:]
        headers = []
        for line in head.split(CRLF)[:-1] if head else []:
            if line[:1] in (b" ", b"\t"):
                raise ValueError("folded part header")
            name, sep, value = line.partition(b":")
            if not sep:
                raise ValueError("bad part header line %r" % line)
            headers.append((name.decode("utf-8"), value.strip(b" \t").decode("utf-8")))
        name = filename = ctype = None
        for hname, hvalue in headers:
            if hname.lower() == "content-disposition":
                _, params = parse_disposition(hvalue)
                for p, v, _q in params:
                    if p.lower() == "name":
                        name = v
                    elif p.lower() == "filename":
                        filename = v
            elif hname.lower() == "content-type":
                ctype = hvalue
        parts.append({
            "raw_head": head,
            "headers": headers,
            "name": name,
            "filename": filename,
            "content_type": ctype,
            "body": content,
        })
    return {"preamble": preamble, "paddings": paddings, "parts": parts, "epilogue": epilogue}


def rebuild_multipart(parsed, boundary):
    if isinstance(boundary, str):
        boundary = boundary.encode("latin-1")
    dash = b"--" + boundary
    out = bytearray()
    if parsed["preamble"] is not None:
        out += parsed["preamble"] + CRLF
    pads = parsed["paddings"]
    for n, part in enumerate(parsed["parts"]):
        out += (dash if n == 0 else CRLF + dash) + pads[n] + CRLF
        out += part["raw_head"] + CRLF + part["body"]
    out += (CRLF if parsed["parts"] else b"") + dash + b"--" + pads[-1]
    if parsed["epilogue"] is not None:
        out += CRLF + parsed["epilogue"]
    return bytes(out)
