// Answers one decoded DNS query from the cluster zone, as a pure function the server and the unit tests
// share. Inside the cluster domain and for reverse names of known addresses the answer is authoritative
// (NOERROR with records, NODATA, or NXDOMAIN with the zone's SOA). Anything else is REFUSED: this server
// never forwards off the machine, and REFUSED (unlike NXDOMAIN) tells a stub resolver "not mine, ask
// the next nameserver" rather than claiming that the name does not exist anywhere.
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet, RecordType } from 'dns-packet';
import type { ClusterZone, ZoneRecord } from './cluster-zone';

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

/** CoreDNS's kubernetes plugin answers with a 5 s TTL. */
export const RECORD_TTL = 5;
const CNAME_CHAIN_LIMIT = 8;

export function soaRecord(zone: ClusterZone): Answer {
  return {
    type: 'SOA', name: zone.domain, ttl: 30, class: 'IN',
    data: {
      mname: `ns.dns.${zone.domain}`, rname: `hostmaster.${zone.domain}`,
      serial: Math.floor(Date.now() / 1000), refresh: 7200, retry: 1800, expire: 86400, minimum: 30,
    },
  };
}

function toAnswer(name: string, r: ZoneRecord): Answer {
  if (r.type === 'SRV') return { type: 'SRV', name, ttl: RECORD_TTL, class: 'IN', data: r.data };
  return { type: r.type, name, ttl: RECORD_TTL, class: 'IN', data: r.data };
}

const matches = (qtype: RecordType | 'ANY', r: ZoneRecord): boolean => (qtype as string) === 'ANY' || r.type === qtype;

function response(req: DecodedPacket, rcode: number, authoritative: boolean, parts: Partial<Packet> = {}): Packet {
  return {
    type: 'response', id: req.id,
    flags: (authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) | (req.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) | rcode,
    questions: req.questions, answers: [], authorities: [], additionals: [], ...parts,
  };
}

export function answerQuery(req: DecodedPacket, zone: ClusterZone): Packet {
  const opcode = (req as DecodedPacket & { opcode?: string }).opcode;
  if (opcode !== undefined && opcode !== 'QUERY') return response(req, RCODE.NOTIMP, false);
  const q = req.questions?.[0];
  if (!q || (req.questions?.length ?? 0) > 1) return response(req, RCODE.FORMERR, false);
  const name = q.name.toLowerCase().replace(/\.$/, '');
  const qtype = q.type as RecordType | 'ANY';
  const reverse = name.endsWith('.in-addr.arpa') || name.endsWith('.ip6.arpa');
  if (!zone.inZone(name) && !reverse) return response(req, RCODE.REFUSED, false);

  const answers: Answer[] = [];
  let current = name;
  let records = zone.lookup(current);
  if (records === undefined) {
    // A reverse name of an address the cluster does not know is not ours to deny.
    if (reverse) return response(req, RCODE.REFUSED, false);
    return response(req, RCODE.NXDOMAIN, true, { authorities: [soaRecord(zone)] });
  }
  // Follow CNAMEs (ExternalName services) as far as the zone knows the targets.
  for (let hops = 0; qtype !== 'CNAME' && hops < CNAME_CHAIN_LIMIT; hops++) {
    const cname = records.find((r) => r.type === 'CNAME');
    if (!cname) break;
    answers.push(toAnswer(current, cname));
    current = cname.data as string;
    if (!zone.inZone(current)) return response(req, RCODE.NOERROR, true, { answers });
    const next = zone.lookup(current);
    if (next === undefined) return response(req, RCODE.NXDOMAIN, true, { answers, authorities: [soaRecord(zone)] });
    records = next;
  }
  for (const r of records) if (matches(qtype, r)) answers.push(toAnswer(current, r));
  if (answers.length === 0) return response(req, RCODE.NOERROR, true, { authorities: [soaRecord(zone)] });
  // SRV targets' addresses go in the additional section, so clients need no second query.
  const additionals: Answer[] = [];
  for (const a of answers) {
    if (a.type !== 'SRV') continue;
    for (const r of zone.lookup(a.data.target) ?? []) {
      if (r.type === 'A' || r.type === 'AAAA') additionals.push(toAnswer(a.data.target, r));
    }
  }
  return response(req, RCODE.NOERROR, true, { answers, additionals });
}

/** Decodes a query, answers it and encodes the reply; a packet that does not parse gets no answer. */
export function respond(query: Buffer, zone: ClusterZone, transport: 'udp' | 'tcp' = 'udp'): Buffer | undefined {
  let req: DecodedPacket;
  try {
    req = dnsPacket.decode(query);
  } catch {
    return undefined;
  }
  if (req.type !== 'query') return undefined;
  const res = answerQuery(req, zone);
  const edns = req.additionals?.find((a) => a.type === 'OPT');
  if (edns && edns.type === 'OPT') {
    res.additionals = [...(res.additionals ?? []), { type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] } as Answer];
  }
  const limit = transport === 'tcp' ? 65535 : (edns && edns.type === 'OPT' ? Math.max(512, edns.udpPayloadSize) : 512);
  let out = dnsPacket.encode(res);
  if (out.length > limit) {
    // Too big for this transport: say so (TC) and let the client retry over TCP.
    out = dnsPacket.encode({ ...res, flags: (res.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [], authorities: [], additionals: [] });
  }
  return out;
}
