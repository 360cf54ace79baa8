// The cluster's PKI under <data-dir>/pki: a CA, the apiserver serving certificate, the admin client
// certificate and the service-account signing key pair (sa.key, sa.pub, as kubeadm names them). Made on first start, reused afterwards, and leaves re-issued only when no longer usable.
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { hostIPv4 } from '../host-address';
import path from 'node:path';
import { issueCertificate, selfSignedCA, type Issued, type Signer } from './certs';
import { writeFileAtomic } from './files';

export interface CertPaths { cert: string; key: string }

export interface ClusterPki {
  dir: string;
  ca: CertPaths;
  apiserver: CertPaths;
  admin: CertPaths;
  /** The key pair service-account tokens are signed with (private) and verified with (public). */
  serviceAccount: { key: string; pub: string };
  /** What happened on this call, for the `up` log: which files were created. */
  created: string[];
}

export const CA_COMMON_NAME = 'kubernetes';
export const ADMIN_USER = 'kubernetes-admin';
export const ADMIN_GROUP = 'system:masters';
/** The first address of the default --service-cluster-ip-range, which the `kubernetes` Service gets. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

const CA_DAYS = 3650;
const LEAF_DAYS = 365;
// Re-issue a leaf that expires within this many days, so a long-lived dev cluster never lapses mid-use.
const RENEW_BEFORE_DAYS = 30;

export function apiserverDnsNames(): string[] {
  return [...new Set(['localhost', os.hostname(), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local'].filter(Boolean))];
}

export function apiserverIps(): string[] {
  // The node address too: it is the `kubernetes` Service's endpoint (hostIPv4, as bootstrap names it).
  return [...new Set(['127.0.0.1', '::1', KUBERNETES_SERVICE_IP, hostIPv4()])];
}

function pathsIn(dir: string, base: string): CertPaths {
  return { cert: path.join(dir, `${base}.crt`), key: path.join(dir, `${base}.key`) };
}

function readPair(p: CertPaths): Issued | undefined {
  if (!existsSync(p.cert) || !existsSync(p.key)) return undefined;
  return { certPem: readFileSync(p.cert, 'utf8'), keyPem: readFileSync(p.key, 'utf8') };
}

function writePair(p: CertPaths, pair: Issued): void {
  writeFileAtomic(p.key, pair.keyPem, 0o600);
  writeFileAtomic(p.cert, pair.certPem, 0o644);
}

/** Whether an existing leaf is still good: signed by this CA, not near expiry, and (if given) covering the wanted names. */
function leafUsable(pair: Issued, ca: X509Certificate, names?: { dns: string[]; ips: string[] }): boolean {
  let cert: X509Certificate;
  try { cert = new X509Certificate(pair.certPem); } catch { return false; }
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
  if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_DAYS * 24 * 3600 * 1000) return false;
  if (!names) return true;
  // The host may have been renamed since the certificate was made.
  return names.dns.every((n) => cert.checkHost(n, { subject: 'never', wildcards: false }) === n)
    && names.ips.every((ip) => cert.checkIP(ip) !== undefined);
}

/** Creates whatever is missing or unusable under `dir` and returns the file paths. */
export function ensureClusterPki(dir: string): ClusterPki {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const created: string[] = [];
  const caPaths = pathsIn(dir, 'ca');
  let ca: Signer | undefined = readPair(caPaths);
  if (!ca) {
    ca = selfSignedCA(CA_COMMON_NAME, CA_DAYS);
    writePair(caPaths, ca);
    created.push(caPaths.cert);
  }
  const caCert = new X509Certificate(ca.certPem);

  const serving = pathsIn(dir, 'apiserver');
  const names = { dns: apiserverDnsNames(), ips: apiserverIps() };
  const existingServing = readPair(serving);
  if (!existingServing || !leafUsable(existingServing, caCert, names)) {
    writePair(serving, issueCertificate(ca, {
      commonName: 'kube-apiserver', dnsNames: names.dns, ipAddresses: names.ips, usage: 'server', validDays: LEAF_DAYS,
    }));
    created.push(serving.cert);
  }

  const admin = pathsIn(dir, 'admin');
  const existingAdmin = readPair(admin);
  if (!existingAdmin || !leafUsable(existingAdmin, caCert)) {
    writePair(admin, issueCertificate(ca, {
      commonName: ADMIN_USER, organizations: [ADMIN_GROUP], usage: 'client', validDays: LEAF_DAYS,
    }));
    created.push(admin.cert);
  }
  const serviceAccount = { key: path.join(dir, 'sa.key'), pub: path.join(dir, 'sa.pub') };
  if (!existsSync(serviceAccount.key) || !existsSync(serviceAccount.pub)) {
    // RSA 2048, signed RS256: the algorithm every service-account token consumer accepts.
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileAtomic(serviceAccount.key, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
    writeFileAtomic(serviceAccount.pub, pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 0o644);
    created.push(serviceAccount.pub);
  }
  return { dir, ca: caPaths, apiserver: serving, admin, serviceAccount, created };
}
