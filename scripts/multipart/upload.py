"""stripe-python side of the multipart capture (run by scripts/capture-multipart).

    PYTHONPATH=<dir with stripe 16.1.0> python3 upload.py BASE_URL WORKDIR

WORKDIR holds the files to upload (made by the capture script) and is the working directory,
so files opened by a relative name carry exactly that name. Every case uses a fresh
StripeClient, so no request carries the X-Stripe-Client-Telemetry of an earlier one.
"""
import io
import json
import os
import sys
import urllib.parse
import urllib.request

import stripe
from stripe import StripeClient

base, workdir = sys.argv[1], sys.argv[2]
os.chdir(workdir)
SDK = "stripe-python " + stripe.VERSION
assert stripe.VERSION == "16.1.0", stripe.VERSION


def label(case, call):
    q = urllib.parse.urlencode({"sdk": SDK, "case": case, "call": call})
    urllib.request.urlopen(
        urllib.request.Request(base + "/__capture/label?" + q, data=b"", method="POST")
    ).read()


def client():
    return StripeClient("sk_test_123", base_addresses={"files": base, "api": base})


def run(case, call, params):
    label(case, call)
    f = client().v1.files.create(params)
    print(json.dumps({"sdk": SDK, "case": case, "returned": {"id": f.id, "object": f.object}}))
    return f


with open("evidence.pdf", "rb") as fh:
    run("evidence_pdf",
        'client.v1.files.create({"purpose": "dispute_evidence", "file": open("evidence.pdf", "rb")})',
        {"purpose": "dispute_evidence", "file": fh})

with open("evidence.pdf", "rb") as fh:
    f = run("evidence_pdf_with_file_link_data",
            'client.v1.files.create({"purpose": "dispute_evidence", "file": open("evidence.pdf", "rb"), '
            '"file_link_data": {"create": True, "expires_at": 1900000000, "metadata": {"order_id": "6735"}}})',
            {"purpose": "dispute_evidence", "file": fh,
             "file_link_data": {"create": True, "expires_at": 1900000000, "metadata": {"order_id": "6735"}}})
    assert f.links.data[0].object == "file_link"

with open("my évidence.png", "rb") as fh:
    run("binary_png_non_ascii_filename",
        'client.v1.files.create({"purpose": "dispute_evidence", "file": open("my évidence.png", "rb")})',
        {"purpose": "dispute_evidence", "file": fh})

with open("evidence.pdf", "rb") as fh:
    run("file_before_purpose",
        'client.v1.files.create({"file": open("evidence.pdf", "rb"), "purpose": "dispute_evidence"})',
        {"file": fh, "purpose": "dispute_evidence"})

run("file_without_name_or_type",
    'client.v1.files.create({"purpose": "dispute_evidence", "file": io.BytesIO(<the 12 bytes of evidence.pdf>)})',
    {"purpose": "dispute_evidence", "file": io.BytesIO(open("evidence.pdf", "rb").read())})

quirky = io.BytesIO(open("evidence.pdf", "rb").read())
quirky.name = 'q"uote\r\nx.pdf'
run("quote_and_crlf_in_names",
    'client.v1.files.create({"purpose": "dispute_evidence", "file": <BytesIO of evidence.pdf with .name = \'q"uote\\r\\nx.pdf\'>, '
    '"file_link_data": {"create": True, "metadata": {"a\\"b\\r\\nc": "v\\"1\\r\\n2"}}})',
    {"purpose": "dispute_evidence", "file": quirky,
     "file_link_data": {"create": True, "metadata": {'a"b\r\nc': 'v"1\r\n2'}}})

with open("evidence.pdf", "rb") as fh:
    run("expand_array",
        'client.v1.files.create({"purpose": "dispute_evidence", "file": open("evidence.pdf", "rb"), "expand": ["links", "file_link_data"]})',
        {"purpose": "dispute_evidence", "file": fh, "expand": ["links", "file_link_data"]})

with open("uploads/evidence.pdf", "rb") as fh:
    run("path_with_directory",
        'client.v1.files.create({"purpose": "dispute_evidence", "file": open("uploads/evidence.pdf", "rb")})',
        {"purpose": "dispute_evidence", "file": fh})
