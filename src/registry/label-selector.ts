// Label selectors: the query-string form (`a=b,c in (x,y),!d`) and metav1.LabelSelector both become
// a list of requirements that can be matched against labels and printed back as upstream does.
import type { LabelSelector as MetaLabelSelector } from 'kubernetes-types/meta/v1';
import { badRequest } from './errors';
import { isQualifiedName, isValidLabelValue } from './validation/names';

export type SelectorOp = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement { key: string; op: SelectorOp; values: string[] }

export class LabelSelector {
  /** Requirements are kept sorted by key, as upstream prints them. */
  constructor(readonly requirements: Requirement[]) {}

  static everything(): LabelSelector { return new LabelSelector([]); }

  empty(): boolean { return this.requirements.length === 0; }

  matches(labels: Record<string, string> | undefined): boolean {
    const l = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, l));
  }

  toString(): string { return this.requirements.map(requirementString).join(','); }
}

function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels[r.key] : undefined;
  switch (r.op) {
    case '=': case '==': case 'in': return has && r.values.includes(v as string);
    case '!=': case 'notin': return !has || !r.values.includes(v as string);
    case 'exists': return has;
    case '!': return !has;
    case 'gt': case 'lt': {
      if (!has || !/^-?\d+$/.test(v as string)) return false;
      const a = Number(v);
      const b = Number(r.values[0]);
      return r.op === 'gt' ? a > b : a < b;
    }
  }
}

function requirementString(r: Requirement): string {
  if (r.op === 'exists') return r.key;
  if (r.op === '!') return `!${r.key}`;
  const vals = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(',');
  switch (r.op) {
    case 'in': return `${r.key} in (${vals})`;
    case 'notin': return `${r.key} notin (${vals})`;
    case 'gt': return `${r.key}>${vals}`;
    case 'lt': return `${r.key}<${vals}`;
    default: return `${r.key}${r.op}${vals}`;
  }
}

