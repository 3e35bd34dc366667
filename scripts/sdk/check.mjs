// stripe-node against the emulator: File Links end to end, and the error classes.
// Usage: node check.mjs BASE_URL FILE_ID   (run by ../sdk-check)
import Stripe from 'stripe';
import assert from 'node:assert/strict';

const [base, fileId] = process.argv.slice(2);
const url = new URL(base);
const stripe = new Stripe('sk_test_sdk_check', {
  host: url.hostname, port: url.port, protocol: url.protocol.replace(':', ''), maxNetworkRetries: 0,
});

const created = await stripe.fileLinks.create({
  file: fileId, expires_at: Math.floor(Date.now() / 1000) + 3600, metadata: { order_id: '6735' },
});
assert.equal(created.object, 'file_link');
assert.ok(created.id.startsWith('link_'));
assert.equal(created.metadata.order_id, '6735');

assert.equal((await stripe.fileLinks.retrieve(created.id)).id, created.id);
assert.equal((await stripe.fileLinks.retrieve(created.id, { expand: ['file'] })).file.id, fileId);
assert.equal((await stripe.fileLinks.update(created.id, { metadata: { order_id: '6736' } })).metadata.order_id, '6736');

for (let n = 0; n < 5; n++) await stripe.fileLinks.create({ file: fileId, metadata: { n: String(n) } });
const page = await stripe.fileLinks.list({ limit: 2, file: fileId });
assert.equal(page.data.length, 2);
assert.equal(page.has_more, true);
const ids = (await stripe.fileLinks.list({ limit: 2, file: fileId }).autoPagingToArray({ limit: 100 })).map((l) => l.id);
assert.equal(ids.length, 6);
assert.equal(new Set(ids).size, 6);
assert.equal(ids[5], created.id);

await assert.rejects(stripe.fileLinks.retrieve('link_missing'), (e) => {
  assert.equal(e.type, 'StripeInvalidRequestError');
  assert.equal(e.statusCode, 404);
  assert.equal(e.code, 'resource_missing');
  return true;
});
assert.equal((await stripe.fileLinks.update(created.id, { expires_at: 'now' })).expired, true);
await assert.rejects(stripe.fileLinks.update(created.id, { metadata: { late: '1' } }), (e) => {
  assert.equal(e.type, 'StripeInvalidRequestError');
  assert.equal(e.statusCode, 400);
  return true;
});
await assert.rejects(stripe.fileLinks.create({ file: fileId, bogus: '1' }), (e) => {
  assert.equal(e.type, 'StripeInvalidRequestError');
  assert.equal(e.param, 'bogus');
  return true;
});
const uploaded = await stripe.files.create({
  purpose: 'dispute_evidence',
  file: { data: Buffer.from('%PDF-1.4 uploaded by stripe-node'), name: 'evidence.pdf', type: 'application/pdf' },
  file_link_data: { create: true },
});
assert.equal(uploaded.object, 'file');
const downloaded = await fetch(uploaded.links.data[0].url);
assert.equal(downloaded.status, 200);
assert.equal(downloaded.headers.get('content-type'), 'application/pdf');
assert.equal(await downloaded.text(), '%PDF-1.4 uploaded by stripe-node');
console.log('stripe-node: upload with a link and download through it, create, retrieve, expand, update, list, auto-paginate, 404 / expired / unknown parameter errors: ok');
