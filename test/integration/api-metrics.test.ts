// The apiserver's /metrics over raw HTTPS: Prometheus text with upstream's request families counting a
// create and a get as they happen, stored objects per resource from the watch caches, and the process's
// own figures; anonymous scrapes are refused like any other API request.
import { configMapBody, createNamespace, ok, request } from './http';

let ns: string;

beforeAll(async () => {
  ns = await createNamespace('metrics');
});

async function scrape(): Promise<string> {
  const r = await request('GET', '/metrics', { headers: { Accept: 'text/plain' } });
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return r.body;
}

/** The value of the one sample of `family` whose labels include every pair in `labels`. */
function sample(text: string, family: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${family}{`)) continue;
    const close = line.lastIndexOf('}');
    const have = Object.fromEntries([...line.slice(family.length + 1, close).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(line.slice(close + 1));
  }
  return undefined;
}

test('anonymous scrapes get 401', async () => {
  expect((await request('GET', '/metrics', { auth: 'none' })).status).toBe(401);
});

test('a create and a get are counted by verb, resource, scope and code, with their latency', async () => {
  const post = { verb: 'POST', group: '', version: 'v1', resource: 'configmaps', subresource: '', scope: 'namespace', component: 'apiserver', code: '201' };
  const get = { ...post, verb: 'GET', scope: 'resource', code: '200' };
  const missing = { ...get, code: '404' };
  const before = await scrape();
  await ok('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: configMapBody('counted') }, 201);
  await ok('GET', `/api/v1/namespaces/${ns}/configmaps/counted`);
  expect((await request('GET', `/api/v1/namespaces/${ns}/configmaps/absent`)).status).toBe(404);
  const after = await scrape();
  for (const labels of [post, get, missing]) {
    expect((sample(after, 'apiserver_request_total', labels) ?? 0) - (sample(before, 'apiserver_request_total', labels) ?? 0)).toBe(1);
  }
  const { code: _c, ...durationLabels } = post;
  expect(sample(after, 'apiserver_request_duration_seconds_count', durationLabels)).toBeGreaterThanOrEqual(1);
  expect(sample(after, 'apiserver_request_duration_seconds_bucket', { ...durationLabels, le: '60' })).toBeGreaterThanOrEqual(1);
});

test('requests for resources that are not served are counted without their made-up names', async () => {
  expect((await request('GET', '/apis/made.up.example/v1/namespaces/x/gizmos/y?dryRun=Nonsense')).status).toBe(404);
  const text = await scrape();
  expect(text).not.toContain('gizmos');
  expect(text).not.toContain('made.up.example');
  expect(text).not.toContain('Nonsense');
  expect(sample(text, 'apiserver_request_total', { verb: 'GET', group: '', resource: '', scope: 'resource', code: '404' })).toBeGreaterThanOrEqual(1);
});

test('stored objects per resource, in-flight requests and the process\'s own metrics', async () => {
  const text = await scrape();
  // The four default namespaces at least, and the one this file made.
  expect(sample(text, 'apiserver_storage_objects', { resource: 'namespaces' })).toBeGreaterThanOrEqual(5);
  expect(sample(text, 'apiserver_storage_objects', { resource: 'deployments.apps' })).toBeGreaterThanOrEqual(0);
  // The scrape itself is a read in flight.
  expect(sample(text, 'apiserver_current_inflight_requests', { request_kind: 'readOnly' })).toBeGreaterThanOrEqual(1);
  expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  expect(text).toMatch(/^# TYPE apiserver_request_duration_seconds histogram$/m);
});
