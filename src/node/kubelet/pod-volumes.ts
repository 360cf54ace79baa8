// A pod's volumes on the node: directories under <root>/pods/<uid>/volumes/<name> that containers get
// as bind mounts. emptyDir is a directory (a tmpfs for medium Memory), hostPath is the host's path, a
// persistentVolumeClaim is the path of its bound hostPath or local volume, and configMap/secret/downwardAPI/
// projected are files rewritten whenever their source changes.
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HostPathVolumeSource, KeyToPath, Pod, Volume, VolumeProjection } from 'kubernetes-types/core/v1';
import { parseQuantity } from '../../registry/quantity';
import { ensureTmpfs, unmountAll } from './volume-mounts';
import { podFieldValue, resourceFieldValue, type NodeAllocatable } from './downward-api';
import { EnvError } from './container-env';
import { configMapEntries, secretEntries, type ObjectSource } from './object-source';

export function podDir(root: string, uid: string): string {
  return path.join(root, 'pods', uid);
}

interface FileEntry { data: Buffer; mode: number }

/** Selected entries (all of them without `items`), keyed by their relative path in the volume. */
function selectEntries(entries: Map<string, Buffer>, items: KeyToPath[] | undefined, defaultMode: number, what: string, optional: boolean): Map<string, FileEntry> {
  const out = new Map<string, FileEntry>();
  if (!items) {
    for (const [k, data] of entries) out.set(k, { data, mode: defaultMode });
    return out;
  }
  for (const item of items) {
    const data = entries.get(item.key);
    if (data === undefined) {
      if (optional) continue;
      throw new EnvError(`${what} references non-existent key: ${item.key}`, 'ContainerCreating');
    }
    out.set(item.path, { data, mode: item.mode ?? defaultMode });
  }
  return out;
}

/** Makes `dir` hold exactly `files`, writing only what changed (a running container sees updates in place). */
function syncFiles(dir: string, files: Map<string, FileEntry>): void {
  mkdirSync(dir, { recursive: true });
  const wanted = new Set<string>();
  for (const [rel, f] of files) {
    const file = path.join(dir, rel);
    if (!file.startsWith(dir + path.sep)) continue;
    wanted.add(file);
    mkdirSync(path.dirname(file), { recursive: true });
    if (!existsSync(file) || !readFileSync(file).equals(f.data)) writeFileSync(file, f.data);
    chmodSync(file, f.mode & 0o777);
  }
  const prune = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) prune(p);
      else if (!wanted.has(p)) rmSync(p, { force: true });
    }
  };
  prune(dir);
}

async function projectionFiles(pod: Pod, sources: VolumeProjection[], defaultMode: number, src: ObjectSource, node: NodeAllocatable): Promise<Map<string, FileEntry>> {
  const ns = pod.metadata?.namespace ?? 'default';
  const out = new Map<string, FileEntry>();
  for (const s of sources) {
    if (s.configMap) {
      const cm = await src.configMap(ns, s.configMap.name ?? '');
      if (!cm && !s.configMap.optional) throw new EnvError(`configmap "${s.configMap.name}" not found`, 'ContainerCreating');
      if (cm) for (const [k, v] of selectEntries(configMapEntries(cm), s.configMap.items, defaultMode, `configmap ${s.configMap.name}`, !!s.configMap.optional)) out.set(k, v);
    }
    if (s.secret) {
      const sec = await src.secret(ns, s.secret.name ?? '');
      if (!sec && !s.secret.optional) throw new EnvError(`secret "${s.secret.name}" not found`, 'ContainerCreating');
      if (sec) for (const [k, v] of selectEntries(secretEntries(sec), s.secret.items, defaultMode, `secret ${s.secret.name}`, !!s.secret.optional)) out.set(k, v);
    }
    if (s.serviceAccountToken) {
      const t = s.serviceAccountToken;
      const token = await src.serviceAccountToken(ns, pod.spec?.serviceAccountName || 'default', { audience: t.audience, expirationSeconds: t.expirationSeconds ?? 3600, pod })
        .catch((e: unknown) => { throw new EnvError(`failed to fetch token: ${e instanceof Error ? e.message : String(e)}`, 'ContainerCreating'); });
      out.set(t.path, { data: Buffer.from(token, 'utf8'), mode: defaultMode });
    }
    if (s.downwardAPI) {
      for (const item of s.downwardAPI.items ?? []) {
        const value = item.fieldRef ? podFieldValue(pod, item.fieldRef)
          : item.resourceFieldRef ? resourceFieldValue(pod.spec?.containers.find((c) => c.name === item.resourceFieldRef!.containerName), item.resourceFieldRef, node) : '';
        out.set(item.path, { data: Buffer.from(value, 'utf8'), mode: item.mode ?? defaultMode });
      }
    }
  }
  return out;
}

