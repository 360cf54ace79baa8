// NodePorts: a host port (protocol, port, overlapping IP) can be taken by one pod per node.
import { unschedulable, type FilterPlugin } from '../framework';
import { hostPorts, type HostPort } from '../node-info';

const name = 'NodePorts';

function conflicts(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');
}

export const nodePortsFilter: FilterPlugin = {
  name,
  prepare(pod) {
    const wanted = hostPorts(pod);
    if (wanted.length === 0) return null;
    return (n) => (wanted.some((w) => n.usedPorts.some((u) => conflicts(w, u)))
      ? unschedulable(name, "node(s) didn't have free ports for the requested pod ports") : undefined);
  },
};
