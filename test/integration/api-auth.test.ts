// Authentication over raw HTTPS: anonymous requests get 401 on the API but the health and version
// endpoints answer; the admin client certificate and a bearer token from pki/tokens.csv both work.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '../e2e/kubectl';
import { json, request, type List, type Status } from './http';

/** The first token of the static token file `up` wrote (upstream's CSV: token,user,uid,"group1,group2"). */
function firstToken(): { token: string; user: string } {
  const file = path.join(dataDir(), 'pki', 'tokens.csv');
  const line = readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#'));
  if (!line) throw new Error(`${file} has no token`);
  const [token, user] = line.split(',');
  return { token, user };
}

describe('without credentials', () => {
  test.each(['/api', '/apis', '/api/v1/namespaces', '/api/v1/namespaces/default/pods', '/openapi/v2'])('%s is 401 Unauthorized', async (p) => {
    const r = await request('GET', p, { auth: 'none' });
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(json<Status>(r)).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401,
    });
  });

  test.each(['/healthz', '/livez', '/readyz'])('%s is 200 ok', async (p) => {
    const r = await request('GET', p, { auth: 'none', headers: { Accept: '*/*' } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toBe('ok');
  });

  test('/version is 200 with a v1.32 version.Info', async () => {
    const r = await request('GET', '/version', { auth: 'none' });
    expect(r.status).toBe(200);
    const v = json<{ major: string; minor: string; gitVersion: string; platform: string }>(r);
    expect(v).toMatchObject({ major: '1', minor: '32' });
    expect(v.gitVersion).toMatch(/^v1\.32\.\d+/);
  });

  test('a wrong bearer token is 401 too', async () => {
    const r = await request('GET', '/api/v1/namespaces', { auth: { token: 'not-a-real-token-0123456789' } });
    expect(r.status).toBe(401);
    expect(json<Status>(r).reason).toBe('Unauthorized');
  });
});

describe('with credentials', () => {
  test('the admin client certificate lists namespaces', async () => {
    const r = await request('GET', '/api/v1/namespaces');
    expect(r.status).toBe(200);
    const list = json<List>(r);
    expect(list).toMatchObject({ kind: 'NamespaceList', apiVersion: 'v1' });
    expect(list.items.map((n) => n.metadata.name)).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public']));
  });

  test('a bearer token from pki/tokens.csv lists namespaces and discovery', async () => {
    const { token } = firstToken();
    const r = await request('GET', '/api/v1/namespaces', { auth: { token } });
    expect(r.status).toBe(200);
    expect(json<List>(r).kind).toBe('NamespaceList');
    const d = await request('GET', '/api', { auth: { token } });
    expect(d.status).toBe(200);
    expect(json<{ kind: string; versions: string[] }>(d)).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
  });
});
