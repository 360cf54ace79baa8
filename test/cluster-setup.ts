// Starts one real cluster for the integration and e2e suites (real etcd, the built apiserver) in a
// scratch data dir on ports no default cluster uses, unless only unit tests were selected.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { probeFreePorts } from '../src/cmd/cluster-layout';

/**
 * Node lifecycle and pod GC timings short enough for tests to watch (upstream: 40 s grace, 20 s GC period,
 * 40 s quarantine); the quarantine stays long enough for tests that bind pods to made-up node names.
 */
// The grace period stays above the kubelet's 10 s Lease renewal, so the suite's real node never flaps.
const testControllerFlags = '--node-monitor-period=1s --node-monitor-grace-period=15s --node-startup-grace-period=15s '
  + '--pod-gc-period=1s --pod-gc-orphan-quarantine=15s';

export default async function setup(): Promise<void> {
  const onlyUnit = process.argv.some((a) => a.includes('test/unit'));
  if (onlyUnit) return;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kubets-test-'));
  // A free port, so overlapping runs (or a developer's own cluster) never collide.
  const [port] = await probeFreePorts(1);
  const root = path.join(__dirname, '..');
  execFileSync('node', [path.join(root, 'dist/src/cli.js'), 'up', '--data-dir', dataDir, '--apiserver-port', String(port),
    '--context', 'kubets-test'], { stdio: 'inherit', env: { ...process.env, HOME: dataDir, KUBETS_CONTROLLER_MANAGER_FLAGS: testControllerFlags } });
  process.env.KUBETS_TEST_DATA_DIR = dataDir;
  // Tests that run `up` again on this cluster (a restart) must keep the same controller-manager flags.
  process.env.KUBETS_CONTROLLER_MANAGER_FLAGS = testControllerFlags;
  process.env.KUBETS_TEST_KUBECONFIG = path.join(dataDir, 'kubeconfig');
  process.env.KUBETS_TEST_PORT = String(port);
}
