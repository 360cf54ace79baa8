// The service account controller: a new namespace gets a `default` ServiceAccount, made again when deleted.
import { createNamespace, kubectl, kubectlOk, waitFor } from './kubectl';

test('a new namespace gets a default ServiceAccount, recreated after deletion', async () => {
  const ns = await createNamespace('e2e-sa');
  const uid = async () => {
    const r = await kubectl(['-n', ns, 'get', 'serviceaccount', 'default', '-o', 'jsonpath={.metadata.uid}']);
    return r.code === 0 ? r.stdout : undefined;
  };
  const first = await waitFor('default ServiceAccount', uid, 20_000);
  expect(await kubectlOk(['-n', ns, 'delete', 'serviceaccount', 'default'])).toBe('serviceaccount "default" deleted\n');
  const second = await waitFor('default ServiceAccount again', async () => { const u = await uid(); return u && u !== first ? u : undefined; }, 20_000);
  expect(second).not.toBe(first);
});
