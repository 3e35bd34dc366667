"""stripe-python side of the API-shapes capture (run by scripts/capture-shapes).

    PYTHONPATH=<dir with stripe 16.1.0> python3 cases.py API_BASE FILES_BASE > outcomes.jsonl

API_BASE and FILES_BASE are the recording server's two listeners (scripts/shapes/server.py);
they become the StripeClient's base_addresses "api" and "files", so the port a request arrives
on tells which of the two the SDK chose. Every case labels the requests that follow through the
server's control endpoint, then makes its call on a fresh StripeClient (max_network_retries=0),
so no request carries the X-Stripe-Client-Telemetry of an earlier case. One JSON line per case
goes to stdout: what the call returned (or raised), or why the case was skipped.
"""
import json
import sys
import urllib.parse
import urllib.request

import stripe
from stripe import StripeClient

api_base, files_base = sys.argv[1], sys.argv[2]
SDK = "stripe-python " + stripe.VERSION
assert stripe.VERSION == "16.1.0", stripe.VERSION

SEARCH_QUERY = "email:'jenny@example.com' AND metadata['order_id']:'6735'"


def label(case, call):
    q = urllib.parse.urlencode({"sdk": SDK, "case": case, "call": call})
    urllib.request.urlopen(
        urllib.request.Request(api_base + "/__capture/label?" + q, data=b"", method="POST")
    ).read()


def client():
    return StripeClient(
        "sk_test_123",
        base_addresses={"api": api_base, "files": files_base},
        max_network_retries=0,
    )


def describe(obj):
    """The outcome fields of a returned Stripe object."""
    out = {"returned_type": type(obj).__name__}
    for key in ("id", "object", "deleted"):
        if key in obj:
            out["returned_" + key] = obj[key]
    return out


def emit(case, outcome):
    print(json.dumps({"sdk": SDK, "case": case, "outcome": outcome}), flush=True)


def run(case, call, fn, outcome_of=describe):
    label(case, call)
    try:
        outcome = outcome_of(fn(client()))
    except Exception as e:  # the SDK's own failure is a finding: keep it in the fixture
        outcome = {"raised": "%s: %s" % (type(e).__name__, e)}
    emit(case, outcome)


def with_expanded(field):
    def outcome_of(obj):
        out = describe(obj)
        value = obj[field]
        out["expanded"] = {field: {"type": type(value).__name__,
                                   "id": getattr(value, "id", value)}}
        return out
    return outcome_of


def ids(items):
    items = list(items)
    return {"returned_type": "iterator of " + ", ".join(sorted({type(x).__name__ for x in items})),
            "returned_ids": [x.id for x in items]}


def pdf_outcome(resp):
    body = resp.io.read()
    return {
        "returned_type": type(resp).__name__,
        "returned_stream_attr": "io",
        "returned_stream_type": "%s.%s" % (type(resp.io).__module__, type(resp.io).__name__),
        "returned_code": resp.code,
        "returned_content_type": resp.headers.get("Content-Type"),
        "bytes_length": len(body),
        "bytes": body.decode("latin-1"),
    }


# 1. Custom actions on an instance (POST, form body).
run("action_confirm",
    'client.v1.payment_intents.confirm("pi_123", {"payment_method": "pm_card_visa", '
    '"return_url": "https://example.com/return", "metadata": {"order_id": "6735"}, '
    '"expand": ["latest_charge"]})',
    lambda c: c.v1.payment_intents.confirm("pi_123", {
        "payment_method": "pm_card_visa",
        "return_url": "https://example.com/return",
        "metadata": {"order_id": "6735"},
        "expand": ["latest_charge"],
    }),
    with_expanded("latest_charge"))
run("action_capture",
    'client.v1.payment_intents.capture("pi_123", {"amount_to_capture": 500})',
    lambda c: c.v1.payment_intents.capture("pi_123", {"amount_to_capture": 500}))
run("action_cancel",
    'client.v1.payment_intents.cancel("pi_123", {"cancellation_reason": "requested_by_customer"})',
    lambda c: c.v1.payment_intents.cancel("pi_123", {"cancellation_reason": "requested_by_customer"}))

# 2-4. A nested collection under a customer.
run("nested_create",
    'client.v1.customers.balance_transactions.create("cus_123", {"amount": -500, "currency": "usd", '
    '"description": "Refund for order 6735", "metadata": {"order_id": "6735"}})',
    lambda c: c.v1.customers.balance_transactions.create("cus_123", {
        "amount": -500,
        "currency": "usd",
        "description": "Refund for order 6735",
        "metadata": {"order_id": "6735"},
    }))
run("nested_retrieve",
    'client.v1.customers.balance_transactions.retrieve("cus_123", "cbtxn_123")',
    lambda c: c.v1.customers.balance_transactions.retrieve("cus_123", "cbtxn_123"))
run("nested_retrieve_expand",
    'client.v1.customers.balance_transactions.retrieve("cus_123", "cbtxn_123", {"expand": ["invoice"]})',
    lambda c: c.v1.customers.balance_transactions.retrieve("cus_123", "cbtxn_123", {"expand": ["invoice"]}),
    with_expanded("invoice"))
run("nested_list_autopaging",
    '[x.id for x in client.v1.customers.balance_transactions.list("cus_123", {"limit": 2}).auto_paging_iter()]',
    lambda c: c.v1.customers.balance_transactions.list("cus_123", {"limit": 2}).auto_paging_iter(),
    ids)

# 5. Search, paged by `page` / `next_page`.
run("search_autopaging",
    '[x.id for x in client.v1.customers.search({"query": "email:\'jenny@example.com\' AND '
    'metadata[\'order_id\']:\'6735\'", "limit": 2}).auto_paging_iter()]',
    lambda c: c.v1.customers.search({"query": SEARCH_QUERY, "limit": 2}).auto_paging_iter(),
    ids)

# 6. A singleton.
run("singleton_retrieve", "client.v1.balance.retrieve()", lambda c: c.v1.balance.retrieve())

# 7-8. DELETE with parameters, a nested singleton DELETE.
run("delete_with_params",
    'client.v1.subscriptions.cancel("sub_123", {"invoice_now": True, "prorate": False})',
    lambda c: c.v1.subscriptions.cancel("sub_123", {"invoice_now": True, "prorate": False}))
run("nested_singleton_delete",
    'client.v1.customers.delete_discount("cus_123")',
    lambda c: c.v1.customers.delete_discount("cus_123"))

# GET /v1/invoices/upcoming: only if this version still has a method for it.
invoices = client().v1.invoices
if hasattr(invoices, "upcoming") or hasattr(stripe.Invoice, "upcoming"):
    run("collection_action_get",
        'client.v1.invoices.upcoming({"customer": "cus_123"})',
        lambda c: c.v1.invoices.upcoming({"customer": "cus_123"}))
else:
    emit("collection_action_get", {
        "skipped": "stripe-python 16.1.0 has no method for GET /v1/invoices/upcoming: neither "
                   "InvoiceService.upcoming nor Invoice.upcoming exists; the nearest is "
                   "client.v1.invoices.create_preview (POST /v1/invoices/create_preview)",
        "has_create_preview": hasattr(invoices, "create_preview"),
    })

# The quote PDF: a binary answer, from the files base address.
run("binary_pdf", 'client.v1.quotes.pdf("qt_123")',
    lambda c: c.v1.quotes.pdf("qt_123"), pdf_outcome)
