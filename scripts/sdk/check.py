"""stripe-python against the emulator: File Links end to end, and the error classes.

Usage: python3 check.py BASE_URL FILE_ID   (run by ../sdk-check)
"""
import sys
import time

import stripe

base, file_id = sys.argv[1], sys.argv[2]
client = stripe.StripeClient("sk_test_sdk_check", base_addresses={"api": base, "files": base}, max_network_retries=0)
links = client.v1.file_links

created = links.create({"file": file_id, "expires_at": int(time.time()) + 3600, "metadata": {"order_id": "6735"}})
assert created.object == "file_link" and created.id.startswith("link_"), created
assert created.metadata["order_id"] == "6735" and created.expired is False and created.url

assert links.retrieve(created.id).id == created.id
expanded = links.retrieve(created.id, {"expand": ["file"]})
assert expanded.file.id == file_id, expanded.file

updated = links.update(created.id, {"metadata": {"order_id": "6736", "note": "x"}})
assert updated.metadata["order_id"] == "6736"
assert "note" not in links.update(created.id, {"metadata": {"note": ""}}).metadata

for n in range(5):
    links.create({"file": file_id, "metadata": {"n": str(n)}})
page = links.list({"limit": 2, "file": file_id})
assert page.object == "list" and len(page.data) == 2 and page.has_more, page
ids = [link.id for link in links.list({"limit": 2, "file": file_id}).auto_paging_iter()]
assert len(ids) == 6 and len(set(ids)) == 6 and ids[-1] == created.id, ids
back = [link.id for link in links.list({"limit": 2, "file": file_id, "ending_before": ids[-1]}).auto_paging_iter()]
assert back == list(reversed(ids[:-1])), back

try:
    links.retrieve("link_missing")
    raise AssertionError("a missing link was found")
except stripe.InvalidRequestError as e:
    assert e.http_status == 404 and e.code == "resource_missing", e

expired = links.update(created.id, {"expires_at": "now"})
assert expired.expired is True
try:
    links.update(created.id, {"metadata": {"late": "1"}})
    raise AssertionError("an expired link was updated")
except stripe.InvalidRequestError as e:
    assert e.http_status == 400, e

try:
    links.create({"file": file_id, "bogus": "1"})
    raise AssertionError("an unknown parameter was accepted")
except stripe.InvalidRequestError as e:
    assert e.http_status == 400 and e.param == "bogus", e

try:
    stripe.StripeClient("sk_live_nope", base_addresses={"api": base}).v1.file_links.list()
    raise AssertionError("a live key was accepted")
except stripe.AuthenticationError as e:
    assert e.http_status == 401, e

# An upload through the SDK's own multipart code, with a link in the same call; then the link's
# URL serves the bytes back.
import tempfile
import urllib.request

with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
    pdf.write(b"%PDF-1.4 uploaded by stripe-python")
    pdf.flush()
    with open(pdf.name, "rb") as f:
        uploaded = client.v1.files.create({"purpose": "dispute_evidence", "file": f,
                                           "file_link_data": {"create": True, "metadata": {"via": "python"}}})
assert uploaded.object == "file" and uploaded.size == 34, uploaded
link_url = uploaded.links.data[0].url
with urllib.request.urlopen(link_url) as response:
    assert response.read() == b"%PDF-1.4 uploaded by stripe-python"

print("stripe-python %s: upload with a link and download through it, create, retrieve, expand, update, list, auto-paginate (both ways), "
      "404 / expired / unknown parameter / auth errors: ok" % stripe.VERSION)
