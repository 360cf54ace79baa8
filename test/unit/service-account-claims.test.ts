// Service-account token claims: upstream's layout, and the checks a verified token still has to pass
// against the objects it names (given here as plain objects: the claims logic reads through a getter).
import type { Pod, Secret, ServiceAccount } from 'kubernetes-types/core/v1';
import { tokenClaims, userForClaims, TokenRejected, type ServiceAccountTokenGetter } from '../../src/api/service-account-claims';

const sa: ServiceAccount = { metadata: { name: 'robot', namespace: 'ns1', uid: 'sa-uid' } };
const pod: Pod = { metadata: { name: 'p', namespace: 'ns1', uid: 'pod-uid' }, spec: { containers: [], serviceAccountName: 'robot', nodeName: 'n1' } };
const now = 1_700_000_000;

function getter(objs: { sa?: ServiceAccount; pod?: Pod; secret?: Secret }): ServiceAccountTokenGetter {
  return {
    serviceAccount: async (ns, name) => (objs.sa?.metadata?.namespace === ns && objs.sa.metadata.name === name ? objs.sa : undefined),
    pod: async (ns, name) => (objs.pod?.metadata?.namespace === ns && objs.pod.metadata.name === name ? objs.pod : undefined),
    secret: async (ns, name) => (objs.secret?.metadata?.namespace === ns && objs.secret.metadata.name === name ? objs.secret : undefined),
  };
}

test('claims name the account, audiences and lifetime; a pod-bound token also names the pod and its node', () => {
  const c = tokenClaims(sa, { pod, node: { metadata: { name: 'n1', uid: 'node-uid' } } }, 3600, ['api'], now);
  expect(c).toEqual({
    aud: ['api'], exp: now + 3600, iat: now, nbf: now, jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    sub: 'system:serviceaccount:ns1:robot',
    'kubernetes.io': { namespace: 'ns1', serviceaccount: { name: 'robot', uid: 'sa-uid' }, pod: { name: 'p', uid: 'pod-uid' }, node: { name: 'n1', uid: 'node-uid' } },
  });
  expect(tokenClaims(sa, {}, 600, ['api'], now).jti).not.toBe(c.jti);
});

test('a token becomes its service account, with the groups and extras upstream gives', async () => {
  const c = tokenClaims(sa, { pod }, 3600, ['api'], now);
  expect(await userForClaims(c, getter({ sa, pod }), now * 1000)).toEqual({
    username: 'system:serviceaccount:ns1:robot', uid: 'sa-uid',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated'],
    extra: {
      'authentication.kubernetes.io/pod-name': ['p'], 'authentication.kubernetes.io/pod-uid': ['pod-uid'],
      'authentication.kubernetes.io/credential-id': [`JTI=${c.jti}`],
    },
  });
});

test('a token is refused once its account or bound object is gone, replaced, or deleted past the leeway', async () => {
  const c = tokenClaims(sa, { pod }, 3600, ['api'], now);
  const refused = (objs: Parameters<typeof getter>[0], at = now * 1000) => userForClaims(c, getter(objs), at);
  await expect(refused({ pod })).rejects.toThrow(new TokenRejected('ServiceAccount ns1/robot has been deleted'));
  await expect(refused({ sa: { metadata: { ...sa.metadata, uid: 'other' } }, pod })).rejects.toThrow('ServiceAccount UID (other) does not match claim (sa-uid)');
  await expect(refused({ sa })).rejects.toThrow('Token has been invalidated');
  await expect(refused({ sa, pod: { ...pod, metadata: { ...pod.metadata, uid: 'new' } } })).rejects.toThrow('Pod UID (new) does not match claim (pod-uid)');
  // Deleted 30 s ago: within the minute of leeway, still good; 2 minutes ago: gone.
  const deleting = (secondsAgo: number) => ({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date((now - secondsAgo) * 1000).toISOString() } });
  await expect(refused({ sa, pod: deleting(30) })).resolves.toMatchObject({ username: 'system:serviceaccount:ns1:robot' });
  await expect(refused({ sa, pod: deleting(120) })).rejects.toThrow('Token has been invalidated');
  await expect(userForClaims({ sub: 'x' }, getter({ sa }), now * 1000)).rejects.toThrow('token names no service account');
});
