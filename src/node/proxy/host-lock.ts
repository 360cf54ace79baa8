// One kube-proxy owns a host's iptables service chains at a time, yet several kubets clusters may share
// a host (the test suite's beside a developer's). The lock is an abstract unix socket: the kernel frees
// it when its process dies, so a crashed proxy never leaves a stale lock behind.
import net from 'node:net';

const LOCK_NAME = '\0kubets-proxy-iptables';

/** Resolves once this process holds the lock (retrying every `retryMs`), calling `waiting` while it does not. */
export async function acquireHostLock(retryMs: number, waiting: () => void): Promise<net.Server> {
  for (;;) {
    const srv = net.createServer();
    const got = await new Promise<boolean>((resolve) => {
      srv.once('error', () => resolve(false));
      srv.listen(LOCK_NAME, () => resolve(true));
    });
    if (got) { srv.unref(); return srv; }
    waiting();
    await new Promise((r) => setTimeout(r, retryMs));
  }
}
