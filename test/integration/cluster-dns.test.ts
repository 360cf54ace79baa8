// `kubets dns` as `up` runs it for the suite's cluster: Services and their backends written through the
// API, then real DNS queries over UDP on loopback (dns-packet on the client side) until the answers follow.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { RecordType } from 'dns-packet';
import type { DnsLayout } from '../../src/cmd/cluster-layout';
import { queryUdp, type DnsReply } from '../../src/node/dns/dns-client';
import { createNamespace, dataDir, waitFor } from '../e2e/kubectl';
import { ok, request } from './http';
import { writeBackends } from './service-backends';

let dns: DnsLayout;
let ns: string;

const ask = (name: string, type: RecordType): Promise<DnsReply> => queryUdp(dns.address, dns.port, name, type);
const values = (r: DnsReply, type: string) => (r.answers ?? []).filter((a) => a.type === type).map((a) => (a as { data: unknown }).data);

/** Polls until `check` holds for the answer (the DNS follows the API through a watch, not instantly). */
async function until(name: string, type: RecordType, check: (r: DnsReply) => boolean): Promise<DnsReply> {
  let last: DnsReply | undefined;
  try {
    return await waitFor(`${type} ${name}`, async () => { last = await ask(name, type); return check(last) && last; }, 10_000, 50);
  } catch (e) {
    throw new Error(`${(e as Error).message}; last answer: ${JSON.stringify({ rcode: last?.rcode, answers: last?.answers })}`);
  }
}

async function createService(spec: Record<string, unknown>, name: string): Promise<{ spec: { clusterIP: string } }> {
  return ok('POST', `/api/v1/namespaces/${ns}/services`, { body: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec } });
}

beforeAll(async () => {
  const layout = JSON.parse(readFileSync(path.join(dataDir(), 'cluster.json'), 'utf8')) as { dns?: DnsLayout };
  if (!layout.dns) throw new Error('cluster.json has no dns address: `up` did not start the DNS');
  dns = layout.dns;
  ns = await createNamespace('dns');
});

describe('cluster DNS over UDP against the API', () => {
  test('bootstrap created kube-dns at the tenth service address, and DNS resolves it', async () => {
    const svc = await ok<{ spec: { clusterIP: string; ports: { name: string; port: number; protocol: string }[] } }>('GET', '/api/v1/namespaces/kube-system/services/kube-dns');
    expect(svc.spec.clusterIP).toBe('10.96.0.10');
    expect(svc.spec.ports.map((p) => `${p.name}:${p.port}/${p.protocol}`)).toEqual(['dns:53/UDP', 'dns-tcp:53/TCP', 'metrics:9153/TCP']);
    const r = await ask('kube-dns.kube-system.svc.cluster.local', 'A');
    expect(values(r, 'A')).toEqual(['10.96.0.10']);
    expect(values(await ask('kubernetes.default.svc.cluster.local', 'A'), 'A')).toEqual(['10.96.0.1']);
  });

  test('a new ClusterIP Service appears, its named port has SRV, and deleting it gives NXDOMAIN', async () => {
    const svc = await createService({ ports: [{ name: 'http', port: 80, targetPort: 8080 }] }, 'web');
    const name = `web.${ns}.svc.cluster.local`;
    await until(name, 'A', (r) => values(r, 'A')[0] === svc.spec.clusterIP);
    const srv = await ask(`_http._tcp.${name}`, 'SRV');
    expect(values(srv, 'SRV')).toEqual([{ priority: 0, weight: 100, port: 80, target: name }]);
    const rev = svc.spec.clusterIP.split('.').reverse().join('.') + '.in-addr.arpa';
    expect(values(await ask(rev, 'PTR'), 'PTR')).toEqual([name]);
    await ok('DELETE', `/api/v1/namespaces/${ns}/services/web`);
    await until(name, 'A', (r) => r.rcode === 'NXDOMAIN');
  });

  test('a headless Service answers with ready endpoint IPs and StatefulSet-style hostnames, following changes', async () => {
    await createService({ clusterIP: 'None', ports: [{ name: 'web', port: 80 }] }, 'nginx');
    await writeBackends(ns, 'nginx', [
      { ip: '10.244.7.10', hostname: 'web-0' }, { ip: '10.244.7.11', hostname: 'web-1' }, { ip: '10.244.7.12', ready: false },
    ], [{ name: 'web', port: 80 }]);
    const fqdn = `nginx.${ns}.svc.cluster.local`;
    await until(fqdn, 'A', (r) => JSON.stringify(values(r, 'A').sort()) === JSON.stringify(['10.244.7.10', '10.244.7.11']));
    expect(values(await ask(`web-0.${fqdn}`, 'A'), 'A')).toEqual(['10.244.7.10']);
    expect(values(await ask('11.7.244.10.in-addr.arpa', 'PTR'), 'PTR')).toEqual([`web-1.${fqdn}`]);
    // The pod behind web-0 is recreated with a new IP: the name follows it.
    await writeBackends(ns, 'nginx', [{ ip: '10.244.7.20', hostname: 'web-0' }, { ip: '10.244.7.11', hostname: 'web-1' }], [{ name: 'web', port: 80 }]);
    await until(`web-0.${fqdn}`, 'A', (r) => values(r, 'A')[0] === '10.244.7.20');
  });

  test('ExternalName is a CNAME; pod names resolve; the rest of cluster.local is NXDOMAIN; the outside is REFUSED', async () => {
    await createService({ type: 'ExternalName', externalName: 'db.example.com' }, 'ext');
    await until(`ext.${ns}.svc.cluster.local`, 'A', (r) => values(r, 'CNAME')[0] === 'db.example.com');
    expect(values(await ask(`10-244-7-99.${ns}.pod.cluster.local`, 'A'), 'A')).toEqual(['10.244.7.99']);
    const missing = await ask(`missing.${ns}.svc.cluster.local`, 'A');
    expect(missing.rcode).toBe('NXDOMAIN');
    expect(missing.authorities?.[0]?.type).toBe('SOA');
    expect((await ask('example.com', 'A')).rcode).toBe('REFUSED');
  });

  test('TCP carries the same answers (two-byte framed)', async () => {
    const net = await import('node:net');
    const dnsPacket = await import('dns-packet');
    const q = dnsPacket.encode({ type: 'query', id: 77, questions: [{ name: 'kubernetes.default.svc.cluster.local', type: 'A' }] });
    const frame = Buffer.concat([Buffer.from([q.length >> 8, q.length & 0xff]), q]);
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const s = net.connect(dns.port, dns.address, () => s.write(frame));
      let buf = Buffer.alloc(0);
      s.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) { s.end(); resolve(buf.subarray(2, 2 + buf.readUInt16BE(0))); }
      });
      s.on('error', reject);
    });
    const r = dnsPacket.decode(reply);
    expect(r.id).toBe(77);
    expect(values(r as DnsReply, 'A')).toEqual(['10.96.0.1']);
  });
});

afterAll(async () => {
  for (const name of ['nginx', 'ext']) await request('DELETE', `/api/v1/namespaces/${ns}/services/${name}`);
});
