// The Service environment variables upstream's kubelet gives every container: `<NAME>_SERVICE_HOST/PORT`
// (plus `_SERVICE_PORT_<PORTNAME>` for named ports) and the docker-link style `<NAME>_PORT...` variables,
// for the Services of the pod's namespace when enableServiceLinks is on (the default) and for the
// `kubernetes` Service of the default namespace always. Headless and ExternalName Services have none.
import { isIPv6 } from 'node:net';
import type { Pod, Service } from 'kubernetes-types/core/v1';

const MASTER_NAMESPACE = 'default';

const envName = (s: string): string => s.toUpperCase().replace(/-/g, '_');

function hasClusterIP(s: Service): boolean {
  const ip = s.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

function varsOf(s: Service, out: Map<string, string>): void {
  const name = envName(s.metadata?.name ?? '');
  const ip = s.spec!.clusterIP!;
  const ports = s.spec?.ports ?? [];
  out.set(`${name}_SERVICE_HOST`, ip);
  if (ports[0]) out.set(`${name}_SERVICE_PORT`, String(ports[0].port));
  for (const p of ports) if (p.name) out.set(`${name}_SERVICE_PORT_${envName(p.name)}`, String(p.port));
  const host = isIPv6(ip) ? `[${ip}]` : ip;
  ports.forEach((p, i) => {
    const proto = (p.protocol ?? 'TCP').toLowerCase();
    const url = `${proto}://${host}:${p.port}`;
    if (i === 0) out.set(`${name}_PORT`, url);
    const prefix = `${name}_PORT_${p.port}_${proto.toUpperCase()}`;
    out.set(prefix, url);
    out.set(`${prefix}_PROTO`, proto);
    out.set(`${prefix}_PORT`, String(p.port));
    out.set(`${prefix}_ADDR`, ip);
  });
}

/** The variables for a pod, from every Service the kubelet knows (any namespace). */
export function serviceEnv(pod: Pod, services: Service[]): Map<string, string> {
  const ns = pod.metadata?.namespace ?? 'default';
  const links = pod.spec?.enableServiceLinks !== false;
  const chosen = new Map<string, Service>();
  for (const s of services) {
    if (!hasClusterIP(s)) continue;
    const name = s.metadata?.name ?? '';
    const sns = s.metadata?.namespace;
    if (sns === ns && links) chosen.set(name, s);
    // The apiserver's own Service is always there, unless the pod's namespace has one by that name.
    else if (sns === MASTER_NAMESPACE && name === 'kubernetes' && !chosen.has(name)) chosen.set(name, s);
  }
  const out = new Map<string, string>();
  // Sorted, so a container's environment does not depend on the order the informer lists them.
  for (const s of [...chosen.values()].sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1))) varsOf(s, out);
  return out;
}