function sortRequirements(rs: Requirement[]): Requirement[] {
  return rs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Upstream NewRequirement's checks; returns the aggregated field-error text or undefined. */
function checkRequirement(r: Requirement): string | undefined {
  const errs: string[] = [];
  for (const m of isQualifiedName(r.key)) errs.push(`key: Invalid value: ${JSON.stringify(r.key)}: ${m}`);
  switch (r.op) {
    case 'in': case 'notin':
      if (r.values.length === 0) errs.push("values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty");
      break;
    case '=': case '==': case '!=':
      if (r.values.length !== 1) errs.push('values: Invalid value: null: exact-match compatibility requires one single value');
      break;
    case 'exists': case '!':
      if (r.values.length !== 0) errs.push('values: Invalid value: null: values set must be empty for exists and does not exist');
      break;
    case 'gt': case 'lt':
      if (r.values.length !== 1) errs.push("values: Invalid value: null: for 'Gt', 'Lt' operators, exactly one value is required");
      r.values.forEach((v, i) => {
        if (!/^-?\d+$/.test(v)) errs.push(`values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
  }
  if (r.op !== 'gt' && r.op !== 'lt') {
    r.values.forEach((v, i) => {
      for (const m of isValidLabelValue(v)) errs.push(`values[${i}][${r.key}]: Invalid value: ${JSON.stringify(v)}: ${m}`);
    });
  }
  if (errs.length === 0) return undefined;
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

// ---- string form ----

type Tok = 'id' | 'eos' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin' | 'error';
interface Token { t: Tok; lit: string }

const specials = ['!=', '==', '!', '=', '(', ')', ',', '>', '<'];
const isSpecialChar = (c: string) => '=!(),><'.includes(c);

function lex(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) { i++; continue; }
    if (isSpecialChar(c)) {
      const sym = specials.find((sp) => s.startsWith(sp, i)) as string;
      out.push({ t: sym as Tok, lit: sym });
      i += sym.length;
      continue;
    }
    let j = i;
    while (j < s.length && !/\s/.test(s[j]) && !isSpecialChar(s[j])) j++;
    const word = s.slice(i, j);
    out.push({ t: 'id', lit: word });
    i = j;
  }
  out.push({ t: 'eos', lit: '' });
  return out;
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[]) {}
  /** In "values" mode the keywords in/notin are plain identifiers. */
  private peek(keywords = false): Token { return this.kw(this.toks[this.pos], keywords); }
  private next(keywords = false): Token {
    const t = this.toks[this.pos];
    if (this.pos < this.toks.length - 1) this.pos++;
    return this.kw(t, keywords);
  }
  private kw(t: Token, keywords: boolean): Token {
    if (keywords && t.t === 'id' && (t.lit === 'in' || t.lit === 'notin')) return { t: t.lit, lit: t.lit };
    return t;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const la = this.peek();
      if (la.t === 'eos') return reqs;
      if (la.t !== 'id' && la.t !== '!') throw new Error(`found '${la.lit}', expected: !, identifier, or 'end of string'`);
      reqs.push(this.requirement());
      const t = this.next();
      if (t.t === 'eos') return reqs;
      if (t.t !== ',') throw new Error(`found '${t.lit}', expected: ',' or 'end of string'`);
      const after = this.peek();
      if (after.t !== 'id' && after.t !== '!') throw new Error(`found '${after.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let t = this.next();
    let op: SelectorOp | undefined;
    if (t.t === '!') { op = '!'; t = this.next(); }
    if (t.t !== 'id') throw new Error(`unable to parse requirement: found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const la = this.peek();
    if (la.t === 'eos' || la.t === ',') return this.checked({ key, op: op ?? 'exists', values: [] });
    if (op === '!') throw new Error(`found '${la.lit}', expected: ',' or 'end of string'`);
    const o = this.next(true);
    let values: string[];
    switch (o.t) {
      case 'in': case 'notin': values = this.valueList(); break;
      case '=': case '==': case '!=': case '>': case '<': values = this.exactValue(); break;
      default: throw new Error(`unable to parse requirement: found '${o.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    const opMap: Partial<Record<Tok, SelectorOp>> = { in: 'in', notin: 'notin', '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt' };
    return this.checked({ key, op: opMap[o.t] as SelectorOp, values });
  }

  private checked(r: Requirement): Requirement {
    const err = checkRequirement(r);
    if (err) throw new Error(`unable to parse requirement: ${err}`);
    return r;
  }

  private valueList(): string[] {
    const open = this.next();
    if (open.t !== '(') throw new Error(`unable to parse requirement: found '${open.lit}' expected: '('`);
    const la = this.peek();
    if (la.t === ')') { this.next(); return ['']; }
    if (la.t !== 'id' && la.t !== ',') throw new Error(`unable to parse requirement: found '${la.lit}', expected: ',', ')' or identifier`);
    const set = new Set<string>();
    for (;;) {
      const t = this.next();
      if (t.t === 'id') {
        set.add(t.lit);
        const n = this.peek();
        if (n.t === ',') continue;
        if (n.t === ')') break;
        throw new Error(`unable to parse requirement: found '${n.lit}', expected: ',' or ')'`);
      } else if (t.t === ',') {
        if (set.size === 0) set.add('');
        const n = this.peek();
        if (n.t === ')') { set.add(''); break; }
        if (n.t === ',') { this.next(); set.add(''); }
      } else {
        throw new Error(`unable to parse requirement: found '${t.lit}', expected: ',', or identifier`);
      }
    }
    const close = this.next();
    if (close.t !== ')') throw new Error(`unable to parse requirement: found '${close.lit}', expected: ')'`);
    return [...set].sort();
  }

  private exactValue(): string[] {
    const la = this.peek();
    if (la.t === 'eos' || la.t === ',') return [''];
    const t = this.next();
    if (t.t === 'id') return [t.lit];
    throw new Error(`unable to parse requirement: found '${t.lit}', expected: identifier`);
  }
}

/** Parses the `labelSelector` query form; a malformed selector is a 400 with upstream-like text. */
export function parseLabelSelector(s: string | undefined): LabelSelector {
  if (!s || !s.trim()) return LabelSelector.everything();
  try {
    return new LabelSelector(sortRequirements(new Parser(lex(s)).parse()));
  } catch (e) {
    throw badRequest(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Converts a structured selector. `undefined` selects nothing (as upstream's nil selector), an empty one everything.
 * Throws a plain Error on an invalid selector; validation reports those as field errors first.
 */
export function fromLabelSelector(sel: MetaLabelSelector | undefined | null): LabelSelector | null {
  if (!sel) return null;
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, op: '=', values: [v] });
  for (const e of sel.matchExpressions ?? []) {
    const op: SelectorOp | undefined = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as Record<string, SelectorOp>)[e.operator];
    if (!op) throw new Error(`${JSON.stringify(e.operator)} is not a valid label selector operator`);
    reqs.push({ key: e.key, op, values: [...(e.values ?? [])] });
  }
  for (const r of reqs) {
    const err = checkRequirement(r);
    if (err) throw new Error(err);
  }
  return new LabelSelector(sortRequirements(reqs));
}

/** `labels.FormatLabels`: sorted k=v pairs, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${(labels as Record<string, string>)[k]}`).join(',');
}
