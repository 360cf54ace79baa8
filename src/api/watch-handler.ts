// Watch streams: newline-delimited JSON events from the watch cache (or straight from etcd when the
// requested revision is older than the cache's window), bookmarks, timeouts and 410 Gone.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceDef, KubeObject } from '../registry/resource-types';
import { groupVersion } from '../registry/resource-types';
import type { Registry } from './registry';
import type { CachedObject } from '../registry/watch-event';
import { dispatch } from '../registry/resource-cache';
import { buildPredicate } from './list-query';
import { chooseRepresentation } from './negotiation';
import { toTable, type IncludeObject } from './table';
import { badRequest, gone, toStatusError } from '../registry/errors';
import { storageKey } from '../registry/etcd-codec';

const bookmarkEverySeconds = 60;

export async function serveWatch(reg: Registry, req: IncomingMessage, res: ServerResponse, def: ResourceDef,
  ns: string | undefined, q: URLSearchParams, name: string): Promise<void> {
  const rep = chooseRepresentation(req.headers.accept);
  const store = reg.store(def);
  const labels = reg.fieldLabels(def);
  let { predicate } = buildPredicate(def, q, labels);
  if (name) {
    const key = storageKey(def.storagePrefix, def.namespaced ? ns : undefined, name);
    const inner = predicate;
    predicate = (o) => o.key === key && inner(o);
  }
  const rvText = q.get('resourceVersion') ?? '';
  const rv = rvText === '' ? 0 : Number(rvText);
  if (!Number.isFinite(rv) || rv < 0) throw badRequest(`invalid resource version: ${rvText}`);
  const bookmarks = q.get('allowWatchBookmarks') === 'true';
  const sendInitial = q.get('sendInitialEvents') === 'true';
  const timeoutText = q.get('timeoutSeconds');
  const timeoutSeconds = timeoutText ? Number(timeoutText) : 1800 + Math.floor(Math.random() * 1800);
  if (rv > 0) await store.waitFor(rv);
  let tooOld: string | undefined;
  if (rv > 0 && !sendInitial) {
    try { await store.ensureNotCompacted(rv); } catch (e) { tooOld = toStatusError(e).message; }
  }

  const include: IncludeObject = q.get('includeObject') === 'None' ? 'None' : q.get('includeObject') === 'Object' ? 'Object' : 'Metadata';
  let first = true;
  const encode = (type: string, json: string): string => {
    if (rep !== 'table') return `{"type":"${type}","object":${json}}\n`;
    const obj = JSON.parse(json) as KubeObject;
    const t = toTable(def, [obj], { resourceVersion: obj.metadata?.resourceVersion }, include, (ref) => reg.schemas.describe(ref), first);
    first = false;
    return `{"type":"${type}","object":${JSON.stringify(t)}}\n`;
  };

  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  let closed = false;
  let lastRevision = rv;
  const send = (type: 'ADDED' | 'MODIFIED' | 'DELETED', o: CachedObject) => {
    if (closed) return;
    lastRevision = Math.max(lastRevision, o.revision);
    res.write(encode(type, store.servedJson(o.json)));
  };
  const bookmark = (annotations?: Record<string, string>) => {
    const meta: Record<string, unknown> = { resourceVersion: String(Math.max(lastRevision, store.feedRevision())) };
    if (annotations) meta.annotations = annotations;
    res.write(`{"type":"BOOKMARK","object":{"kind":${JSON.stringify(def.kind)},"apiVersion":${JSON.stringify(groupVersion(def))},"metadata":${JSON.stringify(meta)}}}\n`);
  };

  const cache = store.resourceCache();
  const watcher = { namespace: def.namespaced ? ns : undefined, predicate, deliver: send };
  let stop: () => void;
  // The snapshot or backlog and the registration happen in one tick, so no event falls between them.
  if (rv === 0 || sendInitial) {
    const snap = store.snapshot(ns, predicate);
    for (const o of snap.items) send('ADDED', o);
    lastRevision = snap.revision;
    stop = cache.addWatcher(watcher);
    if (sendInitial && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    const backlog = tooOld ? undefined : cache.eventsSince(rv);
    if (!backlog) {
      const err = gone(tooOld ?? `too old resource version: ${rv} (${cache.oldestRevision + 1})`);
      res.end(`{"type":"ERROR","object":${JSON.stringify(err.status)}}\n`);
      return;
    }
    for (const ev of backlog) dispatch(watcher, ev);
    stop = cache.addWatcher(watcher);
  }

  await new Promise<void>((resolve) => {
    const finish = () => {
      if (closed) return;
      closed = true;
      stop();
      clearTimeout(timer);
      if (tick) clearInterval(tick);
      resolve();
    };
    const timer = setTimeout(() => { finish(); res.end(); }, timeoutSeconds * 1000);
    const tick = bookmarks ? setInterval(() => bookmark(), bookmarkEverySeconds * 1000) : undefined;
    req.on('close', finish);
    res.on('close', finish);
    res.on('error', finish);
  });
}
