// certificates.k8s.io/v1 CertificateSigningRequest validation, with upstream's rules and wording: a signed
// PEM CERTIFICATE REQUEST, a well-formed signerName, known and distinct usages, expirationSeconds >= 600,
// well-formed conditions; updates may not remove Approved/Denied/Failed conditions, only the approval
// subresource may add or change Approved/Denied, and only the status subresource may set the certificate.
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import type { CertificateSigningRequest, CertificateSigningRequestCondition } from 'kubernetes-types/certificates/v1';
import {
  duplicate, FieldError, FieldPath, forbiddenField, invalidValue, notSupported, required, tooLong,
} from '../field-error';
import { isDNS1123Label, isDNS1123Subdomain } from './names';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta';

export const validKeyUsages = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment',
  'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing',
  'email protection', 's/mime', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing',
  'microsoft sgc', 'netscape sgc',
];
const sortedUsages = [...validKeyUsages].sort();

/** Condition types that, when present, may only be True. */
const trueOnlyConditions = ['Approved', 'Denied', 'Failed'];
const LEGACY_UNKNOWN_SIGNER = 'kubernetes.io/legacy-unknown';

/** Go's %#v of a []byte, the way upstream shows an invalid spec.request. */
function goBytes(b: Buffer): string {
  return `[]byte{${[...b].map((x) => `0x${x.toString(16)}`).join(', ')}}`;
}

/** Why a PEM PKCS#10 request is unusable (undefined when it parses and its signature verifies). */
export function csrRequestError(pem: string): string | undefined {
  const m = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem);
  if (!m || m[1] !== 'CERTIFICATE REQUEST') return 'PEM block type must be CERTIFICATE REQUEST';
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(pem);
  } catch (e) {
    // forge parses RSA keys only; other key types cannot be checked here and are accepted as upstream would.
    const msg = e instanceof Error ? e.message : String(e);
    if (/OID is not RSA/i.test(msg)) return undefined;
    return `asn1: structure error: ${msg}`;
  }
  try {
    if (csr.verify()) return undefined;
  } catch { /* a signature that does not even decrypt fails as one that does not match */ }
  return 'crypto/rsa: verification error';
}

