// Pod spec validation of tolerations, affinity, topology spread, dnsConfig and security-context IDs,
// with upstream's field paths and messages.
import type { PodSpec } from 'kubernetes-types/core/v1';
import { aggregateMessage, FieldPath } from '../../src/registry/field-error';
import { validatePodSpec } from '../../src/registry/validation/pod-spec';

const base: PodSpec = {
  containers: [{ name: 'c', image: 'busybox', imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' }],
  restartPolicy: 'Always', dnsPolicy: 'ClusterFirst',
};
const msgs = (spec: Partial<PodSpec>) => validatePodSpec({ ...base, ...spec }, FieldPath.root('spec')).map((e) => aggregateMessage([e]));

describe('pod scheduling fields', () => {
  it('accepts well-formed tolerations, affinity and spread constraints', () => {
    expect(msgs({
      tolerations: [{ operator: 'Exists' }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { key: 'k', value: 'v', effect: 'NoSchedule' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gpus', operator: 'Gt', values: ['1'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }] },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } }],
        },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } } }] },
      },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: 2 }, { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }],
      dnsPolicy: 'None', dnsConfig: { nameservers: ['10.0.0.10'], searches: ['svc.cluster.local', '.'], options: [{ name: 'ndots', value: '2' }] },
      securityContext: { runAsUser: 1000, fsGroup: 0, supplementalGroups: [5] },
    })).toEqual([]);
  });

  it('refuses bad tolerations as upstream words it', () => {
    expect(msgs({
      tolerations: [
        { key: 'k', operator: 'Exists', value: 'v' },
        { key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 },
        { key: 'bad key', operator: 'Sometimes', effect: 'Never' },
        { value: 'v' },
      ],
    })).toEqual([
      'spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"k", Operator:"Exists", Value:"v", Effect:"", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is \'Exists\'',
      'spec.tolerations[1].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
      expect.stringMatching(/^spec\.tolerations\[2\]\.key: Invalid value: "bad key": name part must consist of alphanumeric characters/),
      'spec.tolerations[2].operator: Unsupported value: "Sometimes": supported values: "Equal", "Exists"',
      'spec.tolerations[2].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      'spec.tolerations[3].operator: Invalid value: "": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ]);
  });

  it('refuses bad node and pod affinity terms', () => {
    expect(msgs({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }, { key: 'n', operator: 'Lt', values: ['1', '2'] }, { key: 'x', operator: 'Maybe' }] }, { matchFields: [{ key: 'spec.nodeName', operator: 'In', values: ['a', 'b'] }] }] },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }],
        },
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: '' }] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { topologyKey: 'zone' } }] },
      },
    })).toEqual([
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].operator: Invalid value: "Maybe": not a valid selector operator',
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchFields[0].values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchFields[0].key: Invalid value: "spec.nodeName": not a valid field selector key',
      'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100',
      'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty',
      'spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100',
    ]);
    expect(msgs({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } })).toEqual([
      'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
    ]);
  });

  it('refuses bad topology spread constraints', () => {
    expect(msgs({
      topologySpreadConstraints: [
        { maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
        { maxSkew: 1, topologyKey: '', whenUnsatisfiable: 'Sometimes' },
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
        { maxSkew: 1, topologyKey: 'rack', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 },
      ],
    })).toEqual([
      'spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero',
      'spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, DoNotSchedule}"',
      'spec.topologySpreadConstraints[1].topologyKey: Required value: can not be empty',
      'spec.topologySpreadConstraints[1].whenUnsatisfiable: Unsupported value: "Sometimes": supported values: "DoNotSchedule", "ScheduleAnyway"',
      'spec.topologySpreadConstraints[3].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway',
    ]);
  });

  it('checks dnsConfig limits and security-context IDs', () => {
    expect(msgs({ dnsPolicy: 'None', dnsConfig: {} })).toEqual(['spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None']);
    expect(msgs({ dnsPolicy: 'None' })).toEqual(['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']);
    expect(msgs({ dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', 'x'], searches: ['Bad_Domain'], options: [{ value: '1' }] } })).toEqual([
      'spec.dnsConfig.nameservers: Invalid value: []string{"1.1.1.1", "2.2.2.2", "3.3.3.3", "x"}: must not have more than 3 nameservers',
      'spec.dnsConfig.nameservers[3]: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      expect.stringMatching(/^spec\.dnsConfig\.searches\[0\]: Invalid value: "Bad_Domain": a lowercase RFC 1123 subdomain/),
      'spec.dnsConfig.options[0]: Required value: Option.Name must not be empty',
    ]);
    expect(msgs({
      securityContext: { runAsUser: -1, supplementalGroups: [1, 2147483648] },
      containers: [{ ...base.containers[0]!, securityContext: { runAsGroup: -5 } }],
    })).toEqual([
      'spec.containers[0].securityContext.runAsGroup: Invalid value: -5: must be between 0 and 2147483647, inclusive',
      'spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive',
      'spec.securityContext.supplementalGroups[1]: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive',
    ]);
  });
});
