// IPv4 CIDR arithmetic for the service IP range: parse, membership, offset ↔ address.

export interface Ipv4Cidr { text: string; base: number; bits: number; size: number }

export function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export const intToIpv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

export function parseIpv4Cidr(text: string): Ipv4Cidr {
  const [ip, bitsText] = text.split('/');
  const addr = ipv4ToInt(ip);
  const bits = Number(bitsText);
  if (addr === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) throw new Error(`invalid CIDR address: ${text}`);
  const size = 2 ** (32 - bits);
  const base = bits === 0 ? 0 : Math.floor(addr / size) * size;
  return { text: `${intToIpv4(base)}/${bits}`, base, bits, size };
}

export function cidrContains(c: Ipv4Cidr, ip: number): boolean {
  return ip >= c.base && ip < c.base + c.size;
}
