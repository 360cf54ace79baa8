// Controller references (metadata.ownerReferences with controller: true) and the claim rules of upstream's
// ControllerRefManager: an owner keeps what it controls and still selects, adopts matching orphans, and
// releases what it controls but no longer selects.
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { LabelSelector } from '../registry/label-selector';
import type { ApiObject } from '../client/rest-client';

/** The informer index that files objects under their controller's uid. */
export const byControllerUid = 'controller-uid';

export function controllerRefOf(obj: ApiObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

export function indexByControllerUid(obj: ApiObject): string[] {
  const ref = controllerRefOf(obj);
  return ref ? [ref.uid] : [];
}

export function newControllerRef(owner: ApiObject, apiVersion: string, kind: string): OwnerReference {
  return {
    apiVersion, kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '',
    controller: true, blockOwnerDeletion: true,
  };
}

export interface Claims<T> {
  /** Controlled by the owner and selected: keep. */
  owned: T[];
  /** Orphans the owner selects: adopt (then owned). */
  adopt: T[];
  /** Controlled by the owner but no longer selected: release. */
  release: T[];
}

/** Sorts candidates by the claim rules; an owner being deleted adopts nothing. Objects being deleted are never adopted. */
export function claim<T extends ApiObject>(ownerUid: string, selector: LabelSelector, candidates: T[], ownerDeleting: boolean): Claims<T> {
  const out: Claims<T> = { owned: [], adopt: [], release: [] };
  for (const obj of candidates) {
    const ref = controllerRefOf(obj);
    const selected = selector.matches(obj.metadata?.labels);
    if (ref) {
      if (ref.uid !== ownerUid) continue;
      if (selected) out.owned.push(obj);
      else if (!obj.metadata?.deletionTimestamp) out.release.push(obj);
    } else if (selected && !ownerDeleting && !obj.metadata?.deletionTimestamp) {
      out.adopt.push(obj);
    }
  }
  return out;
}

/** The object with the owner's controller reference added (for an adopting update). */
export function withControllerRef<T extends ApiObject>(obj: T, ref: OwnerReference): T {
  return { ...obj, metadata: { ...obj.metadata, ownerReferences: [...(obj.metadata?.ownerReferences ?? []), ref] } };
}

/** The object with the owner's reference removed (for a releasing update). */
export function withoutOwner<T extends ApiObject>(obj: T, ownerUid: string): T {
  const refs = (obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
  return { ...obj, metadata: { ...obj.metadata, ownerReferences: refs.length ? refs : undefined } };
}
