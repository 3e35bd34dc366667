// stripe-node side of the multipart capture (run by scripts/capture-multipart).
//   node upload.mjs BASE_URL WORKDIR     (from a directory whose node_modules has stripe 23.1.0)
// Every case uses a fresh Stripe instance, so no request carries the X-Stripe-Client-Telemetry
// of an earlier one. Setting `host` overrides every base address: stripe-node's
// resolveBaseAddress('files') returns the instance host when it is not api.stripe.com, so
// files.create, which names apiBase 'files' (files.stripe.com), goes to the same server.
import Stripe from 'stripe';
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const [base, workdir] = process.argv.slice(2);
process.chdir(workdir);
const url = new URL(base);
const version = JSON.parse(fs.readFileSync(path.join(path.dirname(new URL(import.meta.resolve('stripe')).pathname), '..', 'package.json'))).version;
assert.equal(version, '23.1.0');
const SDK = `stripe-node ${version}`;

async function label(kase, call) {
  const q = new URLSearchParams({ sdk: SDK, case: kase, call });
  await (await fetch(`${base}/__capture/label?${q}`, { method: 'POST' })).text();
}

function client() {
  return new Stripe('sk_test_123', { host: url.hostname, port: url.port, protocol: 'http' });
}

async function run(kase, call, params) {
  await label(kase, call);
  const f = await client().files.create(params);
  console.log(JSON.stringify({ sdk: SDK, case: kase, returned: { id: f.id, object: f.object } }));
  return f;
}

const pdf = fs.readFileSync('evidence.pdf');
const png = fs.readFileSync('my évidence.png');

await run('evidence_pdf',
  "stripe.files.create({purpose: 'dispute_evidence', file: {data: fs.readFileSync('evidence.pdf'), name: 'evidence.pdf', type: 'application/pdf'}})",
  { purpose: 'dispute_evidence', file: { data: pdf, name: 'evidence.pdf', type: 'application/pdf' } });

const linked = await run('evidence_pdf_with_file_link_data',
  "stripe.files.create({purpose: 'dispute_evidence', file: {data: fs.readFileSync('evidence.pdf'), name: 'evidence.pdf', type: 'application/pdf'}, " +
  "file_link_data: {create: true, expires_at: 1900000000, metadata: {order_id: '6735'}}})",
  { purpose: 'dispute_evidence', file: { data: pdf, name: 'evidence.pdf', type: 'application/pdf' },
    file_link_data: { create: true, expires_at: 1900000000, metadata: { order_id: '6735' } } });
assert.equal(linked.links.data[0].object, 'file_link');

await run('binary_png_non_ascii_filename',
  "stripe.files.create({purpose: 'dispute_evidence', file: {data: fs.readFileSync('my évidence.png'), name: 'my évidence.png', type: 'image/png'}})",
  { purpose: 'dispute_evidence', file: { data: png, name: 'my évidence.png', type: 'image/png' } });

await run('file_before_purpose',
  "stripe.files.create({file: {data: fs.readFileSync('evidence.pdf'), name: 'evidence.pdf', type: 'application/pdf'}, purpose: 'dispute_evidence'})",
  { file: { data: pdf, name: 'evidence.pdf', type: 'application/pdf' }, purpose: 'dispute_evidence' });

await run('file_without_name_or_type',
  "stripe.files.create({purpose: 'dispute_evidence', file: {data: fs.readFileSync('evidence.pdf')}})",
  { purpose: 'dispute_evidence', file: { data: pdf } });

await run('quote_and_crlf_in_names',
  "stripe.files.create({purpose: 'dispute_evidence', file: {data: fs.readFileSync('evidence.pdf'), name: 'q\"uote\\r\\nx.pdf', type: 'application/pdf\\r\\nX-Injected: 1'}, " +
  "file_link_data: {create: true, metadata: {'a\"b\\r\\nc': 'v\"1\\r\\n2'}}})",
  { purpose: 'dispute_evidence', file: { data: pdf, name: 'q"uote\r\nx.pdf', type: 'application/pdf\r\nX-Injected: 1' },
    file_link_data: { create: true, metadata: { 'a"b\r\nc': 'v"1\r\n2' } } });

await run('file_data_as_stream',
  "stripe.files.create({purpose: 'dispute_evidence', file: {data: fs.createReadStream('evidence.pdf'), name: 'evidence.pdf', type: 'application/pdf'}})",
  { purpose: 'dispute_evidence', file: { data: fs.createReadStream('evidence.pdf'), name: 'evidence.pdf', type: 'application/pdf' } });

await run('file_as_bare_buffer',
  "stripe.files.create({purpose: 'dispute_evidence', file: fs.readFileSync('evidence.pdf')})",
  { purpose: 'dispute_evidence', file: pdf });

await run('expand_array',
  "stripe.files.create({purpose: 'dispute_evidence', file: {data: fs.readFileSync('evidence.pdf'), name: 'evidence.pdf', type: 'application/pdf'}, expand: ['links', 'file_link_data']})",
  { purpose: 'dispute_evidence', file: { data: pdf, name: 'evidence.pdf', type: 'application/pdf' }, expand: ['links', 'file_link_data'] });

// The CommonJS build (require('stripe')) shares the multipart code with the ESM build imported
// above, but its X-Stripe-Client-User-Agent also carries telemetry_id (the ESM node entry's
// getClientUserAgentSeeded leaves it out). One case through it shows the body is the same.
const StripeCjs = createRequire(import.meta.url)('stripe');
await label('evidence_pdf_via_require',
  "require('stripe')(...).files.create({purpose: 'dispute_evidence', file: {data: fs.readFileSync('evidence.pdf'), name: 'evidence.pdf', type: 'application/pdf'}})");
const viaRequire = await new StripeCjs('sk_test_123', { host: url.hostname, port: url.port, protocol: 'http' })
  .files.create({ purpose: 'dispute_evidence', file: { data: pdf, name: 'evidence.pdf', type: 'application/pdf' } });
console.log(JSON.stringify({ sdk: SDK, case: 'evidence_pdf_via_require', returned: { id: viaRequire.id, object: viaRequire.object } }));
