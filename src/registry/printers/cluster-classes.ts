// `kubectl get` columns for the cluster-wide class kinds: priorityclasses, runtimeclasses, and
// certificatesigningrequests (whose CONDITION column summarises approval, failure and issuance).
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1';
import type { RuntimeClass } from 'kubernetes-types/node/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { KubeObject, Printer } from '../resource-types';
import { ageColumn, ageSince, col, humanDuration, nameColumn } from './index-helpers';

const age = (o: KubeObject) => ageSince(o.metadata?.creationTimestamp);
const name = (o: KubeObject) => o.metadata?.name ?? '';

export const priorityClassPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Value', 'integer', 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.'),
    col('Global-Default', 'boolean', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.'),
    ageColumn(),
    col('PreemptionPolicy', 'string', 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.'),
  ],
  row: (o) => {
    const pc = o as unknown as PriorityClass;
    return [name(o), pc.value ?? 0, pc.globalDefault ?? false, age(o), pc.preemptionPolicy ?? ''];
  },
};

export const runtimeClassPrinter: Printer = {
  columns: [nameColumn(), col('Handler', 'string', ''), ageColumn()],
  row: (o) => [name(o), (o as unknown as RuntimeClass).handler ?? '', age(o)],
};

/** Denied over Approved over Pending, then `,Failed` and `,Issued`, as upstream's extractCSRStatus. */
export function csrCondition(csr: CertificateSigningRequest): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let s = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) s += ',Failed';
  if (csr.status?.certificate) s += ',Issued';
  return s;
}

export const csrPrinter: Printer = {
  columns: [
    nameColumn(),
    ageColumn(),
    col('SignerName', 'string', 'Requested signer for the request. It is a qualified name in the form: `scope-hostname.io/name`.'),
    col('Requestor', 'string', 'Base64-encoded PKCS#10 CSR data'),
    col('RequestedDuration', 'string', 'expirationSeconds is the requested duration of validity of the issued certificate.'),
    col('Condition', 'string', 'Conditions applied to the request, such as approval or denial.'),
  ],
  row: (o) => {
    const csr = o as unknown as CertificateSigningRequest;
    const exp = csr.spec?.expirationSeconds;
    return [name(o), age(o), csr.spec?.signerName || '<none>', csr.spec?.username ?? '',
      exp === undefined ? '<none>' : humanDuration(exp * 1000), csrCondition(csr)];
  },
};
