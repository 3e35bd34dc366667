// stripe-node side of the API-shapes capture (run by scripts/capture-shapes).
//   node cases.mjs API_BASE FILES_BASE > outcomes.jsonl
// (from a directory whose node_modules has stripe 23.1.0, so that `import 'stripe'` resolves)
//
// API_BASE and FILES_BASE are the recording server's two listeners (scripts/shapes/server.py).
// Every case labels the requests that follow through the server's control endpoint, then makes
// its call on a fresh `new Stripe('sk_test_123', {host, port, protocol: 'http',
// maxNetworkRetries: 0})`, so no request carries the X-Stripe-Client-Telemetry of an earlier
// case. One JSON line per case goes to stdout: what the call returned (or threw), or why the
// case was skipped.
//
// stripe-node has a single host/port setting: resolveBaseAddress('files') returns the instance
// `host` whenever it is not api.stripe.com, so FILES_BASE cannot be given to it and every request
// goes to API_BASE. To see which base address the SDK chooses for the quote PDF when left alone,
// one extra case (`binary_pdf_default_hosts`) keeps the default host (api.stripe.com), sets only
// `protocol: 'http'` and API_BASE's port, and gives it an http.Agent whose `lookup` resolves
// every name to 127.0.0.1: the Host header then names the host the SDK chose.
import Stripe from 'stripe';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import assert from 'node:assert/strict';

const [apiBase, filesBase] = process.argv.slice(2);
const api = new URL(apiBase);
const version = JSON.parse(fs.readFileSync(path.join(path.dirname(new URL(import.meta.resolve('stripe')).pathname), '..', 'package.json'))).version;
assert.equal(version, '23.1.0');
const SDK = `stripe-node ${version}`;

const SEARCH_QUERY = "email:'jenny@example.com' AND metadata['order_id']:'6735'";

async function label(kase, call) {
  const q = new URLSearchParams({ sdk: SDK, case: kase, call });
  await (await fetch(`${apiBase}/__capture/label?${q}`, { method: 'POST' })).text();
}

function client() {
  return new Stripe('sk_test_123', { host: api.hostname, port: api.port, protocol: 'http', maxNetworkRetries: 0 });
}

function describe(obj) {
  const out = { returned_type: obj?.constructor?.name ?? typeof obj };
  for (const key of ['id', 'object', 'deleted']) {
    if (obj && key in obj) out[`returned_${key}`] = obj[key];
  }
  return out;
}

function emit(kase, outcome) {
  console.log(JSON.stringify({ sdk: SDK, case: kase, outcome }));
}

async function run(kase, call, fn, outcomeOf = describe) {
  await label(kase, call);
  let outcome;
  try {
    outcome = await outcomeOf(await fn(client()));
  } catch (e) { // the SDK's own failure is a finding: keep it in the fixture
    outcome = { raised: `${e?.constructor?.name}: ${e?.message}` };
  }
  emit(kase, outcome);
}

const withExpanded = (field) => (obj) => {
  const value = obj[field];
  return { ...describe(obj), expanded: { [field]: { type: value?.constructor?.name ?? typeof value, id: value?.id ?? value } } };
};

// fn returns the list/search promise; autoPagingToArray drives the auto-pagination.
const autoPage = async (listPromise) => {
  const items = await listPromise.autoPagingToArray({ limit: 100 });
  return { returned_type: `Array of ${[...new Set(items.map((x) => x.constructor.name))].join(', ')}`, returned_ids: items.map((x) => x.id) };
};

async function pdfOutcome(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  return {
    returned_type: stream.constructor.name,
    returned_is_readable_stream: typeof stream.pipe === 'function' && typeof stream.read === 'function',
    returned_code: stream.statusCode,
    returned_content_type: stream.headers['content-type'],
    returned_request_id_property: stream.requestId ?? null,
    bytes_length: body.length,
    bytes: body.toString('latin1'),
  };
}

// 1. Custom actions on an instance (POST, form body).
await run('action_confirm',
  "stripe.paymentIntents.confirm('pi_123', {payment_method: 'pm_card_visa', return_url: 'https://example.com/return', metadata: {order_id: '6735'}, expand: ['latest_charge']})",
  (s) => s.paymentIntents.confirm('pi_123', {
    payment_method: 'pm_card_visa',
    return_url: 'https://example.com/return',
    metadata: { order_id: '6735' },
    expand: ['latest_charge'],
  }),
  withExpanded('latest_charge'));
await run('action_capture',
  "stripe.paymentIntents.capture('pi_123', {amount_to_capture: 500})",
  (s) => s.paymentIntents.capture('pi_123', { amount_to_capture: 500 }));
