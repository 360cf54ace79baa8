// The kubelet's pod DNS configuration against upstream's rules for each dnsPolicy and dnsConfig merging.
import type { Pod } from 'kubernetes-types/core/v1';
import { parseResolvConf, podDnsConfig, type DnsSettings } from '../../src/node/kubelet/pod-dns';

const settings: DnsSettings = {
  clusterDns: ['10.96.0.10'], clusterDomain: 'cluster.local',
  host: parseResolvConf('# host\nnameserver 192.0.2.53\nnameserver 192.0.2.54\nsearch corp.example\noptions edns0 timeout:2\n'),
};
const pod = (spec: Partial<NonNullable<Pod['spec']>>): Pod => ({ metadata: { name: 'p', namespace: 'team' }, spec: { containers: [], ...spec } });

describe('pod DNS', () => {
  it('parses resolv.conf: nameservers, the last search line, options', () => {
    expect(parseResolvConf('domain a.example\nsearch b.example c.example\nnameserver 1.1.1.1 ; x\noptions ndots:2\n'))
      .toEqual({ servers: ['1.1.1.1'], searches: ['b.example', 'c.example'], options: ['ndots:2'] });
  });

  it('ClusterFirst (the default): cluster DNS, the namespace search path then the host\'s, ndots:5', () => {
    expect(podDnsConfig(pod({}), settings)).toEqual({
      servers: ['10.96.0.10'],
      searches: ['team.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'],
      options: ['ndots:5'],
    });
  });

  it('ClusterFirst on the host network falls back to the host resolver; ClusterFirstWithHostNet keeps the cluster DNS', () => {
    expect(podDnsConfig(pod({ hostNetwork: true }), settings).servers).toEqual(['192.0.2.53', '192.0.2.54']);
    expect(podDnsConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), settings).servers).toEqual(['10.96.0.10']);
  });

  it('Default: the host resolver; ClusterFirst without --cluster-dns too', () => {
    expect(podDnsConfig(pod({ dnsPolicy: 'Default' }), settings)).toEqual(settings.host);
    expect(podDnsConfig(pod({}), { ...settings, clusterDns: [] })).toEqual(settings.host);
  });

  it('dnsConfig merges: nameservers and searches appended once, options override by name', () => {
    const c = podDnsConfig(pod({
      dnsConfig: { nameservers: ['10.96.0.10', '192.0.2.99'], searches: ['svc.cluster.local', 'my.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] },
    }), settings);
    expect(c.servers).toEqual(['10.96.0.10', '192.0.2.99']);
    expect(c.searches).toEqual(['team.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'my.example']);
    expect(c.options).toEqual(['ndots:2', 'edns0']);
  });

  it('None: only dnsConfig', () => {
    expect(podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['192.0.2.1'], searches: ['x.example'] } }), settings))
      .toEqual({ servers: ['192.0.2.1'], searches: ['x.example'], options: [] });
  });
});
