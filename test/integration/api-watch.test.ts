// Lists and watches over raw HTTPS: limit/continue paging on one consistent snapshot, label-selector
// watches (objects entering and leaving the selector), and 410 Expired once etcd has compacted past a version.
import { etcdctl } from '../e2e/kubectl';
import {
  Watch, configMapBody, createNamespace, json, ok, podBody, request, type KubeObject, type List, type Status, type WatchEvent,
} from './http';

let ns: string;
beforeAll(async () => { ns = await createNamespace('it-watch'); });

const cms = () => `/api/v1/namespaces/${ns}/configmaps`;
const pods = () => `/api/v1/namespaces/${ns}/pods`;
const watches: Watch[] = [];
afterEach(() => { for (const w of watches.splice(0)) w.close(); });

function openWatch(p: string): Watch {
  const w = new Watch(p);
  watches.push(w);
  return w;
}

async function patchLabels(name: string, labels: Record<string, string | null>): Promise<KubeObject> {
  return ok<KubeObject>('PATCH', `${cms()}/${name}`, { body: { metadata: { labels } }, contentType: 'application/merge-patch+json' });
}

describe('list with limit and continue', () => {
  let firstContinue = '';

  // The namespace holds only these pods, so the lists need no selector: upstream reports remainingItemCount
  // only for unfiltered lists (with a selector etcd's count would include non-matching objects).
  test('pages through one consistent snapshot with remainingItemCount', async () => {
    for (const n of ['page-1', 'page-2', 'page-3', 'page-4', 'page-5']) {
      await ok('POST', pods(), { body: podBody(n, { labels: { paged: 'yes' } }) }, 201);
    }
    const base = `${pods()}?limit=2`;
    const p1 = await ok<List>('GET', base);
    expect(p1.kind).toBe('PodList');
    expect(p1.items.map((p) => p.metadata.name)).toEqual(['page-1', 'page-2']);
    expect(p1.metadata.continue).toBeTruthy();
    expect(p1.metadata.remainingItemCount).toBe(3);
    firstContinue = p1.metadata.continue ?? '';

    // Changes after the first page must not show in the later ones: they are read at the first page's revision.
    await ok('POST', pods(), { body: podBody('page-3a', { labels: { paged: 'yes' } }) }, 201);
    await ok('DELETE', `${pods()}/page-5`);

    const p2 = await ok<List>('GET', `${base}&continue=${encodeURIComponent(firstContinue)}`);
    expect(p2.items.map((p) => p.metadata.name)).toEqual(['page-3', 'page-4']);
    expect(p2.metadata.remainingItemCount).toBe(1);
    expect(p2.metadata.resourceVersion).toBe(p1.metadata.resourceVersion);
    expect(p2.metadata.continue).toBeTruthy();

    const p3 = await ok<List>('GET', `${base}&continue=${encodeURIComponent(p2.metadata.continue ?? '')}`);
    expect(p3.items.map((p) => p.metadata.name)).toEqual(['page-5']);
    expect(p3.metadata.continue ?? '').toBe('');
    expect(p3.metadata.remainingItemCount).toBeUndefined();
    expect(p3.metadata.resourceVersion).toBe(p1.metadata.resourceVersion);

    // A fresh list sees the present.
    const now = await ok<List>('GET', pods());
    expect(now.items.map((p) => p.metadata.name)).toEqual(['page-1', 'page-2', 'page-3', 'page-3a', 'page-4']);
    expect(Number(now.metadata.resourceVersion)).toBeGreaterThan(Number(p1.metadata.resourceVersion));
  });

  test('a limit larger than the list returns everything without a continue token', async () => {
    const all = await ok<List>('GET', `${pods()}?limit=500`);
    expect(all.items).toHaveLength(5);
    expect(all.metadata.continue ?? '').toBe('');
    expect(all.metadata.remainingItemCount).toBeUndefined();
  });

  test('with a label selector pages still hold only matches, and remainingItemCount is left out', async () => {
    const p1 = await ok<List>('GET', `${pods()}?labelSelector=paged%3Dyes&limit=2`);
    expect(p1.items.map((p) => p.metadata.name)).toEqual(['page-1', 'page-2']);
    expect(p1.metadata.continue).toBeTruthy();
    expect(p1.metadata.remainingItemCount).toBeUndefined();
    const p2 = await ok<List>('GET', `${pods()}?labelSelector=paged%3Dyes&limit=2&continue=${encodeURIComponent(p1.metadata.continue ?? '')}`);
    expect(p2.items.map((p) => p.metadata.name)).toEqual(['page-3', 'page-3a']);
  });

  test('a garbage continue token is a 400', async () => {
    const r = await request('GET', `${pods()}?limit=2&continue=not-a-token`);
    expect(r.status).toBe(400);
    expect(json<Status>(r)).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });

  describe('after etcd compacts past the snapshot', () => {
    let compactedAt = 0;
    beforeAll(async () => {
      // The newest revision is that of the latest write; compacting there makes every older revision unreadable.
      const marker = await ok<KubeObject>('POST', cms(), { body: configMapBody('compaction-marker') }, 201);
      compactedAt = Number(marker.metadata.resourceVersion);
      const r = await etcdctl(['compact', String(compactedAt)]);
      if (r.code !== 0) throw new Error(`etcdctl compact ${compactedAt} failed: ${r.stderr}`);
      expect(r.stdout).toContain(`compacted revision ${compactedAt}`);
    });

    test('continuing an old list is 410 Expired', async () => {
      const r = await request('GET', `${pods()}?limit=2&continue=${encodeURIComponent(firstContinue)}`);
      expect(r.status).toBe(410);
      expect(json<Status>(r)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
      const s = json<Status & { metadata: { continue?: string } }>(r);
      expect(s.message).toContain('The provided continue parameter is too old');
      // Upstream offers a token to carry on, inconsistently, from where the old one stopped.
      expect(s.metadata.continue).toBeTruthy();
    });

    test('watching from a compacted resourceVersion is 410 Expired (as the response or as an ERROR event)', async () => {
      const w = openWatch(`${cms()}?watch=true&resourceVersion=1`);
      const res = await w.response;
      let status: Status;
      if (res.status === 200) {
        // The stream must open with the ERROR, not replay history it no longer has.
        const { event } = await w.next('the first event', (e) => e.type !== 'BOOKMARK');
        expect(`${event.type} ${JSON.stringify(event.object.metadata ?? {}).slice(0, 200)}`).toMatch(/^ERROR /);
        status = event.object;
      } else {
        expect(res.status).toBe(410);
        status = json<Status>(res);
      }
      expect(status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 });
    });

    test('a watch from the current resourceVersion still works', async () => {
      const list = await ok<List>('GET', cms());
      const w = openWatch(`${cms()}?watch=true&resourceVersion=${list.metadata.resourceVersion ?? ''}`);
      await ok('POST', cms(), { body: configMapBody('after-compaction') }, 201);
      const { event } = await w.next('ADDED after-compaction', (e) => e.object.metadata?.name === 'after-compaction');
      expect(event.type).toBe('ADDED');
      expect((await w.response).status).toBe(200);
      expect(Number(event.object.metadata.resourceVersion)).toBeGreaterThan(compactedAt);
    });
  });
});

