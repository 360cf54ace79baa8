// Key and X.509 certificate primitives: RSA keys come from Node's native crypto (fast), certificates
// are built and signed with node-forge (Node can parse certificates but cannot issue them).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPair { keyPem: string; publicKeyPem: string }
export interface Issued { certPem: string; keyPem: string }
export interface Signer { certPem: string; keyPem: string }

export interface CertRequest {
  commonName: string;
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: 'server' | 'client';
  validDays: number;
}

export function newRsaKey(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  // PKCS#1 ("RSA PRIVATE KEY") is what kubeadm writes, so tools that sniff the PEM type are happy.
  return {
    keyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function newCertificate(publicKeyPem: string, validDays: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  // A leading 0x01 byte keeps the DER INTEGER positive and 20 bytes long, as RFC 5280 asks.
  cert.serialNumber = '01' + randomBytes(19).toString('hex');
  // Back-date by an hour so a slightly skewed clock does not reject a certificate made a moment ago.
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + validDays * 24 * 60 * 60 * 1000);
  return cert;
}

function subjectOf(commonName: string, organizations: string[] = []): forge.pki.CertificateField[] {
  return [...organizations.map((o) => ({ shortName: 'O', value: o })), { shortName: 'CN', value: commonName }];
}

/** A self-signed certificate authority. */
export function selfSignedCA(commonName: string, validDays: number): Issued {
  const key = newRsaKey();
  const cert = newCertificate(key.publicKeyPem, validDays);
  cert.setSubject(subjectOf(commonName));
  cert.setIssuer(subjectOf(commonName));
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(key.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: key.keyPem };
}

/** A leaf certificate for a fresh key, signed by `ca`. */
export function issueCertificate(ca: Signer, req: CertRequest): Issued {
  const key = newRsaKey();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = newCertificate(key.publicKeyPem, req.validDays);
  cert.setSubject(subjectOf(req.commonName, req.organizations));
  cert.setIssuer(caCert.subject.attributes);
  const altNames = [
    ...(req.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(req.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: req.usage === 'server', clientAuth: req.usage === 'client' },
    { name: 'subjectKeyIdentifier' },
    // Chain builders (Go's x509 included) match this against the CA's subjectKeyIdentifier.
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: key.keyPem };
}
