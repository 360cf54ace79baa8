// The garbage collector's dependency graph, as upstream's graph builder keeps it: every object with its
// owner references, keyed by uid, and for each owner uid the uids of its dependents (owners need not exist).
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { ResourceRef } from '../../client/resource-ref';
import type { ApiObject } from '../../client/rest-client';

export interface GraphNode {
  uid: string;
  resource: ResourceRef;
  namespace?: string;
  name: string;
  owners: OwnerReference[];
  beingDeleted: boolean;
  finalizers: string[];
}

export const foregroundFinalizer = 'foregroundDeletion';
export const orphanFinalizer = 'orphan';

/** An owner in foreground deletion: it waits for its blocking dependents to go first. */
export function deletingDependents(n: GraphNode): boolean {
  return n.beingDeleted && n.finalizers.includes(foregroundFinalizer);
}

export function nodeOf(resource: ResourceRef, obj: ApiObject): GraphNode | undefined {
  const m = obj.metadata;
  if (!m?.uid || !m.name) return undefined;
  return {
    uid: m.uid, resource, namespace: m.namespace, name: m.name, owners: m.ownerReferences ?? [],
    beingDeleted: m.deletionTimestamp !== undefined, finalizers: m.finalizers ?? [],
  };
}

export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependentsOf = new Map<string, Set<string>>();

  get(uid: string): GraphNode | undefined { return this.nodes.get(uid); }

  /** Records the node; returns the previous version of it. */
  upsert(n: GraphNode): GraphNode | undefined {
    const old = this.nodes.get(n.uid);
    if (old) this.unlink(old);
    this.nodes.set(n.uid, n);
    for (const o of n.owners) {
      let s = this.dependentsOf.get(o.uid);
      if (!s) this.dependentsOf.set(o.uid, s = new Set());
      s.add(n.uid);
    }
    return old;
  }

  remove(uid: string): GraphNode | undefined {
    const old = this.nodes.get(uid);
    if (!old) return undefined;
    this.unlink(old);
    this.nodes.delete(uid);
    return old;
  }

  dependents(ownerUid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const d of this.dependentsOf.get(ownerUid) ?? []) {
      const n = this.nodes.get(d);
      if (n) out.push(n);
    }
    return out;
  }

  /** Dependents whose reference to this owner sets blockOwnerDeletion: a foreground deletion waits for them. */
  blockingDependents(ownerUid: string): GraphNode[] {
    return this.dependents(ownerUid).filter((d) => d.owners.some((o) => o.uid === ownerUid && o.blockOwnerDeletion === true));
  }

  private unlink(n: GraphNode): void {
    for (const o of n.owners) {
      const s = this.dependentsOf.get(o.uid);
      s?.delete(n.uid);
      if (s && s.size === 0) this.dependentsOf.delete(o.uid);
    }
  }
}
