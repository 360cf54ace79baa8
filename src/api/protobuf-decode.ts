// Decodes request bodies sent as application/vnd.kubernetes.protobuf (the k8s\0 + runtime.Unknown envelope)
// into the same JSON object a JSON client would have sent, so handlers only ever see JSON.
import { Type } from 'protobufjs';
import { renderMessage } from './protobuf-json';
import { lookupMessage, typeForKind } from './protobuf-schema';

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';
const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export type ProtobufDecodeReason = 'NotKubernetesProtobuf' | 'UnsupportedEncoding' | 'UnknownKind' | 'Malformed';

// `reason` lets the caller choose the status (upstream answers 400 for an unregistered kind or bad bytes).
export class ProtobufDecodeError extends Error {
  constructor(readonly reason: ProtobufDecodeReason, message: string, readonly apiVersion = '', readonly kind = '') {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

export interface DecodedProtobuf {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

export function isProtobufMediaType(ct: string): boolean {
  return ct.split(';')[0].trim().toLowerCase() === protobufMediaType;
}

function envelopeType(): Type {
  const t = lookupMessage('k8s.io.apimachinery.pkg.runtime.Unknown');
  if (!t) throw new Error('runtime.Unknown missing from proto/k8s');
  return t;
}

function decodeMessage(type: Type, bytes: Uint8Array): Record<string, unknown> {
  try {
    return type.decode(bytes) as unknown as Record<string, unknown>;
  } catch (err) {
    throw new ProtobufDecodeError('Malformed', `unable to decode ${type.name}: ${(err as Error).message}`);
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function decodeKubernetesProtobuf(body: Buffer): DecodedProtobuf {
  if (body.length < magic.length || !body.subarray(0, magic.length).equals(magic)) {
    throw new ProtobufDecodeError('NotKubernetesProtobuf', 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const unknown = decodeMessage(envelopeType(), body.subarray(magic.length));
  const typeMeta = (unknown['typeMeta'] ?? {}) as Record<string, unknown>;
  const apiVersion = text(typeMeta['apiVersion']);
  const kind = text(typeMeta['kind']);
  const encoding = text(unknown['contentEncoding']);
  if (encoding !== '') throw new ProtobufDecodeError('UnsupportedEncoding', `unsupported content encoding "${encoding}"`, apiVersion, kind);
  if (kind === '') throw new ProtobufDecodeError('Malformed', "Object 'Kind' is missing in protobuf envelope", apiVersion, kind);
  const type = typeForKind(apiVersion, kind);
  if (!type) {
    throw new ProtobufDecodeError('UnknownKind', `no kind "${kind}" is registered for version "${apiVersion}"`, apiVersion, kind);
  }
  const raw = unknown['raw'];
  const msg = decodeMessage(type, raw instanceof Uint8Array ? raw : new Uint8Array(0));
  let rendered: Record<string, unknown>;
  try {
    rendered = renderMessage(type, msg, (nestedRaw) => decodeKubernetesProtobuf(nestedRaw).object);
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw err;
    throw new ProtobufDecodeError('Malformed', `unable to decode ${kind}: ${(err as Error).message}`, apiVersion, kind);
  }
  // Go's TypeMeta puts kind before apiVersion.
  return { apiVersion, kind, object: { kind, apiVersion, ...rendered } };
}
