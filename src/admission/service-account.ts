// ServiceAccount admission (the part that needs no tokens yet): pods run as the namespace's
// `default` service account unless they name one. Token projection arrives with the security work.
import type { Pod } from 'kubernetes-types/core/v1';
import type { AdmissionPlugin } from './admission';

export const serviceAccountAdmission: AdmissionPlugin = {
  name: 'ServiceAccount',
  mutate(a) {
    if (a.operation !== 'CREATE' || a.subresource !== '' || a.def.group !== '' || a.def.plural !== 'pods' || !a.object) return;
    const pod = a.object as Pod;
    const spec = pod.spec;
    if (!spec) return;
    if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || 'default';
    spec.serviceAccount = spec.serviceAccountName;
  },
};
