// TokenRequest end to end with stock kubectl: `kubectl create token` prints a signed JWT that
// `kubectl --token` (with no client certificate) authenticates as the service account; bound tokens die
// with their pod or account; TokenReview and the OIDC discovery documents agree with the tokens.
import { createPublicKey, verify } from 'node:crypto';
import path from 'node:path';
import { apiPort, createNamespace, dataDir, kubectl, kubectlOk, type Result } from './kubectl';

let ns: string;

/** kubectl with only a bearer token: no kubeconfig, so no client certificate is presented. */
function asToken(token: string, args: string[]): Promise<Result> {
  return kubectl(['--kubeconfig', '/dev/null', '--server', `https://127.0.0.1:${apiPort()}`,
    '--certificate-authority', path.join(dataDir(), 'pki', 'ca.crt'), '--token', token, ...args]);
}

function jwtPart(token: string, i: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[i], 'base64url').toString()) as Record<string, unknown>;
}

async function createToken(args: string[]): Promise<string> {
  return (await kubectlOk(['create', 'token', '-n', ns, ...args])).trim();
}

beforeAll(async () => {
  ns = await createNamespace('satoken');
  await kubectlOk(['create', 'serviceaccount', 'robot', '-n', ns]);
});

test('kubectl create token prints a token that kubectl --token authenticates as the service account', async () => {
  const token = await createToken(['robot']);
  const uid = (await kubectlOk(['get', 'sa', 'robot', '-n', ns, '-o', 'jsonpath={.metadata.uid}'])).trim();
  expect(jwtPart(token, 0)).toEqual({ alg: 'RS256', kid: expect.any(String) });
  const claims = jwtPart(token, 1);
  expect(claims).toMatchObject({
    aud: ['https://kubernetes.default.svc.cluster.local'], iss: 'https://kubernetes.default.svc.cluster.local',
    sub: `system:serviceaccount:${ns}:robot`, 'kubernetes.io': { namespace: ns, serviceaccount: { name: 'robot', uid } },
  });
  expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
  const who = await asToken(token, ['auth', 'whoami', '-o', 'json']);
  expect(who.stderr).toBe('');
  const user = (JSON.parse(who.stdout) as { status: { userInfo: Record<string, unknown> } }).status.userInfo;
  expect(user).toMatchObject({
    username: `system:serviceaccount:${ns}:robot`, uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
    extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${String(claims.jti)}`] },
  });
  const list = await asToken(token, ['get', 'sa', '-n', ns, '-o', 'name']);
  expect(list.stdout.split('\n')).toContain('serviceaccount/robot');
  // A token with one byte of its signature changed is no one.
  const sig = token.split('.')[2];
  const forged = `${token.split('.').slice(0, 2).join('.')}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
  const refused = await asToken(forged, ['get', 'sa', '-n', ns]);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
});

test('duration, audience and bound object requests are checked as upstream checks them', async () => {
  const short = await kubectl(['create', 'token', 'robot', '-n', ns, '--duration', '1m']);
  expect(short.stderr.trim()).toBe('error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: '
    + 'spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
  const missing = await kubectl(['create', 'token', 'nobody', '-n', ns]);
  expect(missing.stderr.trim()).toBe('error: failed to create token: serviceaccounts "nobody" not found');
  const long = await createToken(['robot', '--duration', '2h', '--audience', 'vault', '--audience', 'https://example.com']);
  const c = jwtPart(long, 1);
  expect(c.aud).toEqual(['vault', 'https://example.com']);
  expect(Number(c.exp) - Number(c.iat)).toBe(7200);
  // Not meant for this apiserver: refused here, and a TokenReview asking for its audience accepts it.
  expect((await asToken(long, ['get', 'sa', '-n', ns])).stderr).toContain('(Unauthorized)');
  const review = (aud: string[]) => kubectlOk(['create', '--raw', '/apis/authentication.k8s.io/v1/tokenreviews', '-f', '-'],
    { input: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: long, audiences: aud } }) });
  const accepted = JSON.parse(await review(['vault'])) as { status: { authenticated?: boolean; audiences?: string[]; user: { username?: string } } };
  expect(accepted.status).toMatchObject({ authenticated: true, audiences: ['vault'], user: { username: `system:serviceaccount:${ns}:robot` } });
  const other = JSON.parse(await review(['elsewhere'])) as { status: { authenticated?: boolean } };
  expect(other.status.authenticated).toBeUndefined();
});

