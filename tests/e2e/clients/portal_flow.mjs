// The portal's flow against the dossier service from Node: @grpc/grpc-js with
// @grpc/proto-loader reading protos/ as they are (no generated code). Needs the packages of
// tools/package.json (npm install in tools/); fails when they are missing.
// Environment: LOCALGOV_DOSSIER_ADDR (host:port), PORTAL_TOKEN (a system-role JWT).
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(path.join(root, 'tools/package.json'));
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const definition = protoLoader.loadSync(
  ['localgov/dossier/v1/dossier_service.proto', 'google/rpc/status.proto',
    'google/rpc/error_details.proto'],
  { includeDirs: [path.join(root, 'protos')], keepCase: true, longs: String, enums: String,
    defaults: true });
const proto = grpc.loadPackageDefinition(definition);
const address = process.env.LOCALGOV_DOSSIER_ADDR || '127.0.0.1:50051';
const dossiers = new proto.localgov.dossier.v1.DossierService(
  address, grpc.credentials.createInsecure());
const auth = new grpc.Metadata();
auth.set('authorization', `Bearer ${process.env.PORTAL_TOKEN}`);
const AGENCY = '000.00.31.H41';

const call = (method, request) => new Promise((resolve, reject) =>
  dossiers[method](request, auth, { deadline: Date.now() + 10000 },
    (err, response) => (err ? reject(err) : resolve(response))));

// The fields named by an error's google.rpc.BadRequest (in grpc-status-details-bin).
function fieldViolations(err) {
  const [bin] = err.metadata.get('grpc-status-details-bin');
  if (!bin) return {};
  const status = definition['google.rpc.Status'].deserialize(bin);
  const fields = {};
  for (const detail of status.details) {
    if (detail.type_url !== 'type.googleapis.com/google.rpc.BadRequest') continue;
    const bad = definition['google.rpc.BadRequest'].deserialize(detail.value);
    for (const v of bad.field_violations) fields[v.field] = v.description;
  }
  return fields;
}

// `count` changes of one dossier after `after`, then disconnect.
function watch(code, after, count) {
  return new Promise((resolve, reject) => {
    const changes = [];
    const stream = dossiers.WatchDossiers({ dossier_code: code, after_sequence: after }, auth);
    stream.on('data', (change) => {
      changes.push(change);
      if (changes.length === count) { stream.cancel(); resolve(changes); }
    });
    stream.on('error', (err) => { if (err.code !== grpc.status.CANCELLED) reject(err); });
    stream.on('end', () => resolve(changes));
  });
}

async function expectError(method, request, code) {
  try {
    await call(method, request);
  } catch (err) {
    assert.equal(err.code, code, `${method}: ${err.message}`);
    return err;
  }
  assert.fail(`${method} succeeded where ${code} was expected`);
}

// 1. The catalogue, without diacritics.
const found = await call('ListProcedures', { query: 'KHAI SINH' });
const codes = found.procedures.map((p) => p.code);
console.log('procedures', codes.join(' '));
assert.ok(codes.includes('HT-01') && codes.includes('LT-01'), codes.join(' '));

// 2. The appointment for a dossier received now, 3 working days.
const now = Date.now();
const due = await call('ComputeDueDate', {
  received_time: { seconds: String(Math.floor(now / 1000)), nanos: 0 },
  unit: 'LIMIT_UNIT_WORKING_DAYS', amount: 3 });
assert.match(due.due_date, /^\d{4}-\d{2}-\d{2}$/);
console.log('due', due.due_date);

// 3. Intake, retried with the same request_id: the same dossier.
const intake = {
  request_id: `portal-node-${randomUUID()}`, procedure_code: 'HT-05',
  receiving_agency_code: AGENCY, channel: 'CHANNEL_ONLINE',
  applicant: { full_name: 'Lê Văn Cường', citizen_id: '079088001357' },
  documents: [{ document_code: 'to-khai' }] };
const first = (await call('ReceiveDossier', intake)).dossier;
const again = (await call('ReceiveDossier', intake)).dossier;
assert.equal(again.code, first.code);
assert.equal(again.version, first.version);
assert.equal(first.state, 'DOSSIER_STATE_ACCEPTED');
console.log('received', first.code, 'due', first.due_date);

// 4. The public look-up: code and the last four digits of the citizen ID; a wrong factor is
// NOT_FOUND, like an unknown code.
const view = (await call('LookupDossier', { code: first.code, second_factor: '1357' })).dossier;
assert.equal(view.state, 'DOSSIER_STATE_ACCEPTED');
assert.equal(view.portal_status_code, 2);
await expectError('LookupDossier', { code: first.code, second_factor: '0000' },
  grpc.status.NOT_FOUND);

// 5. The feed: the intake, a disconnect, two changes meanwhile, resume: both, nothing twice.
const [intakeChange] = await watch(first.code, '0', 1);
assert.equal(intakeChange.to_state, 'DOSSIER_STATE_ACCEPTED');
const started = (await call('StartProcessing',
  { code: first.code, expected_version: first.version })).dossier;
const done = (await call('RecordResult',
  { code: first.code, expected_version: started.version, note: 'Đã cấp' })).dossier;
const resumed = await watch(first.code, intakeChange.sequence, 2);
assert.deepEqual(resumed.map((c) => c.dossier_version), [started.version, done.version]);
assert.deepEqual(resumed.map((c) => c.to_state),
  ['DOSSIER_STATE_IN_PROGRESS', 'DOSSIER_STATE_PROCESSED']);
assert.ok(BigInt(resumed[0].sequence) > BigInt(intakeChange.sequence));
console.log('feed resumed after', intakeChange.sequence, ':',
  resumed.map((c) => c.sequence).join(' '));

// 6. A stale expected_version: ABORTED.
const stale = await expectError('ReturnResult',
  { code: first.code, expected_version: started.version }, grpc.status.ABORTED);
console.log('stale version:', stale.details);

// 7. Bad input: every bad field at once, named in google.rpc.BadRequest.
const bad = await expectError('ReceiveDossier', {
  procedure_code: 'HT-05', receiving_agency_code: AGENCY, channel: 'CHANNEL_ONLINE',
  applicant: { full_name: '', citizen_id: '0790' } }, grpc.status.INVALID_ARGUMENT);
const fields = fieldViolations(bad);
console.log('bad fields', fields);
for (const f of ['request_id', 'applicant.full_name', 'applicant.citizen_id']) {
  assert.ok(f in fields, `no violation on ${f}: ${JSON.stringify(fields)}`);
}
dossiers.close();
console.log('node client: OK');
