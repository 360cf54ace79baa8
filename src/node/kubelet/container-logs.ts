// Container logs in the CRI format (`<RFC3339Nano time> <stdout|stderr> <P|F> <text>`, one record per
// line; P marks a partial line) read back for `kubectl logs`: tail, since, timestamps, limitBytes, follow.
import { open, stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';

export interface LogRecord { time: string; stream: string; partial: boolean; text: string }

export function parseLogLine(line: string): LogRecord | undefined {
  const a = line.indexOf(' ');
  const b = line.indexOf(' ', a + 1);
  const c = line.indexOf(' ', b + 1);
  if (a < 0 || b < 0) return undefined;
  const tag = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  return { time: line.slice(0, a), stream: line.slice(a + 1, b), partial: tag === 'P', text: c < 0 ? '' : line.slice(c + 1) };
}

export interface LogOptions {
  tailLines?: number;
  /** Only records at or after this time (ms since the epoch). */
  sinceMs?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

/** Records rendered as kubectl prints them: text, with the time first when asked, a newline after full lines. */
export function renderRecords(records: LogRecord[], o: LogOptions): string {
  let out = '';
  let atLineStart = true;
  for (const r of records) {
    if (o.timestamps && atLineStart) out += `${r.time} `;
    out += r.text + (r.partial ? '' : '\n');
    atLineStart = !r.partial;
  }
  return out;
}

export function selectRecords(content: string, o: LogOptions): LogRecord[] {
  let records = content.split('\n').filter(Boolean).map(parseLogLine).filter((r): r is LogRecord => r !== undefined);
  if (o.sinceMs !== undefined) records = records.filter((r) => Date.parse(r.time) >= o.sinceMs!);
  if (o.tailLines !== undefined) {
    // Count whole lines from the end: a run of partial records and its final record make one line.
    let lines = 0;
    let i = records.length;
    while (i > 0) {
      const r = records[i - 1]!;
      if (!r.partial) { if (lines === o.tailLines) break; lines++; }
      i--;
    }
    records = records.slice(i);
  }
  return records;
}

/**
 * Writes the log to `out`; with `follow`, keeps reading what is appended until `done()` says the container
 * has exited (and everything written has been sent) or the client goes away.
 */
export async function streamLog(file: string, o: LogOptions, out: Writable, follow: boolean, done: () => Promise<boolean>): Promise<void> {
  const fh = await open(file, 'r');
  let sent = 0;
  const send = (s: string): boolean => {
    if (o.limitBytes !== undefined) {
      const room = o.limitBytes - sent;
      if (room <= 0) return false;
      s = Buffer.from(s).subarray(0, room).toString('utf8');
    }
    sent += Buffer.byteLength(s);
    out.write(s);
    return o.limitBytes === undefined || sent < o.limitBytes;
  };
  try {
    const first = await fh.readFile('utf8');
    // A record cut mid-write is read again with what follows it.
    const cut = first.lastIndexOf('\n') + 1;
    let offset = Buffer.byteLength(first.slice(0, cut));
    let pending = '';
    if (!send(renderRecords(selectRecords(first.slice(0, cut), o), o)) || !follow) return;
    const live = { ...o, tailLines: undefined };
    let closed = false;
    out.on('close', () => { closed = true; });
    while (!closed) {
      const size = (await stat(file).catch(() => undefined))?.size ?? offset;
      if (size > offset) {
        const buf = Buffer.alloc(size - offset);
        await fh.read(buf, 0, buf.length, offset);
        offset = size;
        pending += buf.toString('utf8');
        const end = pending.lastIndexOf('\n') + 1;
        if (end > 0) {
          if (!send(renderRecords(selectRecords(pending.slice(0, end), live), live))) return;
          pending = pending.slice(end);
        }
        continue;
      }
      if (await done()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await fh.close();
  }
}
