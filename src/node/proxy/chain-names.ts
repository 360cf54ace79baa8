// Upstream kube-proxy's chain names: a prefix plus the first 16 characters of the base32 (RFC 4648,
// standard alphabet) of sha256(servicePortName + protocol [+ endpoint]), which keeps names within
// iptables' 28 characters and identical to the ones upstream would create for the same service.
import { createHash } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The first 16 base32 characters need only the first 10 bytes (80 bits) of the digest. */
function hash16(input: string): string {
  const digest = createHash('sha256').update(input).digest();
  let bits = 0n;
  for (const b of digest.subarray(0, 10)) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let shift = 75n; shift >= 0n; shift -= 5n) out += ALPHABET[Number((bits >> shift) & 31n)];
  return out;
}

export const serviceChain = (portName: string, protocol: string): string => `KUBE-SVC-${hash16(portName + protocol)}`;
export const externalChain = (portName: string, protocol: string): string => `KUBE-EXT-${hash16(portName + protocol)}`;
export const endpointChain = (portName: string, protocol: string, endpoint: string): string =>
  `KUBE-SEP-${hash16(portName + protocol + endpoint)}`;

const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-EXT-', 'KUBE-FW-', 'KUBE-SEP-'];

/** Per-service chains the proxy creates and may delete when they go stale. */
export const isServiceChain = (chain: string): boolean => SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p));
