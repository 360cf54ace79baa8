// A SPDY/3.1 client session over an upgraded connection: opens streams with headers, writes data with
// half-close, delivers each stream's data and end, and answers the server's pings. Flow-control windows
// are not enforced, as Go's spdystream (the peer on kubelets and containerd) does not enforce them.
import type { Duplex } from 'node:stream';
import {
  FLAG_FIN, FrameParser, FrameType, dataFrames, goAwayFrame, nameValueBlock, pingFrame, storedZlib, synStream,
} from './spdy-framing';

export class SpdyStream {
  onData: (chunk: Buffer) => void = () => undefined;
  onEnd: () => void = () => undefined;
  private ended = false;
  private finSent = false;

  constructor(readonly id: number, private readonly session: SpdySession) {}

  write(chunk: Buffer): void {
    if (!this.finSent && chunk.length) this.session.send(dataFrames(this.id, chunk, false));
  }

  /** Half-closes our side (the peer sees EOF). */
  end(): void {
    if (this.finSent) return;
    this.finSent = true;
    this.session.send(dataFrames(this.id, Buffer.alloc(0), true));
  }

  /** @internal the remote side finished (FIN, RST_STREAM or the connection closed). */
  remoteEnded(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }
}

export class SpdySession {
  private readonly streams = new Map<number, SpdyStream>();
  private readonly parser = new FrameParser();
  private nextId = 1;
  private headersSent = false;
  private closed = false;
  onClose: () => void = () => undefined;

  /** `head` holds bytes that arrived after the 101 response, already part of the SPDY stream. */
  constructor(private readonly socket: Duplex, head: Buffer) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.shutdown());
    socket.on('error', () => this.shutdown());
    if (head.length) this.receive(head);
  }

  open(headers: Record<string, string>): SpdyStream {
    const id = this.nextId;
    this.nextId += 2;
    const stream = new SpdyStream(id, this);
    this.streams.set(id, stream);
    this.send([synStream(id, storedZlib(nameValueBlock(headers), !this.headersSent))]);
    this.headersSent = true;
    return stream;
  }

  send(frames: Buffer[]): void {
    if (this.closed) return;
    for (const f of frames) this.socket.write(f);
  }

  close(): void {
    if (this.closed) return;
    this.send([goAwayFrame(0)]);
    this.socket.end();
    this.shutdown();
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.remoteEnded();
    this.onClose();
  }

  private receive(chunk: Buffer): void {
    for (const f of this.parser.push(chunk)) {
      if (!f.control) {
        const s = this.streams.get(f.streamId);
        if (!s) continue;
        if (f.data.length) s.onData(f.data);
        if (f.flags & FLAG_FIN) s.remoteEnded();
        continue;
      }
      if (f.type === FrameType.Ping && f.data.length >= 4) {
        const id = f.data.readUInt32BE(0);
        if (id % 2 === 0) this.send([pingFrame(id)]); // server-initiated pings carry even ids
      } else if (f.type === FrameType.RstStream && f.data.length >= 4) {
        this.streams.get(f.data.readUInt32BE(0) & 0x7fffffff)?.remoteEnded();
      } else if ((f.type === FrameType.SynReply || f.type === FrameType.Headers) && f.flags & FLAG_FIN && f.data.length >= 4) {
        this.streams.get(f.data.readUInt32BE(0) & 0x7fffffff)?.remoteEnded();
      } else if (f.type === FrameType.GoAway) {
        this.close();
      }
    }
  }
}
