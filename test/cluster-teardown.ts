// Stops the suite's cluster and removes its data.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default async function teardown(): Promise<void> {
  const dataDir = process.env.KUBETS_TEST_DATA_DIR;
  if (!dataDir) return;
  execFileSync('node', [path.join(__dirname, '..', 'dist/src/cli.js'), 'down', '--data-dir', dataDir, '--purge', '--context', 'kubets-test'],
    { stdio: 'inherit', env: { ...process.env, HOME: dataDir } });
}
