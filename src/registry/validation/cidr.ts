// CIDR parsing for IPv4 and IPv6 as upstream's netutils.ParseCIDRSloppy reads it (leading zeros in
// IPv4 octets allowed), with the containment test NetworkPolicy's ipBlock.except needs.
import { isIP } from 'node:net';

export interface Cidr { family: 4 | 6; network: bigint; bits: number }

function ipv4ToBig(ip: string): bigint | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) + BigInt(Number(p)), 0n);
}

function ipv6ToBig(ip: string): bigint | undefined {
  if (isIP(ip) !== 6) return undefined;
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToBig(v4[1]);
    if (n === undefined) return undefined;
    text = text.slice(0, -v4[1].length) + `${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/** The CIDR, or undefined when `text` is not one. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  const family = ip.includes(':') ? 6 : 4;
  const width = family === 4 ? 32 : 128;
  const addr = family === 4 ? ipv4ToBig(ip) : ipv6ToBig(ip);
  if (addr === undefined || bits > width) return undefined;
  const hostBits = BigInt(width - bits);
  return { family, network: (addr >> hostBits) << hostBits, bits };
}

/** True when `inner` lies inside `outer` and is strictly smaller (a longer prefix). */
export function strictSubset(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.bits <= outer.bits) return false;
  const width = outer.family === 4 ? 32 : 128;
  const hostBits = BigInt(width - outer.bits);
  return (inner.network >> hostBits) === (outer.network >> hostBits);
}
