"""stripe-python against the emulator: Stripe's usual payment integration flow, with exact results.

Customers (search, balance transactions), payment intents (automatic and manual capture, a
decline, a wrong state), refunds, the balance and its history, a Checkout Session (line items,
expire), and the 404 / deleted forms. Each step prints ok or FAIL; the exit code is 1 if any
failed. The balance is shared with whatever else ran on the same emulator, so it is checked as
the change since this script started.

Usage: python3 payment_flow.py BASE_URL   (run by ../sdk-check)
"""
import secrets
import sys
import traceback

import stripe

base = sys.argv[1]
client = stripe.StripeClient("sk_test_sdk_payment_flow", base_addresses={"api": base}, max_network_retries=0)
v1 = client.v1
run = secrets.token_hex(4)  # keeps this run's customer apart from earlier runs on the same emulator
state = {}
results = []
notes = []  # where the emulator answers otherwise than Stripe does, beyond what a step asserts


def step(name):
    def run_step(body):
        try:
            body()
            results.append((name, None))
            print("  ok    %s" % name)
        except Exception as e:  # noqa: BLE001 - every failure is reported, then the next step runs
            detail = "".join(traceback.format_exception_only(type(e), e)).strip()
            here = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == __file__]
            results.append((name, detail))
            print("  FAIL  %s: %s (line %d)" % (name, " ".join(detail.split()), here[-1].lineno if here else 0))
        return body

    return run_step


def stripe_also(holds, what):
    """Stripe also does `what`; if the emulator does not, says so without failing the step."""
    if not holds:
        notes.append(what)
        print("  note  the emulator differs from Stripe: %s" % what)


def expect_error(error_class, call, status, code=None, param=None):
    """Runs call, which must raise error_class with this http status (and code, and param)."""
    try:
        call()
    except error_class as e:
        assert e.http_status == status, ("http_status", e.http_status, status, e)
        if code is not None:
            assert e.code == code, ("code", e.code, code, e)
        if param is not None:
            assert e.param == param, ("param", e.param, param, e)
        return e
    raise AssertionError("no %s was raised" % error_class.__name__)


def usd_available():
    balance = v1.balance.retrieve()
    assert balance.object == "balance", balance
    amounts = [a.amount for a in balance.available if a.currency == "usd"]
    return amounts[0] if amounts else 0


print("stripe-python %s payment flow:" % stripe.VERSION)
state["balance_before"] = usd_available()


@step("1. customer: create, search by email (and metadata), balance transactions move its balance")
def _():
    email = "jenny.%s@example.com" % run
    customer = v1.customers.create({"email": email, "name": "Jenny Rosen", "metadata": {"sdk": "python", "run": run}})
    assert customer.object == "customer" and customer.id.startswith("cus_"), customer
    assert customer.email == email and customer.name == "Jenny Rosen" and customer.balance == 0, customer
    assert customer.metadata["sdk"] == "python" and customer.metadata["run"] == run, customer.metadata
    state["customer"] = customer.id

    found = v1.customers.search({"query": "email:'%s'" % email})
    assert found.object == "search_result", found
    assert [c.id for c in found.data] == [customer.id] and found.has_more is False, found
    both = v1.customers.search({"query": "email:'%s' AND metadata['sdk']:'python'" % email})
    assert [c.id for c in both.data] == [customer.id], both
    assert v1.customers.search({"query": "email:'%s' AND -metadata['sdk']:'python'" % email}).data == []

    credit = v1.customers.balance_transactions.create(customer.id, {"amount": -1500, "currency": "usd",
                                                                    "description": "goodwill credit"})
    assert credit.object == "customer_balance_transaction" and credit.id.startswith("cbtxn_"), credit
    assert credit.amount == -1500 and credit.ending_balance == -1500, credit
    assert credit.customer == customer.id and credit.type == "adjustment" and credit.currency == "usd", credit
    debit = v1.customers.balance_transactions.create(customer.id, {"amount": 500, "currency": "usd"})
    assert debit.ending_balance == -1000, debit
    assert v1.customers.retrieve(customer.id).balance == -1000
    listed = v1.customers.balance_transactions.list(customer.id)
    assert sorted(t.id for t in listed.data) == sorted([credit.id, debit.id]), listed


