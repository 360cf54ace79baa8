// Content negotiation: which representation the client asked for in Accept (plain JSON, a Table,
// PartialObjectMetadata, aggregated discovery), with upstream's 406 when nothing we serve fits.
import { notAcceptable } from '../registry/errors';

export interface MediaType { type: string; params: Record<string, string> }

export function parseAccept(header: string | undefined): MediaType[] {
  if (!header) return [{ type: 'application/json', params: {} }];
  return header.split(',').map((part) => {
    const [type, ...ps] = part.trim().split(';');
    const params: Record<string, string> = {};
    for (const p of ps) {
      const [k, v] = p.split('=');
      if (k && v !== undefined) params[k.trim()] = v.trim();
    }
    return { type: type.trim().toLowerCase(), params };
  });
}

export type Representation = 'json' | 'table' | 'yaml';

const jsonish = new Set(['application/json', '*/*', 'application/*', 'application/json;stream=watch']);

/** The representation for a resource response. */
export function chooseRepresentation(header: string | undefined): Representation {
  for (const m of parseAccept(header)) {
    if (m.params.as === 'Table' && m.params.g === 'meta.k8s.io' && (m.params.v === 'v1' || m.params.v === 'v1beta1')) return 'table';
    if (m.params.as) continue;
    if (jsonish.has(m.type)) return 'json';
    if (m.type === 'application/yaml') return 'yaml';
  }
  const accepted = parseAccept(header).map((m) => m.type);
  if (accepted.includes('application/vnd.kubernetes.protobuf')) {
    throw notAcceptable('only the following media types are accepted: application/json, application/yaml');
  }
  throw notAcceptable('only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io');
}

export type DiscoveryForm = 'aggregated-v2' | 'aggregated-v2beta1' | 'legacy';

export function chooseDiscovery(header: string | undefined): DiscoveryForm {
  for (const m of parseAccept(header)) {
    if (m.params.as === 'APIGroupDiscoveryList' && m.params.g === 'apidiscovery.k8s.io') {
      if (m.params.v === 'v2') return 'aggregated-v2';
      if (m.params.v === 'v2beta1') return 'aggregated-v2beta1';
      continue;
    }
    if (!m.params.as) return 'legacy';
  }
  return 'legacy';
}