test('a pod-bound token names the pod and stops working when the pod is deleted', async () => {
  // No scheduler runs pods of this name: the pod stays unscheduled and its deletion is immediate.
  await kubectlOk(['run', 'holder', '-n', ns, '--image=busybox', '--restart=Never',
    '--overrides', JSON.stringify({ spec: { serviceAccountName: 'robot', schedulerName: 'nobody-schedules-this' } })]);
  const wrong = await kubectl(['create', 'token', 'default', '-n', ns, '--bound-object-kind', 'Pod', '--bound-object-name', 'holder']);
  expect(wrong.stderr.trim()).toBe('error: failed to create token: cannot bind token for serviceaccount "default" to pod running with different serviceaccount name.');
  const stale = await kubectl(['create', 'token', 'robot', '-n', ns, '--bound-object-kind', 'Pod', '--bound-object-name', 'holder', '--bound-object-uid', 'abc']);
  expect(stale.stderr.trim()).toBe('error: failed to create token: Operation cannot be fulfilled on Pod "holder": the UID in the bound object reference (abc) '
    + 'does not match the UID in record. The object might have been deleted and then recreated');
  const token = await createToken(['robot', '--bound-object-kind', 'Pod', '--bound-object-name', 'holder']);
  const podUid = (await kubectlOk(['get', 'pod', 'holder', '-n', ns, '-o', 'jsonpath={.metadata.uid}'])).trim();
  expect(jwtPart(token, 1)['kubernetes.io']).toMatchObject({ pod: { name: 'holder', uid: podUid } });
  const who = JSON.parse((await asToken(token, ['auth', 'whoami', '-o', 'json'])).stdout) as { status: { userInfo: { extra: Record<string, string[]> } } };
  expect(who.status.userInfo.extra).toMatchObject({ 'authentication.kubernetes.io/pod-name': ['holder'], 'authentication.kubernetes.io/pod-uid': [podUid] });
  await kubectlOk(['delete', 'pod', 'holder', '-n', ns, '--grace-period=0', '--force']);
  expect((await asToken(token, ['get', 'sa', '-n', ns])).stderr).toContain('(Unauthorized)');
});

test('deleting the service account, even when one of the same name returns, invalidates its tokens', async () => {
  await kubectlOk(['create', 'serviceaccount', 'brief', '-n', ns]);
  const token = await createToken(['brief']);
  expect((await asToken(token, ['get', 'sa', 'brief', '-n', ns, '-o', 'name'])).stdout.trim()).toBe('serviceaccount/brief');
  await kubectlOk(['delete', 'sa', 'brief', '-n', ns]);
  await kubectlOk(['create', 'serviceaccount', 'brief', '-n', ns]);
  expect((await asToken(token, ['get', 'sa', '-n', ns])).stderr).toContain('(Unauthorized)');
});

test('the OIDC discovery document and key set verify the tokens the apiserver signs', async () => {
  const config = JSON.parse(await kubectlOk(['get', '--raw', '/.well-known/openid-configuration'])) as Record<string, unknown>;
  expect(config).toEqual({
    issuer: 'https://kubernetes.default.svc.cluster.local', jwks_uri: `https://127.0.0.1:${apiPort()}/openid/v1/jwks`,
    response_types_supported: ['id_token'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
  });
  const jwks = JSON.parse(await kubectlOk(['get', '--raw', '/openid/v1/jwks'])) as { keys: { kid: string; kty: string; use: string; alg: string }[] };
  const token = await createToken(['robot']);
  const key = jwks.keys.find((k) => k.kid === jwtPart(token, 0).kid);
  expect(key).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256' });
  const [h, p, s] = token.split('.');
  const pub = createPublicKey({ key: key as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
  expect(verify('sha256', Buffer.from(`${h}.${p}`), pub, Buffer.from(s, 'base64url'))).toBe(true);
});
