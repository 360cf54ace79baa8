// Kubeconfig files: the cluster's own <data-dir>/kubeconfig, and merging that entry into (or removing it
// from) the user's ~/.kube/config the way kind and minikube do, leaving every other entry untouched.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { writeFileAtomic } from './files';

/** A clusters/users/contexts list item: only the name matters here; the rest passes through untouched. */
export interface NamedEntry { name: string; [k: string]: unknown }

export interface Kubeconfig {
  apiVersion: string;
  kind: string;
  clusters: NamedEntry[];
  users: NamedEntry[];
  contexts: NamedEntry[];
  'current-context'?: string;
  preferences?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface KubeconfigEntry {
  /** Used for the cluster, the user and the context alike. */
  name: string;
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

export function buildKubeconfig(e: KubeconfigEntry): Kubeconfig {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: e.name, cluster: { server: e.server, 'certificate-authority-data': b64(e.caPem) } }],
    users: [{ name: e.name, user: { 'client-certificate-data': b64(e.clientCertPem), 'client-key-data': b64(e.clientKeyPem) } }],
    contexts: [{ name: e.name, context: { cluster: e.name, user: e.name } }],
    'current-context': e.name,
    preferences: {},
  };
}

/** The file `up` merges into: ~/.kube/config (HOME decides, so tests can point it at a scratch dir). */
export function userKubeconfigPath(): string {
  return path.join(homeDir(), '.kube', 'config');
}

/** $HOME as the shell sees it (read from process.env, which tests can override), else the passwd entry. */
export function homeDir(): string {
  return process.env.HOME || os.homedir();
}

export function readKubeconfig(file: string): Kubeconfig {
  const empty: Kubeconfig = { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [], preferences: {} };
  if (!existsSync(file)) return empty;
  const parsed: unknown = parse(readFileSync(file, 'utf8'));
  if (parsed === null || parsed === undefined) return empty;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${file}: not a kubeconfig (expected a mapping)`);
  const doc = parsed as Partial<Kubeconfig>;
  // kubectl writes `null` for empty lists, so normalise before merging.
  return { ...empty, ...doc, clusters: doc.clusters ?? [], users: doc.users ?? [], contexts: doc.contexts ?? [] };
}

export function writeKubeconfig(file: string, doc: Kubeconfig): void {
  // Kubeconfigs hold private keys: owner-only, like kubectl and kind write them.
  writeFileAtomic(file, stringify(doc), 0o600);
}

/** Replaces the entries named `entry.name` in `file` (creating it if needed) and makes that context current. */
export function mergeIntoKubeconfig(file: string, entry: KubeconfigEntry): void {
  const doc = removeEntries(readKubeconfig(file), entry.name);
  const add = buildKubeconfig(entry);
  doc.clusters.push(...add.clusters);
  doc.users.push(...add.users);
  doc.contexts.push(...add.contexts);
  doc['current-context'] = entry.name;
  writeKubeconfig(file, doc);
}

/** Drops the cluster, user and context named `name` from `file`; a no-op if the file does not exist. */
export function removeFromKubeconfig(file: string, name: string): boolean {
  if (!existsSync(file)) return false;
  const before = readKubeconfig(file);
  const after = removeEntries(before, name);
  const changed = after.clusters.length !== before.clusters.length || after.users.length !== before.users.length
    || after.contexts.length !== before.contexts.length || after['current-context'] !== before['current-context'];
  if (changed) writeKubeconfig(file, after);
  return changed;
}

function removeEntries(doc: Kubeconfig, name: string): Kubeconfig {
  const out: Kubeconfig = {
    ...doc,
    clusters: doc.clusters.filter((c) => c.name !== name),
    users: doc.users.filter((u) => u.name !== name),
    contexts: doc.contexts.filter((c) => c.name !== name),
  };
  if (out['current-context'] === name) out['current-context'] = '';
  return out;
}
