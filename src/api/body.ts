// Reading and decoding request bodies: a 3 MiB limit (413 past it, as upstream), JSON or YAML,
// and a 400 with the decoder's message for malformed input.
import type { IncomingMessage } from 'node:http';
import YAML from 'yaml';
import { badRequest, tooLarge, unsupportedMediaType } from '../registry/errors';
import { decodeKubernetesProtobuf, isProtobufMediaType, ProtobufDecodeError } from './protobuf-decode';

export const maxBodyBytes = 3 * 1024 * 1024;

/** Past this much, an oversized body is no longer drained: the connection is closed instead. */
const maxDrainBytes = 64 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = Number(req.headers['content-length'] ?? 0) > maxBodyBytes;
    // The 413 goes out once the client has sent its whole body: answering mid-upload makes the client's
    // write fail (EPIPE) before it reads the answer.
    const refuse = (): void => { reject(tooLarge()); };
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxDrainBytes) { req.destroy(); return; }
      if (failed) return;
      if (size > maxBodyBytes) { failed = true; chunks.length = 0; return; }
      chunks.push(c);
    });
    req.on('end', () => { if (failed) refuse(); else resolve(Buffer.concat(chunks)); });
    req.on('close', () => { if (failed) refuse(); });
    req.on('error', reject);
  });
}

export const patchTypes = new Set(['application/json-patch+json', 'application/merge-patch+json',
  'application/strategic-merge-patch+json', 'application/apply-patch+yaml']);

export function mediaTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
}

/** Decodes a JSON or YAML body into a value; `what` names the target for error messages. */
export function decodeBody(buf: Buffer, mediaType: string): unknown {
  if (isProtobufMediaType(mediaType)) {
    // client-go 1.32 sends built-in kinds as protobuf by default (kubectl create namespace, ...).
    try { return decodeKubernetesProtobuf(buf).object; } catch (e) {
      if (e instanceof ProtobufDecodeError) throw badRequest(e.message);
      throw e;
    }
  }
  const text = buf.toString('utf8');
  if (mediaType === 'application/yaml' || mediaType === 'application/apply-patch+yaml') {
    try { return YAML.parse(text); } catch (e) { throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`); }
  }
  if (mediaType === 'application/json' || patchTypes.has(mediaType) || mediaType === '*/*') {
    if (text.trim() === '') throw badRequest('the body of the request was empty');
    try { return JSON.parse(text); } catch (e) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
    }
  }
  throw unsupportedMediaType(mediaType);
}
