// Event validation: the legacy core/v1 rules (namespace agreement, reporting fields for new-style
// events) and the stricter events.k8s.io/v1 rules. Paths use upstream's internal field names.
import type { Event as CoreEvent } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import { FieldError, FieldPath, invalidValue, required } from '../field-error';
import { isDNS1123Subdomain, isQualifiedName, nameIsDNSSubdomain, nameIsPathSegment } from './names';
import { validateObjectMeta } from './object-meta';

/** The fields both API versions share, in internal (core) terms. */
export interface EventFields {
  namespace: string; involvedNamespace: string; eventTime?: string; reportingController: string; reportingInstance: string;
  action: string; reason: string; message: string; type: string; firstTimestamp?: string; lastTimestamp?: string; count: number;
  sourceComponent: string; sourceHost: string;
}

function legacyValidate(e: EventFields, controllerField: string): FieldError[] {
  const errs: FieldError[] = [];
  const nsPath = FieldPath.root('involvedObject').child('namespace');
  if (!e.eventTime) {
    if (!e.involvedNamespace) {
      if (e.namespace !== '' && e.namespace !== 'default') errs.push(invalidValue(nsPath, e.involvedNamespace, 'does not match event.namespace'));
    } else if (e.namespace !== e.involvedNamespace) {
      errs.push(invalidValue(nsPath, e.involvedNamespace, 'does not match event.namespace'));
    }
  } else {
    if (!e.involvedNamespace && e.namespace !== 'default' && e.namespace !== 'kube-system') {
      errs.push(invalidValue(nsPath, e.involvedNamespace, 'does not match event.namespace'));
    }
    if (!e.reportingController) errs.push(required(controllerField));
    for (const m of isQualifiedName(e.reportingController)) errs.push(invalidValue(controllerField, e.reportingController, m));
    if (!e.reportingInstance) errs.push(required('reportingInstance'));
    if (e.reportingInstance.length > 128) errs.push(invalidValue('reportingInstance', '', 'can have at most 128 characters'));
    if (!e.action) errs.push(required('action'));
    if (e.action.length > 128) errs.push(invalidValue('action', '', 'can have at most 128 characters'));
    if (!e.reason) errs.push(required('reason'));
    if (e.reason.length > 128) errs.push(invalidValue('reason', '', 'can have at most 128 characters'));
    if (e.message.length > 1024) errs.push(invalidValue('message', '', 'can have at most 1024 characters'));
  }
  for (const m of isDNS1123Subdomain(e.namespace)) errs.push(invalidValue('namespace', e.namespace, m));
  return errs;
}

export function coreEventFields(e: CoreEvent): EventFields {
  return {
    namespace: e.metadata?.namespace ?? '', involvedNamespace: e.involvedObject?.namespace ?? '', eventTime: e.eventTime ?? undefined,
    reportingController: e.reportingComponent ?? '', reportingInstance: e.reportingInstance ?? '', action: e.action ?? '',
    reason: e.reason ?? '', message: e.message ?? '', type: e.type ?? '', firstTimestamp: e.firstTimestamp ?? undefined,
    lastTimestamp: e.lastTimestamp ?? undefined, count: e.count ?? 0, sourceComponent: e.source?.component ?? '', sourceHost: e.source?.host ?? '',
  };
}

/** core/v1 keeps the legacy rules only, for old clients. */
export function validateCoreEvent(e: CoreEvent): FieldError[] {
  return [...validateObjectMeta(e.metadata, true, nameIsPathSegment), ...legacyValidate(coreEventFields(e), 'reportingComponent')];
}

export function validateEventsV1(meta: ObjectMeta | undefined, e: EventFields): FieldError[] {
  const errs = legacyValidate(e, 'reportingController');
  errs.push(...validateObjectMeta(meta, true, nameIsDNSSubdomain));
  if (!e.eventTime) errs.push(required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(invalidValue('type', '', `has invalid value: ${e.type}`));
  if (e.firstTimestamp) errs.push(invalidValue('firstTimestamp', '', 'needs to be unset'));
  if (e.lastTimestamp) errs.push(invalidValue('lastTimestamp', '', 'needs to be unset'));
  if (e.count !== 0) errs.push(invalidValue('count', '', 'needs to be unset'));
  if (e.sourceComponent || e.sourceHost) errs.push(invalidValue('source', '', 'needs to be unset'));
  return errs;
}
