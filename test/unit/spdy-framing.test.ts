// SPDY/3.1 framing: header blocks are a zlib stream (with the SPDY/3 dictionary) that real zlib inflates,
// and the parser splits frames however the bytes arrive.
import zlib from 'node:zlib';
import { FLAG_FIN, FrameParser, FrameType, adler32, dataFrames, nameValueBlock, pingFrame, storedZlib, synStream } from '../../src/streaming/spdy-framing';
import { SPDY3_DICTIONARY } from '../../src/streaming/spdy-dictionary';

describe('SPDY header blocks', () => {
  it('encode name/value pairs with 32-bit lengths and lower-case names', () => {
    const b = nameValueBlock({ streamType: 'error' });
    expect(b.readUInt32BE(0)).toBe(1);
    expect(b.readUInt32BE(4)).toBe(10);
    expect(b.subarray(8, 18).toString()).toBe('streamtype');
    expect(b.readUInt32BE(18)).toBe(5);
    expect(b.subarray(22).toString()).toBe('error');
  });

  it('are one zlib stream across frames, inflated by zlib with the SPDY/3 dictionary', () => {
    const a = nameValueBlock({ streamType: 'stdin' });
    const big = nameValueBlock({ x: 'y'.repeat(70_000) }); // more than one stored block
    const wire = Buffer.concat([storedZlib(a, true), storedZlib(big, false)]);
    const out = zlib.inflateSync(wire, { dictionary: SPDY3_DICTIONARY, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    expect(out.equals(Buffer.concat([a, big]))).toBe(true);
  });

  it('name the dictionary by the Adler-32 zlib computes', () => {
    const real = zlib.deflateSync(Buffer.from('x'), { dictionary: SPDY3_DICTIONARY });
    expect(real.readUInt32BE(2)).toBe(adler32(SPDY3_DICTIONARY));
    expect(storedZlib(Buffer.alloc(0), true).readUInt32BE(2)).toBe(adler32(SPDY3_DICTIONARY));
  });

  it('use the dictionary of the SPDY/3 draft (its words, then its literal tail)', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(SPDY3_DICTIONARY.subarray(0, 11)).toEqual(Buffer.from('\0\0\0\x07options'));
    expect(SPDY3_DICTIONARY.subarray(-13).toString()).toBe('utf-,*,enq=0.');
  });
});

describe('SPDY frames', () => {
  it('round-trip through the parser whatever the chunking', () => {
    const wire = Buffer.concat([
      synStream(1, storedZlib(nameValueBlock({ streamType: 'error' }), true)),
      ...dataFrames(3, Buffer.from('hello'), false),
      ...dataFrames(3, Buffer.alloc(0), true),
      pingFrame(2),
    ]);
    for (const step of [1, 3, 7, wire.length]) {
      const p = new FrameParser();
      const frames = [];
      for (let i = 0; i < wire.length; i += step) frames.push(...p.push(wire.subarray(i, i + step)));
      expect(frames).toHaveLength(4);
      expect(frames[0]).toMatchObject({ control: true, type: FrameType.SynStream, flags: 0 });
      expect(frames[0]!.data.readUInt32BE(0)).toBe(1);
      expect(frames[1]).toMatchObject({ control: false, streamId: 3, flags: 0 });
      expect(frames[1]!.data.toString()).toBe('hello');
      expect(frames[2]).toMatchObject({ control: false, streamId: 3, flags: FLAG_FIN });
      expect(frames[2]!.data.length).toBe(0);
      expect(frames[3]).toMatchObject({ control: true, type: FrameType.Ping });
      expect(frames[3]!.data.readUInt32BE(0)).toBe(2);
    }
  });

  it('start control frames with the version 3 marker', () => {
    expect(pingFrame(7).subarray(0, 8)).toEqual(Buffer.from([0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04]));
  });
});
