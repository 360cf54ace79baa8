// Stops the suite's cluster and removes its data, keeping the component logs in .test-logs/ so that
// hack/test.sh can show them when a test failed.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';

export default async function teardown(): Promise<void> {
  const dataDir = process.env.KUBETS_TEST_DATA_DIR;
  if (!dataDir) return;
  const kept = path.join(__dirname, '..', '.test-logs');
  rmSync(kept, { recursive: true, force: true });
  execFileSync('node', [path.join(__dirname, '..', 'dist/src/cli.js'), 'down', '--data-dir', dataDir, '--context', 'kubets-test'],
    { stdio: 'inherit', env: { ...process.env, HOME: dataDir } });
  const logs = path.join(dataDir, 'logs');
  if (existsSync(logs)) cpSync(logs, kept, { recursive: true });
  execFileSync('node', [path.join(__dirname, '..', 'dist/src/cli.js'), 'down', '--data-dir', dataDir, '--purge', '--context', 'kubets-test'],
    { stdio: 'inherit', env: { ...process.env, HOME: dataDir } });
}
