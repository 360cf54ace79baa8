// Completion indexes of Indexed Jobs as ordered, merged intervals, written the way upstream writes
// status.completedIndexes ("1,3-5,7": a pair of neighbours is spelled "1,2", three or more "1-3").
export interface Interval { first: number; last: number }

/** Parses status.completedIndexes, ignoring what lies at or beyond `completions` and corrupt parts. */
export function parseIndexes(s: string | undefined, completions: number): Interval[] {
  const out: Interval[] = [];
  if (!s) return out;
  for (const part of s.split(',')) {
    const [a, b] = part.split('-');
    const first = Number(a);
    if (a === '' || !Number.isInteger(first)) continue;
    if (first >= completions) break;
    let last = first;
    if (b !== undefined) {
      last = Number(b);
      if (b === '' || !Number.isInteger(last)) continue;
      last = Math.min(last, completions - 1);
    }
    const prev = out[out.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else out.push({ first, last });
  }
  return out;
}

export function formatIndexes(iv: Interval[]): string {
  return iv.map(({ first, last }) => {
    if (last === first) return String(first);
    return `${first}${last === first + 1 ? ',' : '-'}${last}`;
  }).join(',');
}

/** The intervals with these indexes added, merged. */
export function withIndexes(iv: Interval[], indexes: Iterable<number>): Interval[] {
  const all = [...iv.map((x) => ({ ...x })), ...[...indexes].map((i) => ({ first: i, last: i }))]
    .sort((x, y) => x.first - y.first);
  const out: Interval[] = [];
  for (const x of all) {
    const prev = out[out.length - 1];
    if (prev && x.first <= prev.last + 1) prev.last = Math.max(prev.last, x.last);
    else out.push(x);
  }
  return out;
}

export function hasIndex(iv: Interval[], i: number): boolean {
  return iv.some((x) => x.first <= i && i <= x.last);
}

export function totalIndexes(iv: Interval[]): number {
  return iv.reduce((n, x) => n + x.last - x.first + 1, 0);
}

/** The lowest `count` indexes below `completions` that are neither done nor taken. */
export function firstPendingIndexes(done: Interval[], taken: Iterable<number>, count: number, completions: number): number[] {
  const nonPending = withIndexes(done, taken);
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!hasIndex(nonPending, i)) out.push(i);
  return out;
}
