// @kubernetes/client-node's informer (an ES module, so run by informer-probe.mjs in its own node process)
// lists and watches pods in a namespace of the suite's cluster and sees kubectl's creates, updates and deletes.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Background, createNamespace, kubeconfigPath, kubectlOk } from '../e2e/kubectl';

interface ProbeLine { event: string; name?: string; resourceVersion?: string; labels?: Record<string, string>; message?: string; cached?: string[] }

function lines(b: Background): ProbeLine[] {
  return b.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as ProbeLine);
}

function podYaml(name: string): string {
  // A scheduler no one runs, so the cluster's scheduler writes no status between the test's own writes.
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  schedulerName: kubets-test-none\n  containers:\n  - name: c\n    image: nginx:1.27\n`;
}

let ns: string;
let probe: Background | undefined;

beforeAll(async () => { ns = await createNamespace('it-informer'); });
afterAll(async () => { await probe?.stop(); });

test('the informer lists existing pods, then sees add, update and delete events', async () => {
  await kubectlOk(['create', '-f', '-', '-n', ns], { input: podYaml('before-start') });

  probe = new Background(spawn(process.execPath, [path.join(__dirname, 'informer-probe.mjs'), kubeconfigPath(), ns],
    { cwd: path.join(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] }));
  const p = probe;
  const has = (pred: (l: ProbeLine) => boolean) => (b: Background) => lines(b).some(pred);

  await p.waitUntil('the informer to start', has((l) => l.event === 'started'));
  expect(lines(p).filter((l) => l.event === 'error')).toEqual([]);
  expect(lines(p)).toContainEqual(expect.objectContaining({ event: 'add', name: 'before-start' }));
  expect(lines(p).find((l) => l.event === 'started')?.cached).toEqual(['before-start']);

  await kubectlOk(['create', '-f', '-', '-n', ns], { input: podYaml('informed') });
  await p.waitUntil('add informed', has((l) => l.event === 'add' && l.name === 'informed'));

  expect(await kubectlOk(['label', 'pod', 'informed', 'stage=two', '-n', ns])).toBe('pod/informed labeled\n');
  const labeled = await kubectlOk(['get', 'pod', 'informed', '-n', ns, '-o', 'jsonpath={.metadata.resourceVersion}']);
  await p.waitUntil('update informed', has((l) => l.event === 'update' && l.name === 'informed' && l.labels?.stage === 'two'));
  const update = lines(p).find((l) => l.event === 'update' && l.name === 'informed');
  expect(update?.resourceVersion).toBe(labeled);

  await kubectlOk(['delete', 'pod', 'informed', '-n', ns]);
  await p.waitUntil('delete informed', has((l) => l.event === 'delete' && l.name === 'informed'));

  expect(lines(p).filter((l) => l.event === 'error')).toEqual([]);
  expect(lines(p).filter((l) => l.name === 'informed').map((l) => l.event)).toEqual(['add', 'update', 'delete']);
  // The pod that existed before the start is never updated or deleted by anything here.
  expect(lines(p).filter((l) => l.name === 'before-start').map((l) => l.event)).toEqual(['add']);
  expect(p.running).toBe(true);
});
