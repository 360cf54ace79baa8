// Writing JSON bodies and Status errors with the headers kubectl and client libraries expect.
import type { ServerResponse } from 'node:http';
import { toStatusError } from '../registry/errors';
import { logger } from '../log';

export function writeJson(res: ServerResponse, code: number, body: unknown | string, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * A list body written in pieces of about 64 KiB, each after the socket took the one before: the items are
 * already serialized in the watch cache, and neither joining ten thousand of them into one string nor
 * queueing every piece at once (several concurrent lists held tens of MB each in write buffers, which V8
 * then kept as resident heap) is needed to send them.
 */
export async function writeListStream(res: ServerResponse, head: string, items: string[]): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  let buf = head;
  for (let i = 0; i < items.length; i++) {
    buf += (i ? ',' : '') + items[i];
    if (buf.length < 64 * 1024) continue;
    const flushed = res.write(buf);
    buf = '';
    if (!flushed && !(await drained(res))) return;
  }
  res.end(buf + ']}');
}

/** Resolves true once the response can take more, false if the client went away first. */
function drained(res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => { res.off('drain', onDrain); res.off('close', onClose); resolve(ok); };
    const onDrain = done(true);
    const onClose = done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

export function writeError(res: ServerResponse, err: unknown): void {
  const se = toStatusError(err);
  if (se.code >= 500) logger.error({ err: err instanceof Error ? err.stack : String(err) }, 'request failed');
  if (res.headersSent) { res.end(); return; }
  writeJson(res, se.code, se.status);
}

/** Adds a `Warning` header the way upstream does (299 code, quoted text), one per warning. */
export function addWarnings(res: ServerResponse, warnings: string[]): void {
  if (!warnings.length) return;
  res.setHeader('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
}
