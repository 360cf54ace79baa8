// The cluster PKI: chains verify with Node's own X.509 code, names and usages are what kubectl and
// client-go expect, files are reused on a second start, and the certificates work in a real mTLS handshake.
import { X509Certificate, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import { ensureClusterPki, type ClusterPki } from '../../src/pki/cluster-pki';
import { ensureTokenFile, readAdminToken } from '../../src/pki/tokens';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

let dir: string;
let pki: ClusterPki;
const cert = (file: string): X509Certificate => new X509Certificate(readFileSync(file));

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kubets-pki-'));
  pki = ensureClusterPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the CA is a self-signed CA named kubernetes', () => {
  const ca = cert(pki.ca.cert);
  expect(ca.ca).toBe(true);
  expect(ca.subject).toBe('CN=kubernetes');
  expect(ca.checkIssued(ca)).toBe(true);
  expect(ca.verify(ca.publicKey)).toBe(true);
});

test('the admin certificate is a system:masters client certificate issued by the CA', () => {
  const ca = cert(pki.ca.cert);
  const admin = cert(pki.admin.cert);
  expect(admin.checkIssued(ca)).toBe(true);
  expect(admin.verify(ca.publicKey)).toBe(true);
  expect(admin.subject.split('\n')).toEqual(expect.arrayContaining(['CN=kubernetes-admin', 'O=system:masters']));
  expect(admin.keyUsage).toContain(CLIENT_AUTH);
  expect(admin.keyUsage).not.toContain(SERVER_AUTH);
  expect(admin.ca).toBe(false);
});

test('the serving certificate covers loopback, the host and the kubernetes service names', () => {
  const ca = cert(pki.ca.cert);
  const serving = cert(pki.apiserver.cert);
  expect(serving.checkIssued(ca)).toBe(true);
  expect(serving.verify(ca.publicKey)).toBe(true);
  expect(serving.keyUsage).toContain(SERVER_AUTH);
  for (const ip of ['127.0.0.1', '::1', '10.96.0.1']) expect(serving.checkIP(ip)).toBe(ip);
  for (const host of ['localhost', os.hostname(), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local']) {
    expect(serving.checkHost(host, { subject: 'never', wildcards: false })).toBe(host);
  }
  expect(serving.subjectAltName).toContain('IP Address:127.0.0.1');
});

test('private keys are owner-only', () => {
  for (const p of [pki.ca, pki.apiserver, pki.admin]) expect(statSync(p.key).mode & 0o777).toBe(0o600);
  expect(statSync(pki.serviceAccount.key).mode & 0o777).toBe(0o600);
});

test('the service-account key pair is an RSA pair whose public half verifies what the private half signs', () => {
  const priv = createPrivateKey(readFileSync(pki.serviceAccount.key));
  const pub = createPublicKey(readFileSync(pki.serviceAccount.pub));
  expect(priv.asymmetricKeyType).toBe('rsa');
  const sig = sign('sha256', Buffer.from('x'), priv);
  expect(verify('sha256', Buffer.from('x'), pub, sig)).toBe(true);
});

test('a second start reuses every file; a missing leaf is re-issued alone', () => {
  const before = readFileSync(pki.ca.cert, 'utf8');
  const again = ensureClusterPki(pki.dir);
  expect(again.created).toEqual([]);
  expect(readFileSync(pki.ca.cert, 'utf8')).toBe(before);
  const admin = readFileSync(pki.admin.cert, 'utf8');
  unlinkSync(pki.apiserver.cert);
  const third = ensureClusterPki(pki.dir);
  expect(third.created).toEqual([pki.apiserver.cert]);
  expect(readFileSync(pki.admin.cert, 'utf8')).toBe(admin);
});

test('the token file holds one system:masters token in upstream CSV form', () => {
  const file = path.join(dir, 'pki', 'tokens.csv');
  const token = ensureTokenFile(file);
  expect(ensureTokenFile(file)).toBe(token);
  expect(readAdminToken(file)).toBe(token);
  expect(readFileSync(file, 'utf8')).toBe(`${token},admin-token,admin-token,"system:masters"\n`);
  expect(statSync(file).mode & 0o777).toBe(0o600);
});

test('serving and admin certificates complete a mutual-TLS handshake trusting only the CA', async () => {
  const ca = readFileSync(pki.ca.cert);
  const server = https.createServer({
    cert: readFileSync(pki.apiserver.cert), key: readFileSync(pki.apiserver.key), ca, requestCert: true, rejectUnauthorized: true,
  }, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    res.end(`${String(peer.subject.CN)}/${String(peer.subject.O)}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (server.address() as AddressInfo).port;
    const body = await new Promise<string>((resolve, reject) => {
      https.get({ host: '127.0.0.1', port, path: '/', ca, cert: readFileSync(pki.admin.cert), key: readFileSync(pki.admin.key), agent: false },
        (res) => { let b = ''; res.on('data', (d: Buffer) => { b += d.toString(); }); res.on('end', () => resolve(b)); })
        .on('error', reject);
    });
    expect(body).toBe('kubernetes-admin/system:masters');
  } finally {
    server.close();
  }
});
