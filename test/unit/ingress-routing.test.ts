// The ingress controller's pure parts: host and path matching per upstream's Ingress rules table, rule
// precedence across Ingresses, backend selection from EndpointSlices/Endpoints with round-robin, SNI
// certificate choice, which Ingresses the kubets class serves, and the DefaultIngressClass choice.
import type { Endpoints, Secret, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { HTTPIngressPath, Ingress, IngressClass } from 'kubernetes-types/networking/v1';
import { defaultIngressClass } from '../../src/admission/default-ingress-class';
import { isServed } from '../../src/node/ingress/ingress-class';
import { hostMatches, normalizeHost, pathMatches, RouteTable } from '../../src/node/ingress/route-table';
import { RoundRobin, backendEndpoints, type BackendLookups } from '../../src/node/ingress/service-backends';
import { entryForServerName, tlsEntries } from '../../src/node/ingress/tls-certificates';

const backend = (name: string, port: number | string = 80) =>
  ({ service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } });

function ingress(name: string, rules: { host?: string; paths: [string, string, string][] }[],
  extra: { created?: string; defaultBackend?: string; namespace?: string } = {}): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
    metadata: { name, namespace: extra.namespace ?? 'ns', creationTimestamp: extra.created ?? '2024-01-01T00:00:00Z' },
    spec: {
      ...(extra.defaultBackend ? { defaultBackend: backend(extra.defaultBackend) } : {}),
      rules: rules.map((r) => ({
        ...(r.host !== undefined ? { host: r.host } : {}),
        http: { paths: r.paths.map(([pathType, path, svc]): HTTPIngressPath => ({ pathType, path, backend: backend(svc) })) },
      })),
    },
  };
}

const serviceOf = (t: RouteTable, host: string | undefined, path: string) => t.route(host, path)?.backend.service?.name;

