// The kubelet's Service environment variables, against upstream's names and precedence rules.
import type { Pod, Service } from 'kubernetes-types/core/v1';
import { containerEnv } from '../../src/node/kubelet/container-env';
import { serviceEnv } from '../../src/node/kubelet/service-env';

const svc = (ns: string, name: string, spec: Service['spec']): Service => ({ metadata: { namespace: ns, name }, spec });
const services: Service[] = [
  svc('default', 'kubernetes', { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] }),
  svc('team', 'my-db', { clusterIP: '10.96.5.6', ports: [{ name: 'sql', port: 5432 }, { name: 'metrics', port: 9187, protocol: 'UDP' }] }),
  svc('team', 'headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
  svc('team', 'ext', { type: 'ExternalName', externalName: 'example.com' }),
  svc('other', 'elsewhere', { clusterIP: '10.96.7.7', ports: [{ port: 80 }] }),
];
const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({ metadata: { name: 'p', namespace: 'team' }, spec: { containers: [], ...spec } });

describe('service environment variables', () => {
  it('names the namespace\'s Services and the kubernetes Service as upstream does', () => {
    const env = Object.fromEntries(serviceEnv(pod(), services));
    expect(env).toEqual({
      KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443', KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443', KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443', KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
      MY_DB_SERVICE_HOST: '10.96.5.6', MY_DB_SERVICE_PORT: '5432', MY_DB_SERVICE_PORT_SQL: '5432', MY_DB_SERVICE_PORT_METRICS: '9187',
      MY_DB_PORT: 'tcp://10.96.5.6:5432', MY_DB_PORT_5432_TCP: 'tcp://10.96.5.6:5432', MY_DB_PORT_5432_TCP_PROTO: 'tcp',
      MY_DB_PORT_5432_TCP_PORT: '5432', MY_DB_PORT_5432_TCP_ADDR: '10.96.5.6',
      MY_DB_PORT_9187_UDP: 'udp://10.96.5.6:9187', MY_DB_PORT_9187_UDP_PROTO: 'udp', MY_DB_PORT_9187_UDP_PORT: '9187', MY_DB_PORT_9187_UDP_ADDR: '10.96.5.6',
    });
  });

  it('enableServiceLinks: false keeps only the kubernetes Service', () => {
    expect([...serviceEnv(pod({ enableServiceLinks: false }), services).keys()].every((k) => k.startsWith('KUBERNETES_'))).toBe(true);
  });

  it('the container\'s own env wins, and $(VAR) may refer to a Service variable', async () => {
    const p = pod();
    const c = { name: 'c', env: [{ name: 'MY_DB_SERVICE_HOST', value: 'mine' }, { name: 'URL', value: 'http://$(KUBERNETES_SERVICE_HOST):$(MY_DB_SERVICE_PORT)' }] };
    const source = { configMap: async () => undefined, secret: async () => undefined, services: async () => services, claim: async () => undefined, volume: async () => undefined,
      serviceAccountToken: async () => { throw new Error('no tokens here'); } };
    const env = new Map((await containerEnv(p, c, source, { cpu: '1', memory: '1Gi', 'ephemeral-storage': '1Gi' })).map((e) => [e.key, e.value]));
    expect(env.get('MY_DB_SERVICE_HOST')).toBe('mine');
    expect(env.get('URL')).toBe('http://10.96.0.1:5432');
    expect(env.get('KUBERNETES_SERVICE_PORT')).toBe('443');
  });
});
