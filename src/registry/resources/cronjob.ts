// batch/v1 CronJob: defaults (Allow, not suspended, history 3/1), schedule and time zone validation,
// the 52-character name limit (room for the Jobs' suffix), and status.
import type { CronJob } from 'kubernetes-types/batch/v1';
import { invalidValue } from '../field-error';
import { cronJobPrinter } from '../printers/batch';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateCronJobSpec } from '../validation/job';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { defaultCronJob } from './batch-defaults';

/** The controller names each Job `<cronjob>-<11 characters>`, within 63. */
const maxCronJobNameLength = 52;

export function validateCronJob(cj: CronJob) {
  const errs = [...validateObjectMeta(cj.metadata, true, nameIsDNSSubdomain), ...validateCronJobSpec(cj)];
  const name = cj.metadata?.name ?? '';
  if (name.length > maxCronJobNameLength) errs.push(invalidValue('metadata.name', name, `must be no more than ${maxCronJobNameLength} characters`));
  return errs;
}

export function cronJobResource(): ResourceDef {
  return defineResource({
    group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', shortNames: ['cj'], categories: ['all'],
    namespaced: true, openapiName: 'io.k8s.api.batch.v1.CronJob', hasGeneration: true,
    subresources: { status: true },
    strategy: {
      defaults: (o: KubeObject) => defaultCronJob(o as CronJob),
      prepareForCreate(o: KubeObject) { o.status = {}; },
      // Upstream relaxes the TZ-in-schedule and name-length rules on update only for objects stored
      // before those rules existed; none can exist here, so updates are held to the create rules.
      validate: (o: KubeObject) => validateCronJob(o as CronJob),
      validateUpdate: (o: KubeObject, old: KubeObject) => validateObjectMetaUpdate(o.metadata, old.metadata),
    },
    printer: cronJobPrinter,
  });
}