describe('path matching (upstream Ingress examples table)', () => {
  test.each([
    ['Prefix', '/', '/anything', true],
    ['Prefix', '/foo', '/foo', true],
    ['Prefix', '/foo', '/foo/', true],
    ['Prefix', '/foo/', '/foo', true],
    ['Prefix', '/foo/', '/foo/', true],
    ['Prefix', '/foo', '/foo/bar', true],
    ['Prefix', '/foo', '/foobar', false],
    ['Prefix', '/aaa/bb', '/aaa/bbb', false],
    ['Prefix', '/aaa/bbb', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb/', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/ccc', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbbxyz', false],
    ['Prefix', '/aaa', '/ccc', false],
    ['ImplementationSpecific', '/foo', '/foo/bar', true],
    ['ImplementationSpecific', '/foo', '/foobar', false],
    ['Exact', '/foo', '/foo', true],
    ['Exact', '/foo', '/foo/', false],
    ['Exact', '/foo/', '/foo', false],
    ['Exact', '/foo', '/bar', false],
  ])('%s %s against %s -> %s', (type, rule, req, want) => {
    expect(pathMatches(type, rule, req)).toBe(want);
  });

  test('several Prefix paths: the longest that matches wins, / catches the rest', () => {
    const t = new RouteTable([ingress('a', [{ paths: [['Prefix', '/', 'root'], ['Prefix', '/aaa', 'aaa'], ['Prefix', '/aaa/bbb', 'bbb']] }])]);
    expect(serviceOf(t, 'x', '/aaa/ccc')).toBe('aaa');
    expect(serviceOf(t, 'x', '/aaa/bbb')).toBe('bbb');
    expect(serviceOf(t, 'x', '/aaa/bbb/c?d')).toBe('bbb');
    expect(serviceOf(t, 'x', '/ccc')).toBe('root');
  });

  test('Exact is preferred to Prefix for the same path; Prefix still serves what lies below it', () => {
    const t = new RouteTable([ingress('a', [{ paths: [['Prefix', '/foo', 'prefix'], ['Exact', '/foo', 'exact']] }])]);
    expect(serviceOf(t, 'x', '/foo')).toBe('exact');
    expect(serviceOf(t, 'x', '/foo/')).toBe('prefix');
    expect(serviceOf(t, 'x', '/foo/bar')).toBe('prefix');
  });

  test('no matching path and no default backend: no route (404); with one: the default backend', () => {
    expect(new RouteTable([ingress('a', [{ paths: [['Prefix', '/aaa', 'aaa']] }])]).route('x', '/ccc')).toBeUndefined();
    const t = new RouteTable([ingress('a', [{ paths: [['Prefix', '/aaa', 'aaa']] }], { defaultBackend: 'fallback' })]);
    expect(serviceOf(t, 'x', '/ccc')).toBe('fallback');
    expect(serviceOf(new RouteTable([ingress('only-default', [], { defaultBackend: 'd' })]), 'any.host', '/')).toBe('d');
  });
});

describe('host matching', () => {
  test.each([
    ['foo.bar.com', 'foo.bar.com', true],
    ['foo.bar.com', 'bar.com', false],
    ['*.foo.com', 'bar.foo.com', true],
    ['*.foo.com', 'baz.bar.foo.com', false],
    ['*.foo.com', 'foo.com', false],
    ['*.foo.com', '.foo.com', false],
  ])('rule %s, request %s -> %s', (rule, host, want) => {
    expect(hostMatches(rule, host)).toBe(want);
  });

  test('the Host header is compared without port, trailing dot or case', () => {
    expect(normalizeHost('Foo.Example.COM:8080')).toBe('foo.example.com');
    expect(normalizeHost('foo.example.com.')).toBe('foo.example.com');
    expect(normalizeHost('[::1]:80')).toBe('[::1]');
  });

  test('an exact host beats its wildcard, which beats host-less rules; each host decides alone', () => {
    const t = new RouteTable([ingress('a', [
      { host: 'foo.bar.com', paths: [['Prefix', '/', 'exact-host']] },
      { host: '*.bar.com', paths: [['Prefix', '/', 'wildcard']] },
      { paths: [['Prefix', '/', 'any'], ['Prefix', '/only-any', 'any2']] },
    ])]);
    expect(serviceOf(t, 'foo.bar.com', '/')).toBe('exact-host');
    expect(serviceOf(t, 'FOO.bar.com:80', '/x')).toBe('exact-host');
    expect(serviceOf(t, 'baz.bar.com', '/')).toBe('wildcard');
    expect(serviceOf(t, 'a.baz.bar.com', '/')).toBe('any');
    expect(serviceOf(t, 'bar.com', '/')).toBe('any');
    // foo.bar.com has its own rules, so the host-less /only-any does not apply to it.
    expect(t.route('foo.bar.com', '/only-any')?.backend.service?.name).toBe('exact-host');
  });

  test('two Ingresses claiming the same host and path: the older keeps it; different paths merge', () => {
    const older = ingress('older', [{ host: 'h', paths: [['Prefix', '/a', 'old']] }], { created: '2024-01-01T00:00:00Z' });
    const newer = ingress('newer', [{ host: 'h', paths: [['Prefix', '/a', 'new'], ['Prefix', '/b', 'b']] }], { created: '2024-02-01T00:00:00Z' });
    const t = new RouteTable([newer, older]);
    expect(serviceOf(t, 'h', '/a')).toBe('old');
    expect(serviceOf(t, 'h', '/b')).toBe('b');
    expect(t.route('h', '/a')?.ingress).toBe('older');
  });
});

describe('backend selection', () => {
  const svc = (name: string, ports: { name?: string; port: number; targetPort?: number | string }[]): Service =>
    ({ metadata: { name, namespace: 'ns' }, spec: { ports: ports.map((p) => ({ protocol: 'TCP', ...p })) } });
  const lookups = (o: { services?: Service[]; slices?: EndpointSlice[]; endpoints?: Endpoints[] }): BackendLookups => ({
    service: (ns, n) => o.services?.find((s) => s.metadata?.namespace === ns && s.metadata?.name === n),
    slices: (ns, n) => (o.slices ?? []).filter((s) => s.metadata?.namespace === ns && s.metadata?.labels?.['kubernetes.io/service-name'] === n),
    endpoints: (ns, n) => o.endpoints?.find((e) => e.metadata?.namespace === ns && e.metadata?.name === n),
  });
  const slice = (svcName: string, portName: string, port: number, eps: [string, boolean | undefined][]): EndpointSlice => ({
    metadata: { name: `${svcName}-${port}`, namespace: 'ns', labels: { 'kubernetes.io/service-name': svcName } },
    addressType: 'IPv4', ports: [{ name: portName, port, protocol: 'TCP' }],
    endpoints: eps.map(([ip, ready]) => ({ addresses: [ip], ...(ready === undefined ? {} : { conditions: { ready } }) })),
  });

  test('a port by name or number resolves to the ready endpoints of the matching EndpointSlice port', () => {
    const l = lookups({
      services: [svc('web', [{ name: 'http', port: 80 }, { name: 'admin', port: 9000 }])],
      slices: [slice('web', 'http', 8080, [['10.0.0.1', true], ['10.0.0.2', false], ['10.0.0.3', undefined]]), slice('web', 'admin', 9090, [['10.0.0.1', true]])],
    });
    expect(backendEndpoints(l, 'ns', { name: 'web', port: { number: 80 } })).toEqual([{ ip: '10.0.0.1', port: 8080 }, { ip: '10.0.0.3', port: 8080 }]);
    expect(backendEndpoints(l, 'ns', { name: 'web', port: { name: 'admin' } })).toEqual([{ ip: '10.0.0.1', port: 9090 }]);
    expect(backendEndpoints(l, 'ns', { name: 'web', port: { number: 81 } })).toMatch(/has no port 81/);
    expect(backendEndpoints(l, 'ns', { name: 'nope', port: { number: 80 } })).toMatch(/not found/);
  });

  test('without EndpointSlices the Endpoints object is read (ready addresses only)', () => {
    const l = lookups({
      services: [svc('web', [{ port: 80, targetPort: 8080 }])],
      endpoints: [{ metadata: { name: 'web', namespace: 'ns' }, subsets: [{ addresses: [{ ip: '10.1.0.1' }], notReadyAddresses: [{ ip: '10.1.0.9' }], ports: [{ port: 8080, protocol: 'TCP' }] }] }],
    });
    expect(backendEndpoints(l, 'ns', { name: 'web', port: { number: 80 } })).toEqual([{ ip: '10.1.0.1', port: 8080 }]);
  });

  test('round-robin visits every endpoint in turn; none ready is unavailable', () => {
    const l = lookups({
      services: [svc('web', [{ port: 80 }]), svc('empty', [{ port: 80 }])],
      slices: [slice('web', '', 8080, [['10.0.0.3', true], ['10.0.0.1', true], ['10.0.0.2', true]])],
    });
    const rr = new RoundRobin();
    const picks = Array.from({ length: 6 }, () => {
      const s = rr.select(l, 'ns', { name: 'web', port: { number: 80 } });
      return s.kind === 'endpoint' ? s.endpoint.ip : s.reason;
    });
    expect(picks).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(rr.select(l, 'ns', { name: 'empty', port: { number: 80 } })).toEqual({ kind: 'unavailable', reason: 'no endpoints for service ns/empty' });
  });
});

describe('TLS certificate choice', () => {
  const secret = (name: string, type = 'kubernetes.io/tls'): Secret => ({
    metadata: { name, namespace: 'ns', resourceVersion: '7' }, type,
    data: { 'tls.crt': Buffer.from(`CERT ${name}`).toString('base64'), 'tls.key': Buffer.from(`KEY ${name}`).toString('base64') },
  });
  const secrets = [secret('foo-tls'), secret('wild-tls'), secret('any-tls'), secret('opaque', 'Opaque')];
  const ing: Ingress = {
    metadata: { name: 'i', namespace: 'ns' },
    spec: { tls: [
      { hosts: ['foo.example.com'], secretName: 'foo-tls' }, { hosts: ['*.example.com'], secretName: 'wild-tls' },
      { secretName: 'opaque' }, { secretName: 'missing' }, { secretName: 'any-tls' },
    ] },
  };
  const { entries, problems } = tlsEntries([ing], (ns, n) => secrets.find((s) => s.metadata?.namespace === ns && s.metadata?.name === n));

  test('only kubernetes.io/tls Secrets that exist are used; the others are reported', () => {
    expect(entries.map((e) => e.secret)).toEqual(['ns/foo-tls', 'ns/wild-tls', 'ns/any-tls']);
    expect(entries[0]!.certPem).toBe('CERT foo-tls');
    expect(problems).toEqual(['secret ns/opaque is not a kubernetes.io/tls secret with tls.crt and tls.key', 'secret ns/missing not found']);
  });

  test('SNI: exact host, then wildcard host, then an entry without hosts', () => {
    expect(entryForServerName(entries, 'foo.example.com')?.secret).toBe('ns/foo-tls');
    expect(entryForServerName(entries, 'bar.example.com')?.secret).toBe('ns/wild-tls');
    expect(entryForServerName(entries, 'a.bar.example.com')?.secret).toBe('ns/any-tls');
    expect(entryForServerName(entries, undefined)?.secret).toBe('ns/any-tls');
    expect(entryForServerName(entries.slice(0, 2), 'other.org')).toBeUndefined();
  });
});

describe('ingress classes', () => {
  const cls = (name: string, controller: string, isDefault: boolean, created: string): IngressClass => ({
    metadata: { name, creationTimestamp: created, ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    spec: { controller },
  });
  const kubets = cls('kubets', 'kubets.io/ingress-controller', true, '2024-01-01T00:00:00Z');
  const nginx = cls('nginx', 'k8s.io/ingress-nginx', false, '2024-01-02T00:00:00Z');
  const withClass = (c?: string, annotation?: string): Ingress => ({
    metadata: { name: 'i', ...(annotation ? { annotations: { 'kubernetes.io/ingress.class': annotation } } : {}) },
    spec: c ? { ingressClassName: c } : {},
  });

  test('served: our class by name or legacy annotation, or no class while ours is the default', () => {
    expect(isServed(withClass('kubets'), [kubets, nginx])).toBe(true);
    expect(isServed(withClass('nginx'), [kubets, nginx])).toBe(false);
    expect(isServed(withClass(undefined, 'kubets'), [kubets, nginx])).toBe(true);
    expect(isServed(withClass(), [kubets, nginx])).toBe(true);
    expect(isServed(withClass(), [{ ...kubets, metadata: { name: 'kubets' } }, nginx])).toBe(false);
    expect(isServed(withClass('missing'), [kubets])).toBe(false);
  });

  test('the default class is the newest annotated one, as upstream picks', () => {
    expect(defaultIngressClass([kubets, nginx])?.metadata?.name).toBe('kubets');
    const newerDefault = cls('newer', 'x', true, '2024-03-01T00:00:00Z');
    expect(defaultIngressClass([kubets, newerDefault, nginx])?.metadata?.name).toBe('newer');
    expect(defaultIngressClass([nginx])).toBeUndefined();
  });
});
