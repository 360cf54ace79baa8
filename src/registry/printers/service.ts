// `kubectl get services` columns: type, cluster IP, external IP (by service type), ports, selector.
import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import { formatLabels } from '../label-selector';
import type { KubeObject, Printer } from '../resource-types';
import { ageColumn, ageSince, col, nameColumn } from './index-helpers';

export function servicePortsString(ports: ServicePort[] | undefined): string {
  return (ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

function loadBalancerIngress(svc: Service): string {
  return (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter((s) => s !== '').join(',');
}

export function serviceExternalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'ClusterIP': case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc);
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

export const servicePrinter: Printer = {
  columns: [
    nameColumn(),
    col('Type', 'string', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    col('Cluster-IP', 'string', 'The virtual IP of the service inside the cluster.'),
    col('External-IP', 'string', 'Addresses through which the service is reachable from outside the cluster.'),
    col('Port(s)', 'string', 'The ports exposed by the service.'),
    ageColumn(),
    col('Selector', 'string', 'Labels of the pods the service routes traffic to.', 1),
  ],
  row(obj: KubeObject): unknown[] {
    const svc = obj as Service;
    const ips = svc.spec?.clusterIPs ?? [];
    return [
      svc.metadata?.name ?? '', svc.spec?.type ?? '', ips.length ? ips[0] : '<none>', serviceExternalIP(svc),
      servicePortsString(svc.spec?.ports) || '<none>', ageSince(svc.metadata?.creationTimestamp),
      formatLabels(svc.spec?.selector),
    ];
  },
};