function hostPathOf(src: HostPathVolumeSource): string {
  const type = src.type ?? '';
  if (type === 'DirectoryOrCreate') mkdirSync(src.path, { recursive: true, mode: 0o755 });
  if (type === 'FileOrCreate' && !existsSync(src.path)) writeFileSync(src.path, '', { mode: 0o644 });
  if (['Directory', 'File', 'Socket', 'CharDevice', 'BlockDevice'].includes(type) && !existsSync(src.path)) {
    throw new EnvError(`hostPath type check failed: ${src.path} is not a ${type}`, 'ContainerCreating');
  }
  return src.path;
}

/** The host path behind a claim: its bound volume's hostPath or local path (kubelet's messages). */
async function claimPath(namespace: string, claimName: string, src: ObjectSource): Promise<string> {
  const what = `error processing PVC ${namespace}/${claimName}`;
  const claim = await src.claim(namespace, claimName);
  if (!claim) throw new EnvError(`${what}: failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`, 'ContainerCreating');
  if (claim.metadata?.deletionTimestamp) throw new EnvError(`${what}: PVC is being deleted`, 'ContainerCreating');
  const volumeName = claim.spec?.volumeName;
  if (!volumeName || claim.status?.phase !== 'Bound') throw new EnvError(`${what}: PVC is not bound`, 'ContainerCreating');
  const pv = await src.volume(volumeName);
  if (!pv) throw new EnvError(`${what}: failed to fetch PV ${volumeName} from API server: persistentvolumes "${volumeName}" not found`, 'ContainerCreating');
  if (pv.spec?.claimRef?.uid !== claim.metadata?.uid) throw new EnvError(`${what}: PV ${volumeName} is not bound to this claim`, 'ContainerCreating');
  if (pv.spec?.hostPath) return hostPathOf(pv.spec.hostPath);
  if (pv.spec?.local) {
    if (!existsSync(pv.spec.local.path)) throw new EnvError(`local volume ${volumeName}: path "${pv.spec.local.path}" does not exist`, 'ContainerCreating');
    return pv.spec.local.path;
  }
  throw new EnvError(`volume ${volumeName}: this kubelet mounts only hostPath and local persistent volumes`, 'ContainerCreating');
}

/** Where one volume lives on the host, after making or refreshing it. */
async function materialize(pod: Pod, v: Volume, root: string, src: ObjectSource, node: NodeAllocatable): Promise<string> {
  const dir = path.join(podDir(root, pod.metadata!.uid!), 'volumes', v.name);
  if (v.hostPath) return hostPathOf(v.hostPath);
  if (v.persistentVolumeClaim) return claimPath(pod.metadata?.namespace ?? 'default', v.persistentVolumeClaim.claimName, src);
  if (v.configMap) {
    return syncProjection(dir, await projectionFiles(pod, [{ configMap: v.configMap }], v.configMap.defaultMode ?? 0o644, src, node));
  }
  if (v.secret) {
    const secret = { name: v.secret.secretName, items: v.secret.items, optional: v.secret.optional };
    return syncProjection(dir, await projectionFiles(pod, [{ secret }], v.secret.defaultMode ?? 0o644, src, node));
  }
  if (v.downwardAPI) {
    return syncProjection(dir, await projectionFiles(pod, [{ downwardAPI: v.downwardAPI }], v.downwardAPI.defaultMode ?? 0o644, src, node));
  }
  if (v.projected) {
    return syncProjection(dir, await projectionFiles(pod, v.projected.sources ?? [], v.projected.defaultMode ?? 0o644, src, node));
  }
  if (v.emptyDir || Object.keys(v).length === 1) {
    mkdirSync(dir, { recursive: true, mode: 0o777 });
    chmodSync(dir, 0o777);
    if (v.emptyDir?.medium === 'Memory') ensureTmpfs(dir, parseQuantity(v.emptyDir.sizeLimit ?? node.memory).value());
    return dir;
  }
  throw new EnvError(`volume ${v.name}: this kubelet does not support its type yet`, 'ContainerCreating');
}

function syncProjection(dir: string, files: Map<string, FileEntry>): string {
  syncFiles(dir, files);
  return dir;
}

/** Makes (or refreshes) every volume of the pod and returns name → host path. */
export async function prepareVolumes(pod: Pod, root: string, src: ObjectSource, node: NodeAllocatable): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const v of pod.spec?.volumes ?? []) out.set(v.name, await materialize(pod, v, root, src, node));
  return out;
}

/** Deletes what the node kept for a pod (volumes, /etc/hosts file); hostPath volumes are the host's and stay. */
export function removePodDir(root: string, uid: string): void {
  unmountAll(podDir(root, uid));
  rmSync(podDir(root, uid), { recursive: true, force: true });
}
