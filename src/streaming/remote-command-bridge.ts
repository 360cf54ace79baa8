// Bridges a client's `v5.channel.k8s.io` WebSocket (kubectl exec/attach/cp) to a SPDY remotecommand
// session (`v4.channel.k8s.io`) towards the kubelet, as upstream's apiserver stream translator does.
// v5 messages carry one leading channel byte: 0 stdin, 1 stdout, 2 stderr, 3 error (a Status JSON),
// 4 terminal resize (JSON), and 255 "close", whose payload names the channel the client half-closed.
import type { RawData, WebSocket } from 'ws';
import type { SpdySession, SpdyStream } from './spdy-session';

export const V5_PROTOCOL = 'v5.channel.k8s.io';
export const SPDY_REMOTECOMMAND_PROTOCOL = 'v4.channel.k8s.io';

export enum Channel { Stdin = 0, Stdout = 1, Stderr = 2, Error = 3, Resize = 4, Close = 255 }

export interface StreamOptions { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }

/** The SPDY streams a v4 remotecommand server waits for, opened in upstream's order (error first). */
export function openRemoteCommandStreams(session: SpdySession, o: StreamOptions): Partial<Record<'error' | 'stdin' | 'stdout' | 'stderr' | 'resize', SpdyStream>> {
  const open = (t: string): SpdyStream => session.open({ streamType: t });
  return {
    error: open('error'),
    ...(o.stdin ? { stdin: open('stdin') } : {}),
    ...(o.stdout ? { stdout: open('stdout') } : {}),
    ...(o.stderr && !o.tty ? { stderr: open('stderr') } : {}),
    ...(o.tty ? { resize: open('resize') } : {}),
  };
}

function frame(channel: Channel, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), data]);
}

export function bridgeV5(ws: WebSocket, session: SpdySession, o: StreamOptions): void {
  const s = openRemoteCommandStreams(session, o);
  const errorBytes: Buffer[] = [];
  let pending = 1 + (s.stdout ? 1 : 0) + (s.stderr ? 1 : 0);
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    const status = Buffer.concat(errorBytes);
    if (status.length && ws.readyState === ws.OPEN) ws.send(frame(Channel.Error, status));
    ws.close(1000);
    session.close();
  };
  const ended = (): void => { pending -= 1; if (pending === 0) finish(); };
  s.error!.onData = (d) => errorBytes.push(d);
  s.error!.onEnd = ended;
  if (s.stdout) { s.stdout.onData = (d) => ws.send(frame(Channel.Stdout, d)); s.stdout.onEnd = ended; }
  if (s.stderr) { s.stderr.onData = (d) => ws.send(frame(Channel.Stderr, d)); s.stderr.onEnd = ended; }
  session.onClose = finish;

  ws.on('message', (raw: RawData) => {
    const data = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
    if (!data.length) return;
    const payload = data.subarray(1);
    switch (data[0]) {
      case Channel.Stdin: s.stdin?.write(payload); break;
      case Channel.Resize: s.resize?.write(payload); break;
      case Channel.Close: if (payload[0] === Channel.Stdin) s.stdin?.end(); break;
      default: break;
    }
  });
  ws.on('close', () => session.close());
  ws.on('error', () => session.close());
}
