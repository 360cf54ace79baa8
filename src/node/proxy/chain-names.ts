// Upstream kube-proxy's chain names: a prefix plus the first 16 characters of the base32 (RFC 4648,
// standard alphabet) of sha256(servicePortName + protocol [+ endpoint]), which keeps names within
// iptables' 28 characters and identical to the ones upstream would create for the same service.
import { createHash } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The first 16 base32 characters need only the first 10 bytes (80 bits) of the digest: two 40-bit halves
 * of 8 characters each. Names are memoised, since every sync names every chain again.
 */
const memo = new Map<string, string>();
function hash16(input: string): string {
  const known = memo.get(input);
  if (known) return known;
  const d = createHash('sha256').update(input).digest();
  let out = '';
  for (const at of [0, 5]) {
    let v = d[at] * 2 ** 32 + d.readUInt32BE(at + 1);
    let chunk = '';
    for (let i = 0; i < 8; i++) { chunk = ALPHABET[v % 32] + chunk; v = Math.floor(v / 32); }
    out += chunk;
  }
  if (memo.size > 200_000) memo.clear();
  memo.set(input, out);
  return out;
}

export const serviceChain = (portName: string, protocol: string): string => `KUBE-SVC-${hash16(portName + protocol)}`;
export const externalChain = (portName: string, protocol: string): string => `KUBE-EXT-${hash16(portName + protocol)}`;
export const endpointChain = (portName: string, protocol: string, endpoint: string): string =>
  `KUBE-SEP-${hash16(portName + protocol + endpoint)}`;

const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-EXT-', 'KUBE-FW-', 'KUBE-SEP-'];

/** Per-service chains the proxy creates and may delete when they go stale. */
export const isServiceChain = (chain: string): boolean => SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p));