@step("2. payment intent 2000 usd confirmed with pm_card_visa: succeeded")
def _():
    intent = v1.payment_intents.create({"amount": 2000, "currency": "usd", "customer": state["customer"]})
    assert intent.object == "payment_intent" and intent.id.startswith("pi_"), intent
    assert intent.status == "requires_payment_method" and intent.amount_received == 0, intent
    assert intent.client_secret.startswith(intent.id + "_secret_"), intent.client_secret
    paid = v1.payment_intents.confirm(intent.id, {"payment_method": "pm_card_visa",
                                                  "return_url": "https://example.com/return"})
    assert paid.status == "succeeded", paid
    assert paid.latest_charge.startswith("ch_"), paid.latest_charge
    assert paid.amount_received == 2000 and paid.amount == 2000 and paid.customer == state["customer"], paid
    assert v1.payment_intents.retrieve(intent.id).status == "succeeded"
    state["paid"] = paid


@step("3. manual capture: requires_capture, then 1500 of 2000 captured: succeeded")
def _():
    intent = v1.payment_intents.create({"amount": 2000, "currency": "usd", "customer": state["customer"],
                                        "capture_method": "manual", "confirm": True,
                                        "payment_method": "pm_card_visa",
                                        "return_url": "https://example.com/return"})
    assert intent.status == "requires_capture", intent
    assert intent.capture_method == "manual" and intent.amount_capturable == 2000, intent
    assert intent.amount_received == 0 and intent.latest_charge.startswith("ch_"), intent
    captured = v1.payment_intents.capture(intent.id, {"amount_to_capture": 1500})
    assert captured.status == "succeeded", captured
    assert captured.amount_received == 1500 and captured.amount_capturable == 0, captured
    state["captured"] = captured


@step("4. decline: CardError 402 card_declined, kept as last_payment_error; confirming a succeeded intent: 400")
def _():
    intent = v1.payment_intents.create({"amount": 2000, "currency": "usd", "customer": state["customer"]})
    e = expect_error(stripe.CardError,
                     lambda: v1.payment_intents.confirm(intent.id, {"payment_method": "pm_card_chargeDeclined",
                                                                    "return_url": "https://example.com/return"}),
                     402, code="card_declined")
    assert e.error.type == "card_error", e.error
    stripe_also(e.error.decline_code == "generic_decline",
                "the 402 card error's body has decline_code 'generic_decline' (got %r)" % e.error.decline_code)
    stripe_also(e.error.payment_intent is not None and e.error.payment_intent.id == intent.id,
                "the 402 card error's body has the payment_intent")
    after = v1.payment_intents.retrieve(intent.id)
    assert after.status == "requires_payment_method", after
    assert after.last_payment_error.code == "card_declined", after.last_payment_error
    assert after.last_payment_error.type == "card_error", after.last_payment_error
    assert after.amount_received == 0, after
    stripe_also(after.last_payment_error.decline_code == "generic_decline",
                "last_payment_error.decline_code is 'generic_decline'")

    expect_error(stripe.InvalidRequestError,
                 lambda: v1.payment_intents.confirm(state["paid"].id, {"payment_method": "pm_card_visa"}),
                 400, code="payment_intent_unexpected_state")
    expect_error(stripe.InvalidRequestError,
                 lambda: v1.payment_intents.capture(state["paid"].id),
                 400, code="payment_intent_unexpected_state")


@step("5. refund 500 of the first payment: succeeded; refunding more than remains: 400 on amount")
def _():
    paid = state["paid"]
    refund = v1.refunds.create({"payment_intent": paid.id, "amount": 500})
    assert refund.object == "refund" and refund.id.startswith("re_"), refund
    assert refund.status == "succeeded" and refund.amount == 500 and refund.currency == "usd", refund
    assert refund.payment_intent == paid.id and refund.charge == paid.latest_charge, refund
    assert refund.balance_transaction and refund.balance_transaction.startswith("txn_"), refund
    assert v1.refunds.retrieve(refund.id).status == "succeeded"
    assert [r.id for r in v1.refunds.list({"payment_intent": paid.id}).data] == [refund.id]
    state["refund"] = refund

    expect_error(stripe.InvalidRequestError,
                 lambda: v1.refunds.create({"payment_intent": paid.id, "amount": 1501}),
                 400, param="amount")


