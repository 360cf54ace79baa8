// Atomic file writes for credentials and state files: a crash mid-write must never leave a torn key,
// kubeconfig or cluster.json behind, so each write goes to a temp file that is then renamed over.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, data: string, mode = 0o644): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, file);
}
