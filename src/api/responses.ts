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
 * A list body written in pieces of about 256 KiB: the items are already serialized in the watch
 * cache, and joining ten thousand of them into one string only to copy it again costs memory.
 */
export function writeListStream(res: ServerResponse, head: string, items: string[]): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  let buf = head;
  for (let i = 0; i < items.length; i++) {
    buf += (i ? ',' : '') + items[i];
    if (buf.length > 256 * 1024) { res.write(buf); buf = ''; }
  }
  res.end(buf + ']}');
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