@step("6. balance moved by +2000 +1500 -500 = 3000 usd; its history holds the charge and the refund")
def _():
    delta = usd_available() - state["balance_before"]
    assert delta == 3000, ("usd available changed by", delta)

    history = list(v1.balance_transactions.list({"limit": 100}).auto_paging_iter())
    assert all(t.object == "balance_transaction" for t in history), history
    charge = [t for t in history if t.source == state["paid"].latest_charge]
    assert len(charge) == 1 and charge[0].type == "charge", charge
    assert charge[0].amount == 2000 and charge[0].net == 2000 and charge[0].currency == "usd", charge
    captured = [t for t in history if t.source == state["captured"].latest_charge]
    assert len(captured) == 1 and captured[0].amount == 1500, captured
    refund = [t for t in history if t.id == state["refund"].balance_transaction]
    assert len(refund) == 1 and refund[0].type == "refund" and refund[0].amount == -500, refund
    assert refund[0].source == state["refund"].id, refund
    assert v1.balance_transactions.retrieve(refund[0].id).amount == -500


@step("7. checkout session: open with 2 x 1000 usd, its line item, expired; expiring again: 400")
def _():
    session = v1.checkout.sessions.create({
        "mode": "payment",
        "success_url": "https://example.com/success",
        "line_items": [{"price_data": {"currency": "usd", "unit_amount": 1000, "product_data": {"name": "T-shirt"}},
                        "quantity": 2}],
    })
    assert session.object == "checkout.session" and session.id.startswith("cs_"), session
    stripe_also(session.id.startswith("cs_test_"), "a test-mode Checkout Session's id starts with cs_test_ (got %s)" % session.id)
    assert session.status == "open" and session.payment_status == "unpaid", session
    assert session.amount_total == 2000 and session.amount_subtotal == 2000 and session.currency == "usd", session
    assert session.url and session.url.startswith("http"), session.url
    assert session.mode == "payment" and session.success_url == "https://example.com/success", session

    items = v1.checkout.sessions.line_items.list(session.id)
    assert items.object == "list" and len(items.data) == 1, items
    item = items.data[0]
    assert item.object == "item" and item.quantity == 2 and item.description == "T-shirt", item
    assert item.amount_total == 2000 and item.amount_subtotal == 2000 and item.currency == "usd", item
    assert item.price.unit_amount == 1000 and item.price.currency == "usd", item.price

    expired = v1.checkout.sessions.expire(session.id)
    assert expired.status == "expired" and expired.url is None, expired
    assert v1.checkout.sessions.retrieve(session.id).status == "expired"
    expect_error(stripe.InvalidRequestError, lambda: v1.checkout.sessions.expire(session.id), 400)


@step("8. a missing object: 404 resource_missing; a deleted customer retrieved: deleted")
def _():
    expect_error(stripe.InvalidRequestError, lambda: v1.customers.retrieve("cus_missing_%s" % run),
                 404, code="resource_missing", param="id")
    expect_error(stripe.InvalidRequestError, lambda: v1.payment_intents.retrieve("pi_missing_%s" % run),
                 404, code="resource_missing")
    gone = v1.customers.delete(state["customer"])
    assert gone.id == state["customer"] and gone.deleted is True, gone
    again = v1.customers.retrieve(state["customer"])
    assert again.id == state["customer"] and again.deleted is True, again


failed = [name for name, error in results if error]
print("stripe-python payment flow: %d of %d steps passed%s%s"
      % (len(results) - len(failed), len(results),
         "" if not failed else "; failed: " + ", ".join(n.split(".")[0] for n in failed),
         "" if not notes else "; %d difference(s) from Stripe noted" % len(notes)))
sys.exit(1 if failed else 0)