describe('watch with a label selector', () => {
  test('objects entering, changing within and leaving the selector are ADDED, MODIFIED and DELETED', async () => {
    const list = await ok<List>('GET', `${cms()}?labelSelector=watched%3Dyes`);
    expect(list.items).toEqual([]);
    const w = openWatch(`${cms()}?watch=true&labelSelector=watched%3Dyes&resourceVersion=${list.metadata.resourceVersion ?? ''}`);

    await ok('POST', cms(), { body: configMapBody('sel', { k: 'v' }, { labels: { watched: 'no' } }) }, 201);
    const entered = await patchLabels('sel', { watched: 'yes' });
    const added = await w.next('ADDED sel', (e) => e.type !== 'BOOKMARK');
    expect(added.event.type).toBe('ADDED');
    expect(added.event.object.metadata).toMatchObject({ name: 'sel', labels: { watched: 'yes' }, resourceVersion: entered.metadata.resourceVersion });

    const changed = await patchLabels('sel', { extra: '1' });
    const modified = await w.next('MODIFIED sel', (e) => e.type !== 'BOOKMARK', added.index + 1);
    expect(modified.event.type).toBe('MODIFIED');
    expect(modified.event.object.metadata).toMatchObject({ name: 'sel', labels: { watched: 'yes', extra: '1' }, resourceVersion: changed.metadata.resourceVersion });

    const left = await patchLabels('sel', { watched: 'no' });
    const deleted = await w.next('DELETED sel', (e) => e.type !== 'BOOKMARK', modified.index + 1);
    expect(deleted.event.type).toBe('DELETED');
    // Upstream sends the last state that matched, at the revision of the change that made it leave.
    expect(deleted.event.object.metadata).toMatchObject({ name: 'sel', labels: { watched: 'yes', extra: '1' }, resourceVersion: left.metadata.resourceVersion });

    // Deleting it now (outside the selector) is not an event; the next matching object is.
    await ok('DELETE', `${cms()}/sel`);
    await ok('POST', cms(), { body: configMapBody('sel-end', {}, { labels: { watched: 'yes' } }) }, 201);
    await w.next('ADDED sel-end', (e) => e.object.metadata?.name === 'sel-end');
    const seen = w.events.filter((e: WatchEvent) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.object.metadata.name}`);
    expect(seen).toEqual(['ADDED sel', 'MODIFIED sel', 'DELETED sel', 'ADDED sel-end']);
    const res = await w.response;
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  });
});