await run('action_cancel',
  "stripe.paymentIntents.cancel('pi_123', {cancellation_reason: 'requested_by_customer'})",
  (s) => s.paymentIntents.cancel('pi_123', { cancellation_reason: 'requested_by_customer' }));

// 2-4. A nested collection under a customer.
await run('nested_create',
  "stripe.customers.createBalanceTransaction('cus_123', {amount: -500, currency: 'usd', description: 'Refund for order 6735', metadata: {order_id: '6735'}})",
  (s) => s.customers.createBalanceTransaction('cus_123', {
    amount: -500,
    currency: 'usd',
    description: 'Refund for order 6735',
    metadata: { order_id: '6735' },
  }));
await run('nested_retrieve',
  "stripe.customers.retrieveBalanceTransaction('cus_123', 'cbtxn_123')",
  (s) => s.customers.retrieveBalanceTransaction('cus_123', 'cbtxn_123'));
await run('nested_retrieve_expand',
  "stripe.customers.retrieveBalanceTransaction('cus_123', 'cbtxn_123', {expand: ['invoice']})",
  (s) => s.customers.retrieveBalanceTransaction('cus_123', 'cbtxn_123', { expand: ['invoice'] }),
  withExpanded('invoice'));
// Not awaited inside fn: the promise carries the auto-pagination methods.
await run('nested_list_autopaging',
  "(await stripe.customers.listBalanceTransactions('cus_123', {limit: 2}).autoPagingToArray({limit: 100})).map(x => x.id)",
  (s) => ({ page: s.customers.listBalanceTransactions('cus_123', { limit: 2 }) }),
  ({ page }) => autoPage(page));

// 5. Search, paged by `page` / `next_page`.
await run('search_autopaging',
  "(await stripe.customers.search({query: \"email:'jenny@example.com' AND metadata['order_id']:'6735'\", limit: 2}).autoPagingToArray({limit: 100})).map(x => x.id)",
  (s) => ({ page: s.customers.search({ query: SEARCH_QUERY, limit: 2 }) }),
  ({ page }) => autoPage(page));

// 6. A singleton.
await run('singleton_retrieve', 'stripe.balance.retrieve()', (s) => s.balance.retrieve());

// 7-8. DELETE with parameters, a nested singleton DELETE.
await run('delete_with_params',
  "stripe.subscriptions.cancel('sub_123', {invoice_now: true, prorate: false})",
  (s) => s.subscriptions.cancel('sub_123', { invoice_now: true, prorate: false }));
await run('nested_singleton_delete',
  "stripe.customers.deleteDiscount('cus_123')",
  (s) => s.customers.deleteDiscount('cus_123'));

// GET /v1/invoices/upcoming: only if this version still has a method for it.
const invoices = client().invoices;
if (typeof invoices.upcoming === 'function' || typeof invoices.retrieveUpcoming === 'function') {
  await run('collection_action_get',
    "stripe.invoices.retrieveUpcoming({customer: 'cus_123'})",
    (s) => (s.invoices.retrieveUpcoming ?? s.invoices.upcoming).call(s.invoices, { customer: 'cus_123' }));
} else {
  emit('collection_action_get', {
    skipped: 'stripe-node 23.1.0 has no method for GET /v1/invoices/upcoming: neither invoices.upcoming '
      + 'nor invoices.retrieveUpcoming exists; the nearest is stripe.invoices.createPreview (POST /v1/invoices/create_preview)',
    has_create_preview: typeof invoices.createPreview === 'function',
  });
}

// The quote PDF: a binary answer (spec apiBase 'files', streaming).
await run('binary_pdf', "stripe.quotes.pdf('qt_123')", (s) => s.quotes.pdf('qt_123'), pdfOutcome);

// The same with the default hosts, to see which one stripe-node picks for it (see the top).
await label('binary_pdf_default_hosts',
  "new Stripe('sk_test_123', {protocol: 'http', port: <api port>, httpAgent: new http.Agent({keepAlive: true, lookup: <every name -> 127.0.0.1>})}).quotes.pdf('qt_123')");
{
  const lookup = (hostname, options, cb) => (options && options.all
    ? cb(null, [{ address: '127.0.0.1', family: 4 }])
    : cb(null, '127.0.0.1', 4));
  const agent = new http.Agent({ keepAlive: true, lookup });
  const s = new Stripe('sk_test_123', { protocol: 'http', port: api.port, maxNetworkRetries: 0, httpAgent: agent });
  let outcome;
  try {
    outcome = await pdfOutcome(await s.quotes.pdf('qt_123'));
  } catch (e) {
    outcome = { raised: `${e?.constructor?.name}: ${e?.message}` };
  }
  agent.destroy();
  emit('binary_pdf_default_hosts', outcome);
}
void filesBase; // accepted for symmetry with cases.py; stripe-node cannot be given it (see the top)
