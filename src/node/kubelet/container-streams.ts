// The kubelet's streaming endpoints (/exec, /attach, /portForward), as upstream serves them with
// redirect-container-streaming off: ask the runtime (CRI Exec, Attach, PortForward) for a one-shot URL on
// its streaming server, then proxy the client's upgrade (SPDY or WebSocket) there unchanged.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CriClient } from '../cri/cri-client';
import { CONTAINER_NAME, POD_NAME, POD_NAMESPACE } from './cri-labels';
import { dialUpgrade, forwardedHeaders, relayRefusal, splice } from '../../streaming/upgrade-proxy';

export class StreamRequestError extends Error {
  constructor(readonly code: number, message: string) { super(message); }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

async function runningContainer(cri: CriClient, ns: string, pod: string, container: string): Promise<string> {
  const list = await cri.listContainers({ state: 'CONTAINER_RUNNING', labelSelector: { [POD_NAMESPACE]: ns, [POD_NAME]: pod, [CONTAINER_NAME]: container } });
  list.sort((a, b) => b.metadata.attempt - a.metadata.attempt);
  if (!list[0]) throw new StreamRequestError(404, `container not found ("${container}")`);
  return list[0].id;
}

async function readySandbox(cri: CriClient, ns: string, pod: string): Promise<string> {
  const list = await cri.listPodSandbox({ state: 'SANDBOX_READY', labelSelector: { [POD_NAMESPACE]: ns, [POD_NAME]: pod } });
  if (!list[0]) throw new StreamRequestError(404, `pod not found ("${pod}_${ns}")`);
  return list[0].id;
}

/** The runtime's streaming URL for a kubelet path such as /exec/<ns>/<pod>/<container>?command=sh&input=1. */
async function streamUrl(cri: CriClient, url: URL): Promise<string> {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const q = url.searchParams;
  const [kind, ns, pod, container] = parts;
  if ((kind === 'exec' || kind === 'attach') && parts.length === 4) {
    const tty = q.get('tty') === '1';
    const streams = { tty, stdin: q.get('input') === '1', stdout: q.get('output') === '1', stderr: q.get('error') === '1' && !tty };
    if (!streams.stdin && !streams.stdout && !streams.stderr) throw new StreamRequestError(400, 'you must specify at least 1 of stdin, stdout, stderr');
    const containerId = await runningContainer(cri, ns!, pod!, container!);
    if (kind === 'attach') return cri.attach({ containerId, ...streams });
    const cmd = q.getAll('command');
    if (!cmd.length) throw new StreamRequestError(400, 'you must specify at least one command for the container');
    return cri.exec({ containerId, cmd, ...streams });
  }
  if (kind === 'portForward' && parts.length === 3) {
    return cri.portForward(await readySandbox(cri, ns!, pod!), q.getAll('port').map(Number));
  }
  throw new StreamRequestError(404, '404 page not found');
}

export function isStreamPath(pathname: string): boolean {
  return /^\/(exec|attach|portForward)\//.test(pathname);
}

export async function serveContainerStream(cri: CriClient, req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): Promise<void> {
  const target = new URL(await streamUrl(cri, url));
  if (!LOOPBACK.has(target.hostname)) throw new StreamRequestError(500, `runtime streaming server ${target.host} is not on loopback`);
  const up = await dialUpgrade(target, req.method ?? 'GET', forwardedHeaders(req.headers));
  if (up.upgraded) splice(socket, head, up);
  else relayRefusal(socket, up.res);
}
