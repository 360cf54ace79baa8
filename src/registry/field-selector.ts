// Field selectors (`a=b,c!=d,e==f`): parsing with upstream's escaping rules, checking the field labels a
// kind supports, and matching against the attribute map a strategy exposes.
import { badRequest } from './errors';
import type { ResourceDef } from './resource-types';

export interface FieldRequirement { field: string; op: '=' | '!='; value: string }

export class FieldSelector {
  constructor(readonly requirements: FieldRequirement[]) {}
  empty(): boolean { return this.requirements.length === 0; }
  matches(attrs: Record<string, string>): boolean {
    return this.requirements.every((r) => ((attrs[r.field] ?? '') === r.value) === (r.op === '='));
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.op}${escapeValue(r.value)}`).join(',');
  }
}

const escapeValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');

function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) { cur += s[i] + s[i + 1]; i++; continue; }
    if (s[i] === ',') { terms.push(cur); cur = ''; continue; }
    cur += s[i];
  }
  terms.push(cur);
  return terms;
}

function splitTerm(term: string): [string, '=' | '!=', string] | undefined {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') { i++; continue; }
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op === '==' ? '=' : op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

function unescape(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '\\') {
      const n = v[i + 1];
      if (n !== '\\' && n !== ',' && n !== '=') throw new Error(`invalid field selector: invalid escape sequence: ${JSON.stringify(v)}`);
      out += n;
      i++;
    } else if (v[i] === ',' || v[i] === '=') {
      throw new Error(`invalid field selector: unescaped character: ${JSON.stringify(v)}`);
    } else {
      out += v[i];
    }
  }
  return out;
}

/**
 * Parses `fieldSelector`. With `allowed`, each field label must be in it (400 `field label not supported: x`).
 * Syntax errors are 400 too.
 */
export function parseFieldSelector(s: string | undefined, allowed?: Iterable<string>): FieldSelector {
  if (!s) return new FieldSelector([]);
  const allow = allowed ? new Set(allowed) : undefined;
  const reqs: FieldRequirement[] = [];
  for (const part of splitTerms(s).sort()) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    let value: string;
    try { value = unescape(t[2]); } catch (e) { throw badRequest((e as Error).message); }
    reqs.push({ field: t[0], op: t[1], value });
  }
  if (allow) {
    for (const r of reqs) if (!allow.has(r.field)) throw badRequest(`field label not supported: ${r.field}`);
  }
  return new FieldSelector(reqs);
}

/** Attributes every object offers to field selectors. */
export function metadataFieldAttributes(name: string | undefined, namespace: string | undefined, namespaced: boolean): Record<string, string> {
  return namespaced ? { 'metadata.name': name ?? '', 'metadata.namespace': namespace ?? '' } : { 'metadata.name': name ?? '' };
}

/**
 * The field labels a resource supports: metadata ones plus every key its strategy's fieldAttributes returns
 * (by convention fieldAttributes returns all its keys, even for an empty object).
 */
export function supportedFieldLabels(def: Pick<ResourceDef, 'strategy' | 'namespaced'>): string[] {
  const extra = def.strategy.fieldLabels ?? (def.strategy.fieldAttributes ? Object.keys(def.strategy.fieldAttributes({ metadata: {} })) : []);
  return [...new Set(['metadata.name', ...(def.namespaced ? ['metadata.namespace'] : []), ...extra])];
}

/** All attributes of one object for matching: metadata ones plus the strategy's. */
export function objectFieldAttributes(def: Pick<ResourceDef, 'strategy' | 'namespaced'>,
  obj: { metadata?: { name?: string; namespace?: string } } & Record<string, unknown>): Record<string, string> {
  const attrs = metadataFieldAttributes(obj.metadata?.name, obj.metadata?.namespace, def.namespaced);
  // Built for every object the watch cache takes in: one map, the strategy's keys winning as before.
  if (def.strategy.fieldAttributes) Object.assign(attrs, def.strategy.fieldAttributes(obj));
  return attrs;
}
