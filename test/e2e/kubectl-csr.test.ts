// certificates.k8s.io/v1 CertificateSigningRequests with stock kubectl: a valid request (openssl-made)
// is stored with the requesting user as spec.username whatever the body says, an invalid one is refused
// with upstream's messages, `kubectl certificate approve/deny` go through the approval subresource, and
// the status subresource cannot approve.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir, kubectl, kubectlOk, table } from './kubectl';

let scratch: string;
let requestB64: string;
const suffix = Math.random().toString(36).slice(2, 7);
const name = (n: string) => `${n}-${suffix}`;

function manifest(n: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: n }, spec });
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(dataDir(), 'csr-'));
  const csrFile = path.join(scratch, 'alice.csr');
  execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(scratch, 'alice.key'),
    '-out', csrFile, '-subj', '/CN=alice/O=dev'], { stdio: 'ignore' });
  requestB64 = readFileSync(csrFile).toString('base64');
});

describe('kubectl and CertificateSigningRequests', () => {
  test('create stores the requesting user, not the body\'s; get prints upstream\'s columns', async () => {
    const me = (await kubectlOk(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'])).trim();
    const out = await kubectlOk(['create', '-f', '-'], {
      input: manifest(name('alice'), {
        request: requestB64, signerName: 'kubernetes.io/kube-apiserver-client', expirationSeconds: 86400,
        usages: ['client auth'], username: 'mallory', groups: ['system:masters-not'],
      }),
    });
    expect(out).toBe(`certificatesigningrequest.certificates.k8s.io/${name('alice')} created\n`);
    const stored = JSON.parse(await kubectlOk(['get', 'csr', name('alice'), '-o', 'json'])) as { spec: { username: string; groups: string[] } };
    expect(stored.spec.username).toBe(me);
    expect(stored.spec.groups).toContain('system:authenticated');
    expect(stored.spec.groups).not.toContain('system:masters-not');
    const rows = table(await kubectlOk(['get', 'csr', name('alice')]));
    expect(rows[0]).toEqual(['NAME', 'AGE', 'SIGNERNAME', 'REQUESTOR', 'REQUESTEDDURATION', 'CONDITION']);
    expect(rows[1]).toEqual([name('alice'), expect.stringMatching(/^\d+s$/), 'kubernetes.io/kube-apiserver-client', me, '24h', 'Pending']);
  });

  test('an invalid request is refused with every reason', async () => {
    const r = await kubectl(['create', '-f', '-'], {
      input: manifest(name('bad'), {
        request: Buffer.from('hi').toString('base64'), signerName: 'example.com', expirationSeconds: 100, usages: ['client auth', 'bogus'],
      }),
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`The CertificateSigningRequest "${name('bad')}" is invalid: `);
    expect(r.stderr).toContain('* spec.request: Invalid value: []byte{0x68, 0x69}: PEM block type must be CERTIFICATE REQUEST');
    expect(r.stderr).toContain('* spec.usages[1]: Unsupported value: "bogus": supported values: "any", "cert sign", "client auth"');
    expect(r.stderr).toContain(`* spec.signerName: Invalid value: "example.com": must be a fully qualified domain and path of the form 'example.com/signer-name'`);
    expect(r.stderr).toContain('* spec.expirationSeconds: Invalid value: 100: may not specify a duration less than 600 seconds (10 minutes)');
    const missing = await kubectl(['create', '-f', '-'], { input: manifest(name('nosigner'), { request: requestB64, usages: ['client auth'] }) });
    expect(missing.stderr).toContain(`The CertificateSigningRequest "${name('nosigner')}" is invalid: spec.signerName: Required value`);
    expect((await kubectl(['get', 'csr', name('bad')])).code).not.toBe(0);
  });

  test('the status subresource cannot approve; kubectl certificate approve can, and a second verdict is refused', async () => {
    const viaStatus = await kubectl(['patch', 'csr', name('alice'), '--subresource=status', '--type=merge',
      '-p', '{"status":{"conditions":[{"type":"Approved","status":"True","reason":"Sneaky"}]}}']);
    expect(viaStatus.code).not.toBe(0);
    expect(viaStatus.stderr).toContain('status.conditions: Forbidden: updates may not add a condition of type "Approved"');
    // The main resource ignores status (and spec) changes altogether.
    expect(await kubectlOk(['patch', 'csr', name('alice'), '--type=merge', '-p', '{"status":{"conditions":[{"type":"Approved","status":"True"}]}}']))
      .toBe(`certificatesigningrequest.certificates.k8s.io/${name('alice')} patched (no change)\n`);

    expect(await kubectlOk(['certificate', 'approve', name('alice')])).toBe(`certificatesigningrequest.certificates.k8s.io/${name('alice')} approved\n`);
    const csr = JSON.parse(await kubectlOk(['get', 'csr', name('alice'), '-o', 'json'])) as { status: { conditions: Record<string, string>[] } };
    expect(csr.status.conditions).toEqual([expect.objectContaining({
      type: 'Approved', status: 'True', reason: 'KubectlApprove', lastUpdateTime: expect.any(String), lastTransitionTime: expect.any(String),
    })]);
    expect(table(await kubectlOk(['get', 'csr', name('alice')]))[1]?.[5]).toBe('Approved');
    const deny = await kubectl(['certificate', 'deny', name('alice')]);
    expect(deny.code).not.toBe(0);
    expect(deny.stderr).toContain(`certificate signing request "${name('alice')}" is already Approved`);
  });

  test('kubectl certificate deny marks a pending request Denied', async () => {
    await kubectlOk(['create', '-f', '-'], {
      input: manifest(name('carol'), { request: requestB64, signerName: 'example.com/my-signer', usages: ['digital signature', 'server auth'] }),
    });
    expect(await kubectlOk(['certificate', 'deny', name('carol')])).toBe(`certificatesigningrequest.certificates.k8s.io/${name('carol')} denied\n`);
    const row = table(await kubectlOk(['get', 'csr', name('carol'), '--no-headers']))[0];
    expect(row?.slice(2)).toEqual(['example.com/my-signer', expect.any(String), '<none>', 'Denied']);
  });
});
