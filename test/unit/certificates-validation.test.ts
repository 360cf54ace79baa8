// CertificateSigningRequest validation with upstream's rules and wording: the PKCS#10 request (PEM type and
// signature), signerName syntax, usages, expirationSeconds, conditions, and which update path may change what.
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1';
import { csrRequestError, validateCertificateSigningRequest, validateCertificateSigningRequestUpdate, validateSignerName } from '../../src/registry/validation/certificates';
import { FieldPath } from '../../src/registry/field-error';

function pkcs10(cn: string): string {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const req = forge.pki.createCertificationRequest();
  req.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  req.setSubject([{ name: 'commonName', value: cn }]);
  req.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(req);
}

const pem = pkcs10('alice');
const csr = (over: Partial<CertificateSigningRequest['spec']> = {}, conditions?: { type: string; status: string }[]): CertificateSigningRequest => ({
  metadata: { name: 'c' },
  spec: { request: Buffer.from(pem).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], ...over },
  ...(conditions ? { status: { conditions } } : {}),
});
const messages = (errs: { toString(): string }[]) => errs.map(String);

describe('CertificateSigningRequest validation', () => {
  test('a signed PKCS#10 request with a good signer and usages is valid', () => {
    expect(validateCertificateSigningRequest(csr({ expirationSeconds: 600 }))).toEqual([]);
  });

  test('the request must be a PEM CERTIFICATE REQUEST whose signature verifies', () => {
    expect(csrRequestError('hello')).toBe('PEM block type must be CERTIFICATE REQUEST');
    expect(csrRequestError(pem.replace('CERTIFICATE REQUEST', 'CERTIFICATE').replace('CERTIFICATE REQUEST', 'CERTIFICATE'))).toBe('PEM block type must be CERTIFICATE REQUEST');
    // Another request's signature over this one's body does not verify.
    const other = pkcs10('bob');
    const body = (p: string) => forge.pki.certificationRequestFromPem(p);
    const forged = body(pem);
    forged.signature = body(other).signature;
    expect(csrRequestError(forge.pki.certificationRequestToPem(forged))).toBe('crypto/rsa: verification error');
    expect(messages(validateCertificateSigningRequest(csr({ request: Buffer.from('hi').toString('base64') }))))
      .toEqual(['spec.request: Invalid value: []byte{0x68, 0x69}: PEM block type must be CERTIFICATE REQUEST']);
  });

  test.each([
    ['', 'spec.signerName: Required value'],
    ['example.com', `spec.signerName: Invalid value: "example.com": must be a fully qualified domain and path of the form 'example.com/signer-name'`],
    ['example/signer', 'spec.signerName: Invalid value: "example": should be a domain with at least two segments separated by dots'],
    ['Example.com/signer', 'spec.signerName: Invalid value: "Example.com": validating label "Example"'],
    ['example.com/Signer', 'spec.signerName: Invalid value: "Signer": validating label "Signer"'],
  ])('signerName %j', (name, want) => {
    const errs = messages(validateSignerName(FieldPath.root('spec').child('signerName'), name));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toContain(want);
  });

  test('the legacy signer is refused; usages known and distinct; at least 600 seconds', () => {
    expect(messages(validateCertificateSigningRequest(csr({ signerName: 'kubernetes.io/legacy-unknown', usages: [], expirationSeconds: 599 })))).toEqual([
      'spec.usages: Required value',
      'spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version',
      'spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)',
    ]);
    const errs = messages(validateCertificateSigningRequest(csr({ usages: ['server auth', 'nope', 'server auth'] })));
    expect(errs[0]).toMatch(/^spec\.usages\[1\]: Unsupported value: "nope": supported values: "any", "cert sign", "client auth"/);
    expect(errs[1]).toBe('spec.usages[2]: Duplicate value: "server auth"');
  });

  test('conditions: Approved/Denied/Failed only True, Approved and Denied exclusive, no duplicate types', () => {
    expect(messages(validateCertificateSigningRequest(csr({}, [{ type: 'Approved', status: 'False' }, { type: 'Denied', status: 'True' }, { type: 'Denied', status: 'True' }])))).toEqual([
      'status.conditions[0].status: Unsupported value: "False": supported values: "True"',
      'status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
      'status.conditions[2].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
      'status.conditions[2].type: Duplicate value: "Denied"',
    ]);
  });

  test('only approval adds Approved/Denied; no path removes them; only status sets the certificate', () => {
    const pending = csr();
    const approved = csr({}, [{ type: 'Approved', status: 'True' }]);
    expect(validateCertificateSigningRequestUpdate(approved, pending, 'approval')).toEqual([]);
    expect(messages(validateCertificateSigningRequestUpdate(approved, pending, 'status'))).toEqual(['status.conditions: Forbidden: updates may not add a condition of type "Approved"']);
    expect(messages(validateCertificateSigningRequestUpdate(pending, approved, 'approval'))).toEqual(['status.conditions: Forbidden: updates may not remove a condition of type "Approved"']);
    const issued = { ...approved, status: { ...approved.status, certificate: 'Zm9v' } };
    expect(messages(validateCertificateSigningRequestUpdate(issued, approved, 'approval'))).toEqual(['status.certificate: Forbidden: updates may not set certificate content']);
    expect(validateCertificateSigningRequestUpdate(issued, approved, 'status')).toEqual([]);
  });
});
