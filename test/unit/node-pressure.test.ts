// The kubelet's pressure decisions against upstream's default hard eviction thresholds, and the conditions they
// produce (reasons and messages as upstream's kubelet writes them).
import { pressureOf } from '../../src/node/kubelet/node-pressure';
import { nodeConditions } from '../../src/node/kubelet/node-status';

const ok = { memoryAvailableBytes: 2 ** 30, nodefsAvailableRatio: 0.5, nodefsInodesFreeRatio: 0.5 };

test('memory.available<100Mi, nodefs.available<10% and nodefs.inodesFree<5% are pressure', () => {
  expect(pressureOf(ok)).toEqual({ memory: false, disk: false });
  expect(pressureOf({ ...ok, memoryAvailableBytes: 100 * 2 ** 20 - 1 })).toEqual({ memory: true, disk: false });
  expect(pressureOf({ ...ok, memoryAvailableBytes: 100 * 2 ** 20 })).toEqual({ memory: false, disk: false });
  expect(pressureOf({ ...ok, nodefsAvailableRatio: 0.09 })).toEqual({ memory: false, disk: true });
  expect(pressureOf({ ...ok, nodefsInodesFreeRatio: 0.04 })).toEqual({ memory: false, disk: true });
});

test('pressure conditions carry upstream reasons; transitions keep their time while unchanged', () => {
  const first = nodeConditions(undefined, 'T1', { memory: true, disk: false });
  expect(first.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
    ['MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'],
    ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
    ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
    ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
  ]);
  const later = nodeConditions(first, 'T2', { memory: false, disk: true });
  expect(later.find((c) => c.type === 'MemoryPressure')).toMatchObject({ status: 'False', lastTransitionTime: 'T2', lastHeartbeatTime: 'T2' });
  expect(later.find((c) => c.type === 'DiskPressure')).toMatchObject({ status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure', lastTransitionTime: 'T2' });
  expect(later.find((c) => c.type === 'Ready')).toMatchObject({ lastTransitionTime: 'T1', lastHeartbeatTime: 'T2' });
});
