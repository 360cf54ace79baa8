// The certificates the HTTPS listener offers: each Ingress `tls` entry names hosts and a kubernetes.io/tls
// Secret in the Ingress's namespace; SNI picks the entry whose hosts match the server name (exact before
// wildcard, older Ingress first), an entry without hosts serves any name, and a self-signed one is last.
import type { Secret } from 'kubernetes-types/core/v1';
import type { Ingress } from 'kubernetes-types/networking/v1';
import { hostMatches, normalizeHost } from './route-table';

export interface TlsEntry {
  hosts: string[];
  /** namespace/name of the Secret, for logs and the context cache. */
  secret: string;
  certPem: string;
  keyPem: string;
  /** Changes whenever the Secret does, so a cached context is rebuilt. */
  version: string;
}

export type SecretLookup = (namespace: string, name: string) => Secret | undefined;

/** The usable entries of the Ingresses (given oldest first), with a reason for every one skipped. */
export function tlsEntries(ingresses: Ingress[], secret: SecretLookup): { entries: TlsEntry[]; problems: string[] } {
  const entries: TlsEntry[] = [];
  const problems: string[] = [];
  for (const ing of ingresses) {
    const ns = ing.metadata?.namespace ?? 'default';
    for (const t of ing.spec?.tls ?? []) {
      if (!t.secretName) continue;
      const key = `${ns}/${t.secretName}`;
      const s = secret(ns, t.secretName);
      const crt = s?.data?.['tls.crt'];
      const pk = s?.data?.['tls.key'];
      if (!s) { problems.push(`secret ${key} not found`); continue; }
      if (s.type !== 'kubernetes.io/tls' || !crt || !pk) { problems.push(`secret ${key} is not a kubernetes.io/tls secret with tls.crt and tls.key`); continue; }
      entries.push({
        hosts: (t.hosts ?? []).map((h) => h.toLowerCase()), secret: key, version: `${key}@${s.metadata?.resourceVersion ?? ''}`,
        certPem: Buffer.from(crt, 'base64').toString('utf8'), keyPem: Buffer.from(pk, 'base64').toString('utf8'),
      });
    }
  }
  return { entries, problems };
}

/** The entry for an SNI server name (undefined when none applies, and the default certificate is used). */
export function entryForServerName(entries: TlsEntry[], serverName: string | undefined): TlsEntry | undefined {
  const name = normalizeHost(serverName);
  if (name) {
    const exact = entries.find((e) => e.hosts.includes(name));
    if (exact) return exact;
    const wildcard = entries.find((e) => e.hosts.some((h) => h.startsWith('*.') && hostMatches(h, name)));
    if (wildcard) return wildcard;
  }
  return entries.find((e) => e.hosts.length === 0);
}
