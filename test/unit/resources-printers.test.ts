// Printer columns and cells match upstream `kubectl get` output.
import type { Pod } from 'kubernetes-types/core/v1';
import { humanDuration } from '../../src/registry/printers/age';
import { podPrinter, podStatusCells } from '../../src/registry/printers/pod';
import { servicePrinter } from '../../src/registry/printers/service';
import { deploymentPrinter } from '../../src/registry/printers/workloads';
import { nodePrinter } from '../../src/registry/printers/node';
import { coreEventPrinter } from '../../src/registry/printers/event';
import { endpointsPrinter, formatEndpoints } from '../../src/registry/printers/simple';
import type { KubeObject } from '../../src/registry/resource-types';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration', () => {
  test.each([
    [-5 * s, '<invalid>'], [-1 * s, '0s'], [0, '0s'], [5 * s, '5s'], [119 * s, '119s'], [2 * m, '2m'], [3 * m + 2 * s, '3m2s'],
    [10 * m + 5 * s, '10m'], [179 * m, '179m'], [3 * h, '3h'], [3 * h + 5 * m, '3h5m'], [8 * h, '8h'], [47 * h, '47h'],
    [2 * d, '2d'], [2 * d + 3 * h, '2d3h'], [8 * d, '8d'], [400 * d, '400d'], [730 * d, '2y'], [800 * d, '2y70d'], [3000 * d, '8y'],
  ])('%d ms → %s', (ms, out) => expect(humanDuration(ms)).toBe(out));
});

function pod(status: object, spec: object = { containers: [{ name: 'a', image: 'x' }] }, meta: object = {}): Pod {
  return { metadata: { name: 'p', creationTimestamp: new Date().toISOString(), ...meta }, spec, status } as Pod;
}

describe('pod printer', () => {
  test('column names', () => {
    expect(podPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    expect(podPrinter.columns.map((c) => c.priority)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(podPrinter.columns[0].format).toBe('name');
  });

  test('pending pod row', () => {
    const row = podPrinter.row(pod({ phase: 'Pending' }) as unknown as KubeObject);
    expect(row).toEqual(['p', '0/1', 'Pending', '0', '0s', '<none>', '<none>', '<none>', '<none>']);
  });

  test('running, waiting, completed, crashloop', () => {
    expect(podStatusCells(pod({ phase: 'Running', containerStatuses: [{ name: 'a', ready: true, restartCount: 0, state: { running: {} } }] })))
      .toEqual({ ready: '1/1', status: 'Running', restarts: '0' });
    expect(podStatusCells(pod({ phase: 'Pending', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] })).status)
      .toBe('ContainerCreating');
    expect(podStatusCells(pod({ phase: 'Succeeded', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] })).status)
      .toBe('Completed');
    const finishedAt = new Date(Date.now() - 65 * 1000).toISOString();
    expect(podStatusCells(pod({
      phase: 'Running',
      containerStatuses: [{ name: 'a', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt } } }],
    }))).toEqual({ ready: '0/1', status: 'CrashLoopBackOff', restarts: '3 (65s ago)' });
  });

  test('init containers and terminating', () => {
    const spec = { initContainers: [{ name: 'i', image: 'x' }], containers: [{ name: 'a', image: 'x' }] };
    expect(podStatusCells(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'i', ready: false, restartCount: 0, state: { running: {} } }] }, spec)).status)
      .toBe('Init:0/1');
    expect(podStatusCells(pod({ phase: 'Running' }, undefined, { deletionTimestamp: new Date().toISOString() })).status).toBe('Terminating');
  });
});

describe('service printer', () => {
  test('cells', () => {
    const svc = {
      metadata: { name: 'web', creationTimestamp: new Date().toISOString() },
      spec: { type: 'NodePort', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { app: 'web' } },
    };
    expect(servicePrinter.columns.map((c) => c.name)).toEqual(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
    expect(servicePrinter.row(svc)).toEqual(['web', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP,53/UDP', '0s', 'app=web']);
    const lb = { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.11'], ports: [] } };
    expect(servicePrinter.row(lb)).toEqual(['lb', 'LoadBalancer', '10.96.0.11', '<pending>', '<none>', '<unknown>', '<none>']);
  });
});

describe('deployment printer', () => {
  test('cells', () => {
    const dep = {
      metadata: { name: 'd', creationTimestamp: new Date().toISOString() },
      spec: { replicas: 3, selector: { matchLabels: { app: 'd' } }, template: { spec: { containers: [{ name: 'c', image: 'nginx' }, { name: 'e', image: 'busybox' }] } } },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    expect(deploymentPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
    expect(deploymentPrinter.row(dep)).toEqual(['d', '2/3', 3, 2, '0s', 'c,e', 'nginx,busybox', 'app=d']);
  });
});

describe('node and event printers', () => {
  test('node status and roles', () => {
    const node = {
      metadata: { name: 'n1', labels: { 'node-role.kubernetes.io/control-plane': '' } },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.0' }, addresses: [{ type: 'InternalIP', address: '10.0.0.5' }] },
    };
    expect(nodePrinter.row(node)).toEqual(['n1', 'Ready,SchedulingDisabled', 'control-plane', '<unknown>', 'v1.32.0', '10.0.0.5', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });

  test('event row', () => {
    const ts = new Date().toISOString();
    const ev = {
      metadata: { name: 'p.1' }, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'Scheduled', message: 'ok ', type: 'Normal',
      source: { component: 'default-scheduler' }, firstTimestamp: ts, lastTimestamp: ts, count: 1,
    };
    expect(coreEventPrinter.columns.map((c) => c.name)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name']);
    expect(coreEventPrinter.row(ev)).toEqual(['0s', 'Normal', 'Scheduled', 'pod/p', '', 'default-scheduler', 'ok', '0s', 1, 'p.1']);
  });

  test('endpoints', () => {
    const ep = { metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: '1.1.1.1' }, { ip: '1.1.1.2' }, { ip: '1.1.1.3' }, { ip: '1.1.1.4' }], ports: [{ port: 80 }] }] };
    expect(formatEndpoints(ep)).toBe('1.1.1.1:80,1.1.1.2:80,1.1.1.3:80 + 1 more...');
    expect(endpointsPrinter.row({ metadata: { name: 'x' } })[1]).toBe('<none>');
  });
});
