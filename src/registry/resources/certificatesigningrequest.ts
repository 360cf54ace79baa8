// certificates.k8s.io/v1 CertificateSigningRequest: cluster-scoped; spec.username/uid/groups/extra come
// from the requesting user, never from the body; spec and status are fixed on the main resource; the
// status subresource sets the certificate and other conditions, the approval subresource Approved/Denied.
import type { CertificateSigningRequest, CertificateSigningRequestCondition } from 'kubernetes-types/certificates/v1';
import { csrPrinter } from '../printers/cluster-classes';
import { defineResource } from '../resource-table';
import type { CreateContext, KubeObject, ResourceDef, Writable } from '../resource-types';
import { nowTimestamp } from '../object-meta';
import { validateCertificateSigningRequest, validateCertificateSigningRequestUpdate, type CsrUpdatePath } from '../validation/certificates';

type Csr = Writable<CertificateSigningRequest>;
type Condition = Writable<CertificateSigningRequestCondition>;

/** Fills lastUpdateTime when missing, and lastTransitionTime from the same type and status before, else now. */
function stampConditions(csr: Csr, old: Csr): void {
  const now = nowTimestamp();
  for (const c of (csr.status?.conditions ?? []) as Condition[]) {
    c.lastUpdateTime ||= now;
    if (!c.lastTransitionTime) {
      const same = old.status?.conditions?.find((o) => o.type === c.type && o.status === c.status && o.lastTransitionTime);
      c.lastTransitionTime = same?.lastTransitionTime ?? now;
    }
  }
}

/** The status subresource keeps each existing Approved/Denied condition as it was (adding or removing fails validation). */
function keepApprovalConditions(csr: Csr, old: Csr): void {
  const conds = csr.status?.conditions as Condition[] | undefined;
  if (!conds) return;
  for (const t of ['Approved', 'Denied']) {
    const before = (old.status?.conditions ?? []).filter((c) => c.type === t);
    const idx = conds.flatMap((c, i) => (c.type === t ? [i] : []));
    if (before.length !== idx.length) continue;
    idx.forEach((at, k) => { conds[at] = structuredClone(before[k]!) as Condition; });
  }
}

const validateUpdateVia = (via: CsrUpdatePath) => (o: KubeObject, old: KubeObject) =>
  validateCertificateSigningRequestUpdate(o as unknown as CertificateSigningRequest, old as unknown as CertificateSigningRequest, via);

export function certificateSigningRequestResource(): ResourceDef {
  return defineResource({
    group: 'certificates.k8s.io', version: 'v1', kind: 'CertificateSigningRequest', plural: 'certificatesigningrequests',
    shortNames: ['csr'], namespaced: false, openapiName: 'io.k8s.api.certificates.v1.CertificateSigningRequest',
    subresources: { status: true, others: ['approval'] },
    strategy: {
      prepareForCreate(o: KubeObject, ctx: CreateContext) {
        const csr = o as unknown as Csr;
        const spec = (csr.spec ??= {} as Csr['spec']);
        delete spec.username; delete spec.uid; delete spec.groups; delete spec.extra;
        if (ctx.user) {
          spec.username = ctx.user.username;
          if (ctx.user.uid) spec.uid = ctx.user.uid;
          spec.groups = [...ctx.user.groups];
          if (ctx.user.extra && Object.keys(ctx.user.extra).length) spec.extra = structuredClone(ctx.user.extra);
        }
        // Nobody creates a request that is already approved or issued.
        csr.status = {};
      },
      validate: (o: KubeObject) => validateCertificateSigningRequest(o as unknown as CertificateSigningRequest),
      prepareForUpdate(o: KubeObject, old: KubeObject) {
        o.spec = structuredClone(old.spec);
        o.status = structuredClone(old.status);
      },
      validateUpdate: validateUpdateVia('main'),
      subresourceUpdates: {
        status: {
          prepare(o: KubeObject, old: KubeObject) { keepApprovalConditions(o as unknown as Csr, old as unknown as Csr); stampConditions(o as unknown as Csr, old as unknown as Csr); },
          validateUpdate: validateUpdateVia('status'),
        },
        approval: {
          prepare(o: KubeObject, old: KubeObject) {
            stampConditions(o as unknown as Csr, old as unknown as Csr);
            // Only the conditions change through approval; the certificate stays as it was.
            const conditions = (o as unknown as Csr).status?.conditions;
            o.status = { ...structuredClone((old as unknown as Csr).status ?? {}), ...(conditions ? { conditions } : {}) };
            if (!conditions) delete (o.status as { conditions?: unknown }).conditions;
          },
          validateUpdate: validateUpdateVia('approval'),
        },
      },
      fieldAttributes: (o: KubeObject) => ({ 'spec.signerName': (o as unknown as CertificateSigningRequest).spec?.signerName ?? '' }),
    },
    printer: csrPrinter,
  });
}
