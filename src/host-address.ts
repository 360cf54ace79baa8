// This machine's address as every role reports it (the Node's InternalIP, the `kubernetes` endpoints, the
// proxy's and ingress's node address): the first IPv4 of a real interface, never loopback or the bridges
// and veths the pods use, so all roles agree on one address.
import os from 'node:os';

export function hostIPv4(): string {
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    if (/^(lo|kubets|cni|veth|docker|br-)/.test(name)) continue;
    const a = addrs?.find((x) => x.family === 'IPv4' && !x.internal);
    if (a) return a.address;
  }
  return '127.0.0.1';
}
