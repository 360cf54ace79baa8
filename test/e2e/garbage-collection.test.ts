// Garbage collection by ownerReferences with stock kubectl: background (dependents go after their
// owner), foreground (the owner waits, Terminating, for dependents that block it) and orphan
// (dependents stay, released), plus a dependent created with an owner that never existed.
import { createNamespace, kubectl, kubectlOk, waitFor } from './kubectl';

let ns: string;
beforeAll(async () => { ns = await createNamespace('e2e-gc'); });

interface Meta { uid: string; deletionTimestamp?: string; finalizers?: string[]; ownerReferences?: { uid: string }[] }

async function meta(name: string): Promise<Meta | undefined> {
  const r = await kubectl(['-n', ns, 'get', 'configmap', name, '-o', 'json']);
  if (r.code !== 0) {
    if (r.stderr.includes('NotFound')) return undefined;
    throw new Error(r.stderr);
  }
  return (JSON.parse(r.stdout) as { metadata: Meta }).metadata;
}

async function owner(name: string): Promise<string> {
  await kubectlOk(['-n', ns, 'create', 'configmap', name]);
  return (await meta(name))!.uid;
}

async function dependent(name: string, ownerName: string, ownerUid: string, opts: { block?: boolean; finalizer?: boolean } = {}): Promise<void> {
  const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`
    + (opts.finalizer ? '  finalizers:\n  - example.com/hold\n' : '')
    + `  ownerReferences:\n  - apiVersion: v1\n    kind: ConfigMap\n    name: ${ownerName}\n    uid: ${ownerUid}\n`
    + (opts.block ? '    blockOwnerDeletion: true\n' : '');
  await kubectlOk(['-n', ns, 'create', '-f', '-'], { input: yaml });
}

const gone = (name: string) => waitFor(`${name} deleted`, async () => (await meta(name)) === undefined, 30_000);

test('background: dependents are deleted after their owner', async () => {
  const uid = await owner('bg-owner');
  await dependent('bg-a', 'bg-owner', uid);
  await dependent('bg-b', 'bg-owner', uid);
  expect(await kubectlOk(['-n', ns, 'delete', 'configmap', 'bg-owner', '--cascade=background'])).toBe('configmap "bg-owner" deleted\n');
  await gone('bg-a');
  await gone('bg-b');
});

test('foreground: the owner stays Terminating until its blocking dependents are gone', async () => {
  const uid = await owner('fg-owner');
  await dependent('fg-held', 'fg-owner', uid, { block: true, finalizer: true });
  await dependent('fg-free', 'fg-owner', uid);
  expect(await kubectlOk(['-n', ns, 'delete', 'configmap', 'fg-owner', '--cascade=foreground', '--wait=false'])).toBe('configmap "fg-owner" deleted\n');
  await gone('fg-free');
  const held = await waitFor('blocking dependent marked for deletion', async () => (await meta('fg-held'))?.deletionTimestamp ? true : undefined, 30_000);
  expect(held).toBe(true);
  const o = await meta('fg-owner');
  expect(o?.deletionTimestamp).toBeDefined();
  expect(o?.finalizers).toEqual(['foregroundDeletion']);
  await kubectlOk(['-n', ns, 'patch', 'configmap', 'fg-held', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
  await gone('fg-held');
  await gone('fg-owner');
});

test('kubectl delete --cascade=foreground waits for the dependents and returns once the owner is gone', async () => {
  const uid = await owner('fgw-owner');
  await dependent('fgw-a', 'fgw-owner', uid, { block: true });
  expect(await kubectlOk(['-n', ns, 'delete', 'configmap', 'fgw-owner', '--cascade=foreground'])).toBe('configmap "fgw-owner" deleted\n');
  expect(await meta('fgw-owner')).toBeUndefined();
  expect(await meta('fgw-a')).toBeUndefined();
});

test('orphan: the owner goes, dependents stay without the reference', async () => {
  const uid = await owner('or-owner');
  await dependent('or-a', 'or-owner', uid, { block: true });
  const other = await owner('or-other');
  await kubectlOk(['-n', ns, 'create', '-f', '-'], {
    input: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: or-b\n  ownerReferences:\n  - apiVersion: v1\n    kind: ConfigMap\n    name: or-owner\n    uid: ${uid}\n  - apiVersion: v1\n    kind: ConfigMap\n    name: or-other\n    uid: ${other}\n`,
  });
  expect(await kubectlOk(['-n', ns, 'delete', 'configmap', 'or-owner', '--cascade=orphan'])).toBe('configmap "or-owner" deleted\n');
  expect(await meta('or-owner')).toBeUndefined();
  expect((await meta('or-a'))?.ownerReferences).toBeUndefined();
  expect((await meta('or-b'))?.ownerReferences?.map((r) => r.uid)).toEqual([other]);
  // Released dependents are not collected later either.
  await new Promise((r) => setTimeout(r, 1500));
  expect(await meta('or-a')).toBeDefined();
});

test('a dependent whose owner never existed is collected; one with a live owner too stays, released', async () => {
  const live = await owner('dg-live');
  await dependent('dg-alone', 'ghost', '00000000-0000-0000-0000-000000000001');
  await kubectlOk(['-n', ns, 'create', '-f', '-'], {
    input: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dg-both\n  ownerReferences:\n  - apiVersion: v1\n    kind: ConfigMap\n    name: ghost\n    uid: 00000000-0000-0000-0000-000000000002\n  - apiVersion: v1\n    kind: ConfigMap\n    name: dg-live\n    uid: ${live}\n`,
  });
  await gone('dg-alone');
  await waitFor('dangling reference dropped', async () => (await meta('dg-both'))?.ownerReferences?.length === 1, 30_000);
  expect((await meta('dg-both'))?.ownerReferences?.map((r) => r.uid)).toEqual([live]);
});
