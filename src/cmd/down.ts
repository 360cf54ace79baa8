// `kubets down`: stops every process `up` started for a data dir (SIGTERM, SIGKILL after 10s); with
// --purge also deletes the data dir and the context `up` merged into ~/.kube/config.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONTEXT, loadLayout, saveLayout } from './cluster-layout';
import { clusterFlagOptions, resolveDataDir } from './cluster-flags';
import { ALL_PROCESS_NAMES, processIdentity } from './components';
import { runDirs, stopProcess, type RunDirs } from './supervisor';
import { drainRuntime, removeNodeHostState } from './node-processes';
import { removeFromKubeconfig, userKubeconfigPath } from '../pki/kubeconfig';
import { cleanupIfUnowned } from '../node/proxy/cleanup';
import { IptablesRunner } from '../node/proxy/iptables-runner';

const USAGE = `usage: kubets down [--data-dir DIR] [--purge] [--context NAME]

  --data-dir DIR   the cluster to stop (default ~/.kubets)
  --purge          also delete DIR and the cluster's context from ~/.kube/config
  --context NAME   context to remove with --purge (default: the one \`up\` recorded)
`;

const say = (line: string): void => { process.stdout.write(`${line}\n`); };

/** Names to stop, newest role first: pid files of roles this build does not know come before the known ones. */
function processNames(dirs: RunDirs): string[] {
  const known = [...ALL_PROCESS_NAMES].reverse();
  const recorded = existsSync(dirs.runDir)
    ? readdirSync(dirs.runDir).filter((f) => f.endsWith('.pid')).map((f) => f.slice(0, -'.pid'.length)) : [];
  return [...recorded.filter((n) => !known.includes(n)), ...known];
}

/**
 * Refuses to purge anything that is not recognisably a kubets data dir, so a typo'd --data-dir cannot cost
 * a home dir. (HOME itself may be the data dir: tests and the bench point HOME into a scratch cluster dir.)
 */
function looksLikeDataDir(dir: string): boolean {
  if (dir === '/') return false;
  return ['cluster.json', 'pki/ca.crt'].some((f) => existsSync(path.join(dir, f)));
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { ...clusterFlagOptions, purge: { type: 'boolean' } }, strict: true });
  if (values.help) { process.stdout.write(USAGE); return; }
  const dataDir = resolveDataDir(values['data-dir']);
  const layout = loadLayout(dataDir);
  const dirs = runDirs(dataDir);

  if (existsSync(dataDir)) {
    for (const name of processNames(dirs)) {
      // containerd's shims outlive it: stop every pod first, so nothing keeps running after `down`.
      if (name === 'containerd') {
        const pods = await drainRuntime(dataDir).catch(() => 0);
        if (pods > 0) say(`kubets down: stopped ${pods} pod sandbox(es)`);
      }
      const r = await stopProcess(dirs, name, undefined, processIdentity(name, dataDir));
      if (r !== 'not-running') say(`kubets down: ${name} ${r}`);
      // A stopped cluster leaves no service rules on the host (unless another cluster's proxy owns them now).
      if (name === 'proxy' && r !== 'not-running' && (await cleanupIfUnowned(new IptablesRunner()))) {
        say('kubets down: removed the proxy\'s iptables chains');
      }
    }
    if (layout && !values.purge) saveLayout({ ...layout, processes: {} });
  } else {
    say(`kubets down: ${dataDir} does not exist; nothing to stop`);
  }

  if (!values.purge) return;
  const context = values.context ?? layout?.context ?? DEFAULT_CONTEXT;
  const userConfig = userKubeconfigPath();
  if (removeFromKubeconfig(userConfig, context)) say(`kubets down: removed context "${context}" from ${userConfig}`);
  if (existsSync(dataDir)) {
    if (!looksLikeDataDir(dataDir)) throw new Error(`${dataDir} does not look like a kubets data dir; not deleting it`);
    removeNodeHostState(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
    say(`kubets down: deleted ${dataDir}`);
  }
}
