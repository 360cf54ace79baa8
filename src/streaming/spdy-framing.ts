// SPDY/3.1 frame encoding and parsing, the part of the protocol a client of Kubernetes' remotecommand
// streams needs: SYN_STREAM with a name/value block, DATA with FIN, PING, RST_STREAM and GOAWAY.
// Header blocks go out as zlib "stored" blocks after the SPDY/3 preset dictionary's id: a valid zlib
// stream any peer inflates, so the sender keeps no compressor state; incoming header blocks are never
// read (nothing in them matters to a remotecommand client), so there is no inflater either.
import { SPDY3_DICTIONARY } from './spdy-dictionary';

export enum FrameType { SynStream = 1, SynReply = 2, RstStream = 3, Settings = 4, Ping = 6, GoAway = 7, Headers = 8, WindowUpdate = 9 }
export const FLAG_FIN = 0x01;

export type Frame =
  | { control: false; streamId: number; flags: number; data: Buffer }
  | { control: true; type: number; flags: number; data: Buffer };

export function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of buf) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const DICTIONARY_ID = adler32(SPDY3_DICTIONARY);

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export function nameValueBlock(headers: Record<string, string>): Buffer {
  const entries = Object.entries(headers);
  const parts = [u32(entries.length)];
  for (const [k, v] of entries) {
    const name = Buffer.from(k.toLowerCase(), 'utf8');
    const value = Buffer.from(v, 'utf8');
    parts.push(u32(name.length), name, u32(value.length), value);
  }
  return Buffer.concat(parts);
}

/** Wraps raw bytes as zlib stored deflate blocks ending with a sync-flush marker; `first` adds the zlib header. */
export function storedZlib(raw: Buffer, first: boolean): Buffer {
  const parts: Buffer[] = [];
  // CMF 0x78 (deflate, 32K window), FLG 0x20 (FDICT, level 0; 0x7820 is a multiple of 31), then the dictionary id.
  if (first) parts.push(Buffer.from([0x78, 0x20]), u32(DICTIONARY_ID));
  for (let off = 0; off < raw.length; off += 0xffff) {
    const chunk = raw.subarray(off, off + 0xffff);
    const head = Buffer.alloc(5);
    head.writeUInt8(0, 0); // BFINAL=0, BTYPE=00 (stored), padded to the byte boundary
    head.writeUInt16LE(chunk.length, 1);
    head.writeUInt16LE(~chunk.length & 0xffff, 3);
    parts.push(head, chunk);
  }
  parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
  return Buffer.concat(parts);
}

export function controlFrame(type: FrameType, flags: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8003, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24 | body.length) >>> 0, 4);
  return Buffer.concat([head, body]);
}

export function synStream(streamId: number, compressedHeaders: Buffer, flags = 0): Buffer {
  const body = Buffer.alloc(10);
  body.writeUInt32BE(streamId & 0x7fffffff, 0);
  body.writeUInt32BE(0, 4); // associated-to stream
  body.writeUInt16BE(0, 8); // priority and slot
  return controlFrame(FrameType.SynStream, flags, Buffer.concat([body, compressedHeaders]));
}

export function dataFrames(streamId: number, data: Buffer, fin: boolean): Buffer[] {
  const frames: Buffer[] = [];
  const max = 0xffffff;
  let off = 0;
  do {
    const chunk = data.subarray(off, off + max);
    off += chunk.length;
    const last = off >= data.length;
    const head = Buffer.alloc(8);
    head.writeUInt32BE(streamId & 0x7fffffff, 0);
    head.writeUInt32BE((((fin && last ? FLAG_FIN : 0) << 24) | chunk.length) >>> 0, 4);
    frames.push(head, chunk);
  } while (off < data.length);
  return frames;
}

export function pingFrame(id: number): Buffer {
  return controlFrame(FrameType.Ping, 0, u32(id));
}

export function goAwayFrame(lastGoodStreamId: number): Buffer {
  return controlFrame(FrameType.GoAway, 0, Buffer.concat([u32(lastGoodStreamId), u32(0)]));
}

/** Splits a byte stream into frames; feed it chunks as they arrive. */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const frames: Frame[] = [];
    while (this.buf.length >= 8) {
      const flagsLen = this.buf.readUInt32BE(4);
      const len = flagsLen & 0xffffff;
      if (this.buf.length < 8 + len) break;
      const flags = flagsLen >>> 24;
      const data = this.buf.subarray(8, 8 + len);
      const first = this.buf.readUInt32BE(0);
      if (first & 0x80000000) frames.push({ control: true, type: first & 0xffff, flags, data });
      else frames.push({ control: false, streamId: first & 0x7fffffff, flags, data });
      this.buf = this.buf.subarray(8 + len);
    }
    return frames;
  }
}
