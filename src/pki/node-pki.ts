// Certificates for the node and the apiserver's calls to it, signed by the cluster CA: the kubelet's
// client certificate (CN=system:node:<node>, O=system:nodes), its serving certificate, and the
// apiserver's kubelet client certificate. Made once, re-issued when the node's name or address changes.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { issueCertificate, type Signer } from './certs';
import type { CertPaths } from './cluster-pki';
import { writeFileAtomic } from './files';

export interface NodePki { kubeletClient: CertPaths; kubeletServing: CertPaths; apiserverKubeletClient: CertPaths; created: string[] }

const LEAF_DAYS = 365;

function pair(dir: string, base: string): CertPaths {
  return { cert: path.join(dir, `${base}.crt`), key: path.join(dir, `${base}.key`) };
}

/** Whether the certificate at `p` exists, is ours and matches `subject` and (if given) covers `ip`. */
function usable(p: CertPaths, ca: X509Certificate, subject: string, ip?: string): boolean {
  if (!existsSync(p.cert) || !existsSync(p.key)) return false;
  try {
    const cert = new X509Certificate(readFileSync(p.cert));
    if (!cert.checkIssued(ca) || Date.parse(cert.validTo) - Date.now() < 30 * 86400_000) return false;
    if (!cert.subject.split('\n').includes(`CN=${subject}`)) return false;
    return ip === undefined || cert.checkIP(ip) !== undefined;
  } catch { return false; }
}

export function ensureNodePki(pkiDir: string, ca: Signer, nodeName: string, nodeIP: string): NodePki {
  const caCert = new X509Certificate(ca.certPem);
  const out: NodePki = {
    kubeletClient: pair(pkiDir, 'kubelet-client'), kubeletServing: pair(pkiDir, 'kubelet'),
    apiserverKubeletClient: pair(pkiDir, 'apiserver-kubelet-client'), created: [],
  };
  const write = (p: CertPaths, issued: { certPem: string; keyPem: string }): void => {
    writeFileAtomic(p.key, issued.keyPem, 0o600);
    writeFileAtomic(p.cert, issued.certPem, 0o644);
    out.created.push(p.cert);
  };
  const clientCN = `system:node:${nodeName}`;
  if (!usable(out.kubeletClient, caCert, clientCN)) {
    write(out.kubeletClient, issueCertificate(ca, { commonName: clientCN, organizations: ['system:nodes'], usage: 'client', validDays: LEAF_DAYS }));
  }
  if (!usable(out.kubeletServing, caCert, nodeName, nodeIP)) {
    write(out.kubeletServing, issueCertificate(ca, {
      commonName: nodeName, dnsNames: [nodeName, 'localhost'], ipAddresses: [...new Set([nodeIP, '127.0.0.1'])], usage: 'server', validDays: LEAF_DAYS,
    }));
  }
  if (!usable(out.apiserverKubeletClient, caCert, 'kube-apiserver-kubelet-client')) {
    write(out.apiserverKubeletClient, issueCertificate(ca, {
      commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'], usage: 'client', validDays: LEAF_DAYS,
    }));
  }
  return out;
}
