// The scheduler table: hollow nodes, the pods already bound to them and a pod to place, with where
// upstream's scheduler puts it, or its FailedScheduling message, or what preemption evicts. The unit test
// runs the algorithm on it; the integration test replays the placements through the running scheduler.
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { node, pod } from './scheduler-fixtures';

export interface Case {
  name: string;
  nodes: Node[];
  bound?: Pod[];
  /** Pods assumed (binding in flight) before the pod is scheduled. */
  assumed?: [Pod, string][];
  pod: Pod;
  /** The nodes the pod may land on (any of them). */
  lands?: string[];
  /** The full FailedScheduling message when it fits nowhere. */
  message?: string;
  /** Preemption's choice: the nominated node and its victims (in eviction order). */
  preempts?: { node: string; victims: string[] };
}

const zone = (z: string, extra: Record<string, string> = {}) => ({ 'topology.kubernetes.io/zone': z, ...extra });
const sel = (labels: Record<string, string>) => ({ matchLabels: labels });
const hostname = 'kubernetes.io/hostname';
const zoneKey = 'topology.kubernetes.io/zone';
const twoNodes = [node('n1'), node('n2')];

export const cases: Case[] = [
  // NodeResourcesFit
  { name: 'cpu request fits only the node with room', nodes: twoNodes, bound: [pod('big', { nodeName: 'n1', cpu: '3500m' })], pod: pod('p', { cpu: '1' }), lands: ['n2'] },
  { name: 'memory request fits only the bigger node', nodes: [node('n1', { memory: '1Gi' }), node('n2', { memory: '4Gi' })], pod: pod('p', { memory: '2Gi' }), lands: ['n2'] },
  { name: 'memory fits nowhere: histogram and no victims', nodes: twoNodes, pod: pod('p', { memory: '16Gi' }),
    message: '0/2 nodes are available: 2 Insufficient memory. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.' },
  { name: 'cpu and memory both insufficient list both reasons', nodes: [node('n1')], pod: pod('p', { cpu: '8', memory: '16Gi' }),
    message: '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.' },
  { name: 'pods allocatable caps the pod count', nodes: [node('n1', { pods: 1 }), node('n2', { pods: 2 })], bound: [pod('a', { nodeName: 'n1' })], pod: pod('p'), lands: ['n2'] },
  { name: 'too many pods everywhere', nodes: [node('n1', { pods: 1 })], bound: [pod('a', { nodeName: 'n1' })], pod: pod('p'),
    message: '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.' },
  { name: 'an init container larger than the containers counts', nodes: [node('n1', { cpu: '1' }), node('n2', { cpu: '3' })], pod: pod('p', { cpu: '100m', initCpu: '2' }), lands: ['n2'] },
  { name: 'pod overhead counts', nodes: [node('n1', { cpu: '1' }), node('n2', { cpu: '2' })], pod: pod('p', { cpu: '900m', overheadCpu: '500m' }), lands: ['n2'] },
  { name: 'assumed pods count before their binding lands', nodes: twoNodes, assumed: [[pod('a', { cpu: '3' }), 'n1']], pod: pod('p', { cpu: '2' }), lands: ['n2'] },
  { name: 'extended resources must fit', nodes: [node('n1'), node('n2', { extra: { 'example.com/gpu': '2' } })], pod: pod('p', { extra: { 'example.com/gpu': '1' } }), lands: ['n2'] },
  { name: 'a pod without requests fits a full node', nodes: [node('n1', { cpu: '1' })], bound: [pod('full', { nodeName: 'n1', cpu: '1' })], pod: pod('p'), lands: ['n1'] },
  { name: 'LeastAllocated and BalancedAllocation prefer the emptier node', nodes: twoNodes, bound: [pod('b', { nodeName: 'n1', cpu: '3' })], pod: pod('p', { cpu: '500m' }), lands: ['n2'] },
  { name: 'BalancedAllocation prefers the node whose cpu and memory stay even', nodes: twoNodes,
    bound: [pod('cpuheavy', { nodeName: 'n1', cpu: '2', memory: '512Mi' }), pod('even', { nodeName: 'n2', cpu: '1', memory: '2Gi' })],
    pod: pod('p', { cpu: '1', memory: '2Gi' }), lands: ['n2'] },
  // NodeAffinity
  { name: 'nodeSelector picks the labelled node', nodes: [node('n1'), node('n2', { labels: { disk: 'ssd' } })], pod: pod('p', { nodeSelector: { disk: 'ssd' } }), lands: ['n2'] },
  { name: 'nodeSelector matching nothing', nodes: twoNodes, pod: pod('p', { nodeSelector: { disk: 'ssd' } }),
    message: "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling." },
  { name: 'required affinity In', nodes: [node('n1', { labels: zone('a') }), node('n2', { labels: zone('b') })],
    pod: pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: zoneKey, operator: 'In', values: ['b'] }] }] } } } }), lands: ['n2'] },
  { name: 'required affinity NotIn', nodes: [node('n1', { labels: zone('a') }), node('n2', { labels: zone('b') }), node('n3', { labels: zone('c') })],
    pod: pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: zoneKey, operator: 'NotIn', values: ['a', 'b'] }] }] } } } }), lands: ['n3'] },
  { name: 'required affinity Gt', nodes: [node('n1', { labels: { gen: '3' } }), node('n2', { labels: { gen: '5' } })],
    pod: pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }] } } } }), lands: ['n2'] },
  { name: 'required affinity DoesNotExist', nodes: [node('n1', { labels: { gpu: 'yes' } }), node('n2')],
    pod: pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }] } } } }), lands: ['n2'] },
  { name: 'matchFields metadata.name', nodes: [node('n1'), node('n2'), node('n3')],
    pod: pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n3'] }] }] } } } }), lands: ['n3'] },
  { name: 'node selector terms are ORed', nodes: [node('n1', { labels: { a: '1' } }), node('n2', { labels: { b: '1' } }), node('n3')],
    pod: pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
      { matchExpressions: [{ key: 'a', operator: 'Exists' }] }, { matchExpressions: [{ key: 'b', operator: 'Exists' }] }] } } } }), lands: ['n1', 'n2'] },
  { name: 'preferred node affinity picks the preferred node', nodes: [node('n1'), node('n2', { labels: { disk: 'ssd' } }), node('n3')],
    pod: pod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] } } }), lands: ['n2'] },
  { name: 'preferred node affinity sums weights', nodes: [node('n1', { labels: { a: '1' } }), node('n2', { labels: { b: '1', c: '1' } })],
    pod: pod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 30, preference: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } },
      { weight: 20, preference: { matchExpressions: [{ key: 'b', operator: 'Exists' }] } },
      { weight: 20, preference: { matchExpressions: [{ key: 'c', operator: 'Exists' }] } }] } } }), lands: ['n2'] },
  // TaintToleration and NodeUnschedulable
  { name: 'an untolerated NoSchedule taint repels', nodes: [node('n1', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }), node('n2')], pod: pod('p'), lands: ['n2'] },
  { name: 'untolerated taints everywhere (the issue\'s message)', nodes: [
    node('n1', { cpu: '1' }), node('n2', { taints: [{ key: 'key', value: 'value', effect: 'NoSchedule' }] }), node('n3', { taints: [{ key: 'key', value: 'value', effect: 'NoExecute' }] })],
  pod: pod('p', { cpu: '2' }),
  message: '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {key: value}. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.' },
  { name: 'an Equal toleration tolerates', nodes: [node('n1', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] })],
    pod: pod('p', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }), lands: ['n1'] },
  { name: 'an Equal toleration with another value does not', nodes: [node('n1', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] })],
    pod: pod('p', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }] }),
    message: '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: db}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.' },
  { name: 'an Exists toleration without key tolerates everything', nodes: [node('n1', { taints: [{ key: 'x', effect: 'NoExecute' }, { key: 'y', value: 'z', effect: 'NoSchedule' }] })],
    pod: pod('p', { tolerations: [{ operator: 'Exists' }] }), lands: ['n1'] },
  // Not node.kubernetes.io/not-ready: DefaultTolerationSeconds admission gives every pod a toleration for it.
  { name: 'a NoExecute taint repels', nodes: [node('n1', { taints: [{ key: 'maintenance', effect: 'NoExecute' }] }), node('n2')], pod: pod('p'), lands: ['n2'] },
  { name: 'PreferNoSchedule lowers the score only', nodes: [node('n1', { taints: [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }] }), node('n2')], pod: pod('p'), lands: ['n2'] },
  { name: 'PreferNoSchedule alone still schedules', nodes: [node('n1', { taints: [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }] })], pod: pod('p'), lands: ['n1'] },
  { name: 'a cordoned node is skipped', nodes: [node('n1', { unschedulable: true }), node('n2')], pod: pod('p'), lands: ['n2'] },
  { name: 'every node cordoned', nodes: [node('n1', { unschedulable: true }), node('n2', { unschedulable: true })], pod: pod('p'),
    message: '0/2 nodes are available: 2 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.' },
  { name: 'the cordon toleration admits a cordoned node', nodes: [node('n1', { unschedulable: true })],
    pod: pod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }), lands: ['n1'] },
  // NodePorts
  { name: 'a taken host port moves the pod', nodes: twoNodes, bound: [pod('web', { nodeName: 'n1', hostPort: 8080 })], pod: pod('p', { hostPort: 8080 }), lands: ['n2'] },
  { name: 'another protocol on the same port does not conflict', nodes: [node('n1')], bound: [pod('dns', { nodeName: 'n1', hostPort: 53, protocol: 'UDP' })], pod: pod('p', { hostPort: 53 }), lands: ['n1'] },
  { name: 'host port taken everywhere', nodes: twoNodes, bound: [pod('a', { nodeName: 'n1', hostPort: 80 }), pod('b', { nodeName: 'n2', hostPort: 80 })], pod: pod('p', { hostPort: 80 }),
    message: "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod." },
  // InterPodAffinity
  { name: 'required pod affinity by hostname', nodes: [node('n1'), node('n2'), node('n3')], bound: [pod('db', { nodeName: 'n2', labels: { app: 'db' } })],
    pod: pod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'db' }), topologyKey: hostname }] } } }), lands: ['n2'] },
  { name: 'required pod affinity by zone', nodes: [node('n1', { labels: zone('a') }), node('n2', { labels: zone('a') }), node('n3', { labels: zone('b') })],
    bound: [pod('db', { nodeName: 'n1', labels: { app: 'db' } })],
    pod: pod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'db' }), topologyKey: zoneKey }] } } }), lands: ['n1', 'n2'] },
  { name: 'the first pod of a self-affine group goes anywhere', nodes: twoNodes,
    pod: pod('p', { labels: { app: 'db' }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'db' }), topologyKey: hostname }] } } }), lands: ['n1', 'n2'] },
  { name: 'pod affinity matching no pod', nodes: twoNodes,
    pod: pod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'db' }), topologyKey: hostname }] } } }),
    message: "0/2 nodes are available: 2 node(s) didn't match pod affinity rules. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling." },
  { name: 'pod affinity looks only in the pod\'s namespace', nodes: twoNodes, bound: [pod('db', { ns: 'other', nodeName: 'n1', labels: { app: 'db' } }), pod('db2', { nodeName: 'n2', labels: { app: 'db' } })],
    pod: pod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'db' }), topologyKey: hostname }] } } }), lands: ['n2'] },
  { name: 'an empty namespaceSelector spans every namespace', nodes: twoNodes, bound: [pod('db', { ns: 'other', nodeName: 'n1', labels: { app: 'db' } })],
    pod: pod('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'db' }), namespaceSelector: {}, topologyKey: hostname }] } } }), lands: ['n1'] },
  { name: 'required anti-affinity by hostname', nodes: twoNodes, bound: [pod('w1', { nodeName: 'n1', labels: { app: 'web' } })],
    pod: pod('p', { labels: { app: 'web' }, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'web' }), topologyKey: hostname }] } } }), lands: ['n2'] },
  { name: 'required anti-affinity with every node taken', nodes: twoNodes, bound: [pod('w1', { nodeName: 'n1', labels: { app: 'web' } }), pod('w2', { nodeName: 'n2', labels: { app: 'web' } })],
    pod: pod('p', { labels: { app: 'web' }, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'web' }), topologyKey: hostname }] } } }),
    message: "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod." },
  { name: 'an existing pod\'s anti-affinity repels the incoming pod', nodes: [node('n1', { labels: zone('a') }), node('n2', { labels: zone('a') }), node('n3', { labels: zone('b') })],
    bound: [pod('loner', { nodeName: 'n1', affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'web' }), topologyKey: zoneKey }] } } })],
    pod: pod('p', { labels: { app: 'web' } }), lands: ['n3'] },
  { name: 'existing anti-affinity everywhere', nodes: [node('n1')],
    bound: [pod('loner', { nodeName: 'n1', affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'web' }), topologyKey: hostname }] } } })],
    pod: pod('p', { labels: { app: 'web' } }),
    message: "0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod." },
  { name: 'preferred pod affinity draws the pod', nodes: [node('n1'), node('n2'), node('n3')], bound: [pod('cache', { nodeName: 'n3', labels: { app: 'cache' } })],
    pod: pod('p', { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { labelSelector: sel({ app: 'cache' }), topologyKey: hostname } }] } } }), lands: ['n3'] },
  { name: 'preferred pod anti-affinity pushes the pod away', nodes: twoNodes, bound: [pod('w', { nodeName: 'n1', labels: { app: 'web' } })],
    pod: pod('p', { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { labelSelector: sel({ app: 'web' }), topologyKey: hostname } }] } } }), lands: ['n2'] },
  { name: 'an existing pod\'s preferred affinity draws the incoming pod', nodes: [node('n1'), node('n2'), node('n3')],
    bound: [pod('friend', { nodeName: 'n2', affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: sel({ app: 'web' }), topologyKey: hostname } }] } } })],
    pod: pod('p', { labels: { app: 'web' } }), lands: ['n2'] },
  // PodTopologySpread
  { name: 'DoNotSchedule keeps zones within maxSkew', nodes: [node('n1', { labels: zone('a') }), node('n2', { labels: zone('b') })],
    bound: [pod('w1', { nodeName: 'n1', labels: { app: 'web' } }), pod('w2', { nodeName: 'n1', labels: { app: 'web' } }), pod('w3', { nodeName: 'n2', labels: { app: 'web' } })],
    pod: pod('p', { labels: { app: 'web' }, spread: [{ maxSkew: 1, topologyKey: zoneKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: sel({ app: 'web' }) }] }), lands: ['n2'] },
  { name: 'DoNotSchedule counts only matching pods', nodes: [node('n1', { labels: zone('a') }), node('n2', { labels: zone('b') })],
    bound: [pod('o1', { nodeName: 'n2', labels: { app: 'other' } }), pod('o2', { nodeName: 'n2', labels: { app: 'other' } }), pod('w1', { nodeName: 'n2', labels: { app: 'web' } })],
    pod: pod('p', { labels: { app: 'web' }, spread: [{ maxSkew: 1, topologyKey: zoneKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: sel({ app: 'web' }) }] }), lands: ['n1'] },
  { name: 'minDomains above the domain count makes the minimum 0', nodes: [node('n1', { labels: zone('a') }), node('n2', { labels: zone('b') })],
    bound: [pod('w1', { nodeName: 'n1', labels: { app: 'web' } }), pod('w2', { nodeName: 'n2', labels: { app: 'web' } })],
    pod: pod('p', { labels: { app: 'web' }, spread: [{ maxSkew: 1, minDomains: 3, topologyKey: zoneKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: sel({ app: 'web' }) }] }),
    message: "0/2 nodes are available: 2 node(s) didn't match pod topology spread constraints. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod." },
  { name: 'a node without the topology key is unresolvable', nodes: [node('n1', { labels: zone('a') }), node('n2')],
    pod: pod('p', { labels: { app: 'web' }, spread: [{ maxSkew: 1, topologyKey: zoneKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: sel({ app: 'web' }) }] }), lands: ['n1'] },
  { name: 'no node has the topology key', nodes: twoNodes,
    pod: pod('p', { labels: { app: 'web' }, spread: [{ maxSkew: 1, topologyKey: zoneKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: sel({ app: 'web' }) }] }),
    message: "0/2 nodes are available: 2 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling." },
  { name: 'nodeAffinityPolicy Honor leaves unselectable domains out', nodes: [node('n1', { labels: zone('a', { pool: 'x' }) }), node('n2', { labels: zone('b', { pool: 'y' }) })],
    bound: [pod('w1', { nodeName: 'n1', labels: { app: 'web' } })],
    pod: pod('p', { labels: { app: 'web' }, nodeSelector: { pool: 'x' }, spread: [{ maxSkew: 1, topologyKey: zoneKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: sel({ app: 'web' }) }] }), lands: ['n1'] },
  { name: 'nodeAffinityPolicy Ignore counts them', nodes: [node('n1', { labels: zone('a', { pool: 'x' }) }), node('n2', { labels: zone('b', { pool: 'y' }) })],
    bound: [pod('w1', { nodeName: 'n1', labels: { app: 'web' } })],
    pod: pod('p', { labels: { app: 'web' }, nodeSelector: { pool: 'x' }, spread: [{ maxSkew: 1, topologyKey: zoneKey, whenUnsatisfiable: 'DoNotSchedule', nodeAffinityPolicy: 'Ignore', labelSelector: sel({ app: 'web' }) }] }),
    message: "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) didn't match pod topology spread constraints. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling." },
  { name: 'ScheduleAnyway prefers the emptier zone', nodes: [node('n1', { labels: zone('a') }), node('n2', { labels: zone('a') }), node('n3', { labels: zone('b') })],
    bound: [pod('w1', { nodeName: 'n1', labels: { app: 'web' } }), pod('w2', { nodeName: 'n2', labels: { app: 'web' } })],
    pod: pod('p', { labels: { app: 'web' }, spread: [{ maxSkew: 1, topologyKey: zoneKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: sel({ app: 'web' }) }] }), lands: ['n3'] },
  { name: 'ScheduleAnyway by hostname spreads over nodes', nodes: [node('n1'), node('n2'), node('n3')],
    bound: [pod('w1', { nodeName: 'n1', labels: { app: 'web' } }), pod('w2', { nodeName: 'n3', labels: { app: 'web' } })],
    pod: pod('p', { labels: { app: 'web' }, spread: [{ maxSkew: 1, topologyKey: hostname, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: sel({ app: 'web' }) }] }), lands: ['n2'] },
  // ImageLocality
  { name: 'ImageLocality prefers the node holding the image', nodes: [node('n1'), node('n2', { images: [{ names: ['registry.local/app:1.0'], sizeBytes: 500 * 1024 * 1024 }] })],
    pod: pod('p', { image: 'registry.local/app:1.0' }), lands: ['n2'] },
  // Preemption
  { name: 'a high-priority pod preempts a low-priority one', nodes: [node('n1', { cpu: '2' })], bound: [pod('low', { nodeName: 'n1', cpu: '2', priority: 0 })],
    pod: pod('p', { cpu: '1', priority: 100 }), preempts: { node: 'n1', victims: ['low'] } },
  { name: 'preemption picks the node with the lowest-priority victims', nodes: [node('n1', { cpu: '2' }), node('n2', { cpu: '2' })],
    bound: [pod('mid', { nodeName: 'n1', cpu: '2', priority: 10 }), pod('low', { nodeName: 'n2', cpu: '2', priority: 5 })],
    pod: pod('p', { cpu: '2', priority: 100 }), preempts: { node: 'n2', victims: ['low'] } },
  { name: 'preemption picks the node with fewer victims', nodes: [node('n1', { cpu: '2' }), node('n2', { cpu: '2' })],
    bound: [pod('a', { nodeName: 'n1', cpu: '1', priority: 1 }), pod('b', { nodeName: 'n1', cpu: '1', priority: 1 }), pod('c', { nodeName: 'n2', cpu: '2', priority: 1 })],
    pod: pod('p', { cpu: '2', priority: 100 }), preempts: { node: 'n2', victims: ['c'] } },
  { name: 'preemption reprieves the most important pods it can', nodes: [node('n1', { cpu: '4' })],
    bound: [1, 2, 3, 4].map((i) => pod(`p${i}`, { nodeName: 'n1', cpu: '1', priority: i })),
    pod: pod('p', { cpu: '2', priority: 10 }), preempts: { node: 'n1', victims: ['p2', 'p1'] } },
  { name: 'preemption skips nodes where it cannot help', nodes: [node('n1', { cpu: '2', taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }), node('n2', { cpu: '2' })],
    bound: [pod('l1', { nodeName: 'n1', cpu: '2' }), pod('l2', { nodeName: 'n2', cpu: '2' })],
    pod: pod('p', { cpu: '1', priority: 100 }), preempts: { node: 'n2', victims: ['l2'] } },
  { name: 'preemption for a host port', nodes: [node('n1')], bound: [pod('web', { nodeName: 'n1', hostPort: 80 })],
    pod: pod('p', { hostPort: 80, priority: 1 }), preempts: { node: 'n1', victims: ['web'] } },
  { name: 'preemptionPolicy Never preempts nothing', nodes: [node('n1', { cpu: '1' })], bound: [pod('low', { nodeName: 'n1', cpu: '1' })],
    pod: pod('p', { cpu: '1', priority: 100, preemptionPolicy: 'Never' }),
    message: '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.' },
  { name: 'higher-priority pods are never victims', nodes: [node('n1', { cpu: '1' })], bound: [pod('vip', { nodeName: 'n1', cpu: '1', priority: 1000 })],
    pod: pod('p', { cpu: '1', priority: 100 }),
    message: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.' },
  { name: 'evicting every lower-priority pod is not enough', nodes: [node('n1', { cpu: '2' })],
    bound: [pod('low', { nodeName: 'n1', cpu: '1', priority: 0 }), pod('vip', { nodeName: 'n1', cpu: '1', priority: 1000 })],
    pod: pod('p', { cpu: '2', priority: 100 }),
    message: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.' },
  { name: 'no nodes at all', nodes: [], pod: pod('p'), message: 'no nodes available to schedule pods' },
];
