// Label and field selector parsing, matching and printing.
import { StatusError } from '../../src/registry/errors';
import { parseFieldSelector } from '../../src/registry/field-selector';
import { formatLabels, fromLabelSelector, parseLabelSelector } from '../../src/registry/label-selector';

function statusOf(fn: () => unknown): { code: number; message: string } {
  try { fn(); } catch (e) {
    if (e instanceof StatusError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('no error');
}

describe('label selectors', () => {
  test('parse all operators and match', () => {
    const s = parseLabelSelector('a=b,c!=d,e in (x,y),f notin (z),g,!h,i==j');
    expect(s.matches({ a: 'b', e: 'x', g: '', i: 'j' })).toBe(true);
    expect(s.matches({ a: 'b', e: 'x', g: '', i: 'j', h: '1' })).toBe(false);
    expect(s.matches({ a: 'b', c: 'd', e: 'x', g: '', i: 'j' })).toBe(false);
    expect(s.matches({ a: 'b', e: 'q', g: '', i: 'j' })).toBe(false);
    expect(s.matches({ a: 'b', e: 'y', f: 'z', g: '', i: 'j' })).toBe(false);
    expect(s.toString()).toBe('a=b,c!=d,e in (x,y),f notin (z),g,!h,i==j');
  });

  test('requirements are sorted by key', () => {
    expect(parseLabelSelector('z=1,a=2').toString()).toBe('a=2,z=1');
  });

  test('empty selector selects everything', () => {
    expect(parseLabelSelector('').matches({})).toBe(true);
  });

  test('parse errors are 400', () => {
    expect(statusOf(() => parseLabelSelector('a in b'))).toEqual({ code: 400, message: "unable to parse requirement: found 'b' expected: '('" });
    expect(statusOf(() => parseLabelSelector('a=b c')).code).toBe(400);
    expect(statusOf(() => parseLabelSelector('a b')).message).toBe("unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    expect(statusOf(() => parseLabelSelector('!a=b')).message).toBe("found '=', expected: ',' or 'end of string'");
    expect(statusOf(() => parseLabelSelector('a=b,')).message).toBe("found '', expected: identifier after ','");
  });

  test('invalid values are rejected', () => {
    expect(statusOf(() => parseLabelSelector('a=-x')).message).toMatch(/^unable to parse requirement: values\[0\]\[a\]: Invalid value: "-x"/);
  });

  test('metav1.LabelSelector conversion', () => {
    const s = fromLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] });
    expect(s?.toString()).toBe('app=web,tier in (a,b)');
    expect(s?.matches({ app: 'web', tier: 'a' })).toBe(true);
    expect(fromLabelSelector(undefined)).toBeNull();
    expect(fromLabelSelector({})?.empty()).toBe(true);
  });

  test('formatLabels', () => {
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels({})).toBe('<none>');
  });
});

describe('field selectors', () => {
  test('parse and match', () => {
    const s = parseFieldSelector('status.phase=Running,spec.nodeName!=n1,metadata.name==p');
    expect(s.matches({ 'status.phase': 'Running', 'spec.nodeName': 'n2', 'metadata.name': 'p' })).toBe(true);
    expect(s.matches({ 'status.phase': 'Running', 'spec.nodeName': 'n1', 'metadata.name': 'p' })).toBe(false);
  });

  test('escapes', () => {
    const s = parseFieldSelector('a=x\\,y');
    expect(s.matches({ a: 'x,y' })).toBe(true);
  });

  test('unsupported label and syntax errors', () => {
    expect(statusOf(() => parseFieldSelector('spec.foo=1', ['metadata.name']))).toEqual({ code: 400, message: 'field label not supported: spec.foo' });
    expect(statusOf(() => parseFieldSelector('abc'))).toEqual({ code: 400, message: "invalid selector: 'abc'; can't understand 'abc'" });
  });
});
