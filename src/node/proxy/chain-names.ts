// Upstream kube-proxy's chain names: a prefix plus the first 16 characters of the base32 (RFC 4648,
// standard alphabet) of sha256(servicePortName + protocol [+ endpoint]), which keeps names within
// iptables' 28 characters and identical to the ones upstream would create for the same service.
// A chain set with another prefix than KUBE lets several clusters' proxies share one host's tables.
import { createHash } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The first 16 base32 characters need only the first 10 bytes (80 bits) of the digest: two 40-bit halves
 * of 8 characters each. Names are memoised, since every sync names every chain again.
 */
const memo = new Map<string, string>();
export function hash16(input: string): string {
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

/** Upstream's prefix; any other keeps one cluster's chains apart from another's on a shared host. */
export const UPSTREAM_PREFIX = 'KUBE';
/** `-SVC-` plus 16 hash characters must still fit iptables' 28 characters. */
export const MAX_PREFIX_LENGTH = 7;

export interface ChainSet {
  prefix: string;
  services: string;
  externalServices: string;
  nodePorts: string;
  postrouting: string;
  markMasq: string;
  forward: string;
  serviceChain(portName: string, protocol: string): string;
  externalChain(portName: string, protocol: string): string;
  endpointChain(portName: string, protocol: string, endpoint: string): string;
  /** Per-service chains this set creates and may delete when they go stale. */
  isServiceChain(chain: string): boolean;
}

export function chainSet(prefix = UPSTREAM_PREFIX): ChainSet {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(prefix) || prefix.length > MAX_PREFIX_LENGTH) {
    throw new Error(`chain prefix ${JSON.stringify(prefix)}: 1-${MAX_PREFIX_LENGTH} letters and digits, starting with a letter`);
  }
  const perService = ['SVC', 'SVL', 'EXT', 'FW', 'SEP'].map((k) => `${prefix}-${k}-`);
  return {
    prefix,
    services: `${prefix}-SERVICES`,
    externalServices: `${prefix}-EXTERNAL-SERVICES`,
    nodePorts: `${prefix}-NODEPORTS`,
    postrouting: `${prefix}-POSTROUTING`,
    markMasq: `${prefix}-MARK-MASQ`,
    forward: `${prefix}-FORWARD`,
    serviceChain: (portName, protocol) => `${prefix}-SVC-${hash16(portName + protocol)}`,
    externalChain: (portName, protocol) => `${prefix}-EXT-${hash16(portName + protocol)}`,
    endpointChain: (portName, protocol, endpoint) => `${prefix}-SEP-${hash16(portName + protocol + endpoint)}`,
    isServiceChain: (chain) => perService.some((p) => chain.startsWith(p)),
  };
}

const upstream = chainSet();
export const serviceChain = upstream.serviceChain;
export const externalChain = upstream.externalChain;
export const endpointChain = upstream.endpointChain;
