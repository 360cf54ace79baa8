// Drops the fields the schema does not know, as upstream's decoder does under fieldValidation
// Warn and Ignore: the object is stored without them (Strict rejects the request instead).

type Token = string | number;

function tokens(path: string): Token[] {
  const out: Token[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/** Removes each `spec.containers[0].foo`-style path from `obj` in place. */
export function pruneUnknownFields(obj: unknown, paths: string[]): void {
  for (const p of paths) removePath(obj, tokens(p));
}

function removePath(root: unknown, toks: Token[]): void {
  let cur: unknown = root;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const last = i === toks.length - 1;
    if (typeof t === 'number') {
      if (!Array.isArray(cur)) return;
      cur = cur[t];
      continue;
    }
    if (typeof cur !== 'object' || cur === null) return;
    const rec = cur as Record<string, unknown>;
    // Map keys may themselves hold dots: take the longest run of segments that names a key.
    let key = t;
    let j = i;
    while (!(key in rec) && j + 1 < toks.length && typeof toks[j + 1] === 'string') { j++; key = `${key}.${String(toks[j])}`; }
    if (j === toks.length - 1 || last) { delete rec[key]; return; }
    cur = rec[key];
    i = j;
  }
}
