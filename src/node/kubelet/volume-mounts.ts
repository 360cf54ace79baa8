// Mounts the node makes under its data dir: a tmpfs for each emptyDir with medium Memory (sized by
// sizeLimit, else the node's allocatable memory, as upstream), unmounted before their directory is deleted
// (a pod's, or the whole data dir on `down --purge`).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Mount points at or below `dir`, deepest first (so nested mounts go before their parents). */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    // Field 5 is the mount point, with spaces and the like octal-escaped.
    .map((line) => line.split(' ')[4]?.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p): p is string => p !== undefined && (p === dir || p.startsWith(prefix)))
    .sort((a, b) => b.length - a.length);
}

/** Mounts a tmpfs of `bytes` on `dir` unless one is already there (a resync, or a restarted kubelet). */
export function ensureTmpfs(dir: string, bytes: number): void {
  if (mountsUnder(dir).includes(dir)) return;
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0777`, 'tmpfs', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function unmountAll(dir: string): void {
  for (const p of mountsUnder(dir)) execFileSync('umount', [p], { stdio: ['ignore', 'ignore', 'pipe'] });
}
