// One kube-proxy owns a host's iptables service chains at a time, yet several kubets clusters may share
// a host (the test suite's beside a developer's). The lock is an abstract unix socket: the kernel frees
// it when its process dies, so a crashed proxy never leaves a stale lock behind.
import net from 'node:net';

const LOCK_NAME = '\0kubets-proxy-iptables';

/** The lock if no other process holds it now (close the server to release it). */
export function tryHostLock(): Promise<net.Server | undefined> {
  const srv = net.createServer();
  return new Promise((resolve) => {
    srv.once('error', () => resolve(undefined));
    srv.listen(LOCK_NAME, () => { srv.unref(); resolve(srv); });
  });
}

/** Resolves once this process holds the lock (retrying every `retryMs`), calling `waiting` while it does not. */
export async function acquireHostLock(retryMs: number, waiting: () => void): Promise<net.Server> {
  for (;;) {
    const srv = await tryHostLock();
    if (srv) return srv;
    waiting();
    await new Promise((r) => setTimeout(r, retryMs));
  }
}