/** Upstream's ValidateSignerName: `<domain with a dot>/<path of DNS subdomains>`, at most 571 characters. */
export function validateSignerName(p: FieldPath, signerName: string | undefined): FieldError[] {
  if (!signerName) return [required(p)];
  const segments = signerName.split('/');
  if (segments.length !== 2) {
    return [invalidValue(p, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  }
  const [domain, path] = segments as [string, string];
  const errs: FieldError[] = [];
  if (domain.length > 253) errs.push(tooLong(p, 253));
  const domainLabels = domain.split('.');
  for (const lbl of domainLabels) {
    const msgs = isDNS1123Label(lbl);
    if (msgs.length) { for (const msg of msgs) errs.push(invalidValue(p, domain, `validating label "${lbl}": ${msg}`)); break; }
  }
  if (domainLabels.length < 2) errs.push(invalidValue(p, domain, 'should be a domain with at least two segments separated by dots'));
  for (const lbl of path.split('.')) {
    const msgs = isDNS1123Subdomain(lbl);
    if (msgs.length) { for (const msg of msgs) errs.push(invalidValue(p, path, `validating label "${lbl}": ${msg}`)); break; }
  }
  const max = 253 + (253 + 63 + 1) + 1;
  if (signerName.length > max) errs.push(tooLong(p, max));
  return errs;
}

function certificateError(b64: string | undefined): string | undefined {
  if (!b64) return undefined;
  const pem = Buffer.from(b64, 'base64').toString('utf8');
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
  if (blocks.length === 0) return 'must contain at least one CERTIFICATE PEM block';
  for (const b of blocks) {
    if (b[1] !== 'CERTIFICATE') return `only CERTIFICATE PEM blocks are allowed, found "${b[1]}"`;
    if (/^[A-Za-z-]+:/m.test(b[2]!)) return 'no PEM block headers are permitted';
    try { new X509Certificate(b[0]); } catch (e) { return `x509: malformed certificate: ${e instanceof Error ? e.message : String(e)}`; }
  }
  return undefined;
}

function validateConditions(p: FieldPath, conds: CertificateSigningRequestCondition[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conds.forEach((c, i) => {
    const cp = p.index(i);
    if (!c.type) errs.push(required(cp.child('type')));
    const allowed = trueOnlyConditions.includes(c.type) ? ['True'] : ['False', 'True', 'Unknown'];
    if (!c.status) errs.push(required(cp.child('status')));
    else if (!allowed.includes(c.status)) errs.push(notSupported(cp.child('status'), c.status, allowed));
    if (c.type === 'Approved') {
      approved = true;
      if (denied) errs.push(invalidValue(cp.child('type'), c.type, 'Approved and Denied conditions are mutually exclusive'));
    } else if (c.type === 'Denied') {
      denied = true;
      if (approved) errs.push(invalidValue(cp.child('type'), c.type, 'Approved and Denied conditions are mutually exclusive'));
    }
    if (seen.has(c.type)) errs.push(duplicate(cp.child('type'), c.type));
    seen.add(c.type);
  });
  return errs;
}

export function validateCertificateSigningRequest(csr: CertificateSigningRequest): FieldError[] {
  const errs = validateObjectMeta(csr.metadata, false, () => []);
  const spec = FieldPath.root('spec');
  const raw = Buffer.from(csr.spec?.request ?? '', 'base64');
  const reqErr = csrRequestError(raw.toString('utf8'));
  if (reqErr) errs.push(new FieldError('Invalid', String(spec.child('request')), undefined, `${goBytes(raw)}: ${reqErr}`, true));
  const usages = csr.spec?.usages ?? [];
  if (usages.length === 0) errs.push(required(spec.child('usages')));
  usages.forEach((u, i) => { if (!validKeyUsages.includes(u)) errs.push(notSupported(spec.child('usages').index(i), u, sortedUsages)); });
  usages.forEach((u, i) => { if (usages.indexOf(u) !== i) errs.push(duplicate(spec.child('usages').index(i), u)); });
  if (csr.spec?.signerName === LEGACY_UNKNOWN_SIGNER) {
    errs.push(invalidValue(spec.child('signerName'), csr.spec.signerName, 'the legacy signerName is not allowed via this API version'));
  } else {
    errs.push(...validateSignerName(spec.child('signerName'), csr.spec?.signerName));
  }
  const exp = csr.spec?.expirationSeconds;
  if (exp !== undefined && exp !== null && exp < 600) {
    errs.push(invalidValue(spec.child('expirationSeconds'), exp, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  errs.push(...validateConditions(FieldPath.root('status').child('conditions'), csr.status?.conditions ?? []));
  const certErr = certificateError(csr.status?.certificate);
  if (certErr) errs.push(invalidValue(FieldPath.root('status').child('certificate'), '<certificate data>', certErr));
  return errs;
}

export type CsrUpdatePath = 'main' | 'status' | 'approval';

const ofType = (csr: CertificateSigningRequest, t: string) => (csr.status?.conditions ?? []).filter((c) => c.type === t);

/** The update rules (validateCertificateSigningRequest runs as well): which path may change what. */
export function validateCertificateSigningRequestUpdate(csr: CertificateSigningRequest, old: CertificateSigningRequest,
  via: CsrUpdatePath): FieldError[] {
  const errs: FieldError[] = [];
  const conds = FieldPath.root('status').child('conditions');
  for (const t of ['Approved', 'Denied', 'Failed']) {
    if (ofType(csr, t).length < ofType(old, t).length) errs.push(forbiddenField(conds, `updates may not remove a condition of type "${t}"`));
  }
  if (via !== 'approval') {
    for (const t of ['Approved', 'Denied']) {
      const before = ofType(old, t);
      const after = ofType(csr, t);
      if (after.length > before.length) errs.push(forbiddenField(conds, `updates may not add a condition of type "${t}"`));
      else if (after.length === before.length && JSON.stringify(after) !== JSON.stringify(before)) {
        errs.push(forbiddenField(conds, `updates may not modify a condition of type "${t}"`));
      }
    }
  }
  const cert = csr.status?.certificate ?? '';
  const oldCert = old.status?.certificate ?? '';
  if (cert !== oldCert) {
    if (via !== 'status') errs.push(forbiddenField(FieldPath.root('status').child('certificate'), 'updates may not set certificate content'));
    else if (oldCert) errs.push(forbiddenField(FieldPath.root('status').child('certificate'), 'updates may not modify existing certificate content'));
  }
  errs.push(...validateObjectMetaUpdate(csr.metadata, old.metadata));
  return errs;
}
