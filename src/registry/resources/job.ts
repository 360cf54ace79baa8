// batch/v1 Job: defaults, the generated selector and labels, validation (restartPolicy OnFailure or
// Never), an immutable template and completions, status, and the status.successful field selector.
import type { Job } from 'kubernetes-types/batch/v1';
import { jobPrinter } from '../printers/batch';
import { defineResource } from '../resource-table';
import type { KubeObject, ResourceDef } from '../resource-types';
import { validateJob, validateJobUpdate } from '../validation/job';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/object-meta';
import { defaultJob, generateJobSelector } from './batch-defaults';

export function jobResource(): ResourceDef {
  return defineResource({
    group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', categories: ['all'],
    namespaced: true, openapiName: 'io.k8s.api.batch.v1.Job', hasGeneration: true,
    subresources: { status: true },
    strategy: {
      defaults: (o: KubeObject) => defaultJob(o as Job),
      prepareForCreate(o: KubeObject) {
        o.status = {};
        generateJobSelector(o as Job);
      },
      validate: (o: KubeObject) => [...validateObjectMeta(o.metadata, true, nameIsDNSSubdomain), ...validateJob(o as Job)],
      validateUpdate: (o: KubeObject, old: KubeObject) => [
        ...validateObjectMetaUpdate(o.metadata, old.metadata),
        ...validateJobUpdate(o as Job, old as Job),
      ],
      fieldAttributes: (o: KubeObject) => ({ 'status.successful': String((o as Job).status?.succeeded ?? 0) }),
    },
    printer: jobPrinter,
  });
}
