// User and group IDs in pod and container security contexts: upstream's IsValidUserID/IsValidGroupID
// range (0 to 2147483647) on runAsUser, runAsGroup, fsGroup and supplementalGroups.
import type { PodSecurityContext, SecurityContext } from 'kubernetes-types/core/v1';
import { FieldError, FieldPath, invalidValue } from '../field-error';

const MAX_ID = 2147483647;

function idInRange(v: number | undefined, p: FieldPath): FieldError[] {
  if (v === undefined || v === null || (v >= 0 && v <= MAX_ID)) return [];
  return [invalidValue(p, v, `must be between 0 and ${MAX_ID}, inclusive`)];
}

export function validatePodSecurityContext(sc: PodSecurityContext | undefined, p: FieldPath): FieldError[] {
  if (!sc) return [];
  return [
    ...idInRange(sc.runAsUser, p.child('runAsUser')),
    ...idInRange(sc.runAsGroup, p.child('runAsGroup')),
    ...idInRange(sc.fsGroup, p.child('fsGroup')),
    ...(sc.supplementalGroups ?? []).flatMap((g, i) => idInRange(g, p.child('supplementalGroups').index(i))),
  ];
}

export function validateContainerSecurityContext(sc: SecurityContext | undefined, p: FieldPath): FieldError[] {
  if (!sc) return [];
  return [...idInRange(sc.runAsUser, p.child('runAsUser')), ...idInRange(sc.runAsGroup, p.child('runAsGroup'))];
}
