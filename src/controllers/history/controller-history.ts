// ControllerRevisions, the template history StatefulSets and DaemonSets keep (upstream's controller/history):
// each revision holds a strategic merge patch that puts a template back (`kubectl rollout undo` applies it
// as is), is named <owner>-<hash>, numbered in order, and trimmed to revisionHistoryLimit.
import type { ControllerRevision } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { isAlreadyExists } from '../../client/api-error';
import { resources } from '../../client/resource-ref';
import type { RestClient } from '../../client/rest-client';
import { deepEqual } from '../../registry/object-meta';
import { objectHash } from '../deployment/pod-template-hash';

/** The label carrying a revision's hash (ControllerRevisionHashLabel). */
export const revisionHashLabel = 'controller.kubernetes.io/hash';

/** A revision's data: the patch that restores `template` (upstream's getPatch, "$patch": "replace"). */
export function templatePatch(template: PodTemplateSpec | undefined): { spec: { template: Record<string, unknown> } } {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } } };
}

/** The template a revision restores. */
export function templateOf(rev: ControllerRevision): PodTemplateSpec {
  const data = rev.data as { spec?: { template?: Record<string, unknown> } } | undefined;
  const t = { ...structuredClone(data?.spec?.template ?? {}) };
  delete t.$patch;
  return t as PodTemplateSpec;
}

/** Oldest first: by revision number, then creation time, then name (SortControllerRevisions). */
export function sortRevisions(revs: ControllerRevision[]): ControllerRevision[] {
  return [...revs].sort((a, b) => (a.revision - b.revision)
    || (Date.parse(a.metadata?.creationTimestamp ?? '') || 0) - (Date.parse(b.metadata?.creationTimestamp ?? '') || 0)
    || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

export function nextRevision(sorted: ControllerRevision[]): number {
  return sorted.length ? sorted[sorted.length - 1].revision + 1 : 1;
}

/** Same hash label (when both have one) and same data (EqualRevision). */
export function equalRevision(a: ControllerRevision, b: ControllerRevision): boolean {
  const ha = a.metadata?.labels?.[revisionHashLabel];
  const hb = b.metadata?.labels?.[revisionHashLabel];
  if (ha !== undefined && hb !== undefined && ha !== hb) return false;
  return deepEqual(a.data, b.data);
}

export interface RevisionOwner {
  ref: OwnerReference;
  namespace?: string;
  name: string;
  templateLabels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** An unsaved revision of `data`; named with the hash by createRevision (NewControllerRevision). */
export function newRevision(owner: RevisionOwner, data: unknown, revision: number): ControllerRevision {
  const annotations = { ...owner.annotations };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  return {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: {
      namespace: owner.namespace, labels: { ...owner.templateLabels },
      ...(Object.keys(annotations).length ? { annotations } : {}), ownerReferences: [owner.ref],
    },
    data: data as ControllerRevision['data'], revision,
  };
}

/** <owner>-<hash>, the owner name cut so the whole fits a name (ControllerRevisionName). */
export function revisionName(owner: string, hash: string): string {
  return `${owner.length > 223 ? owner.slice(0, 223) : owner}-${hash}`;
}

/** How a kind names its revisions: StatefulSets hash the data, DaemonSets the template (under their own label). */
export interface RevisionHashing {
  hash(collisionCount: number): string;
  label: string;
}

export const dataHashing = (rev: ControllerRevision): RevisionHashing => ({ hash: (c) => objectHash(rev.data, c), label: revisionHashLabel });

/**
 * Creates the revision under <owner>-<hash>; an existing revision of that name with the same data is
 * returned, one with other data is a hash collision: the count goes up and the next name is tried.
 */
export async function createRevision(client: RestClient, owner: RevisionOwner, rev: ControllerRevision, collisionCount: number,
  hashing: RevisionHashing = dataHashing(rev)): Promise<{ revision: ControllerRevision; collisionCount: number }> {
  for (let count = collisionCount; ; count++) {
    const hash = hashing.hash(count);
    const named: ControllerRevision = {
      ...rev, metadata: { ...rev.metadata, name: revisionName(owner.name, hash), labels: { ...rev.metadata?.labels, [hashing.label]: hash } },
    };
    try {
      return { revision: await client.create(resources.controllerrevisions, owner.namespace, named), collisionCount: count };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = await client.get<ControllerRevision>(resources.controllerrevisions, owner.namespace, named.metadata?.name ?? '');
      if (deepEqual(existing.data, named.data) && existing.metadata?.ownerReferences?.some((r) => r.uid === owner.ref.uid)) {
        return { revision: existing, collisionCount: count };
      }
    }
  }
}

/** The revisions beyond `limit` that no live pod or status uses, oldest first (truncateHistory). */
export function revisionsToTrim(sorted: ControllerRevision[], live: ReadonlySet<string>, limit: number): ControllerRevision[] {
  const history = sorted.filter((r) => !live.has(r.metadata?.name ?? ''));
  return history.slice(0, Math.max(0, history.length - limit));
}
