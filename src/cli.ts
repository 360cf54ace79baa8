#!/usr/bin/env node
// The one kubets binary: `kubets <role> [flags]`, each role a module under src/cmd, in the spirit of k3s.
const roles: Record<string, () => Promise<{ main(argv: string[]): Promise<void> }>> = {
  apiserver: () => import('./cmd/apiserver'),
  'controller-manager': () => import('./cmd/controller-manager'),
  scheduler: () => import('./cmd/scheduler'),
  dns: () => import('./cmd/dns'),
  proxy: () => import('./cmd/proxy'),
  ingress: () => import('./cmd/ingress'),
  up: () => import('./cmd/up'),
  down: () => import('./cmd/down'),
  kubelet: () => import('./node/kubelet/kubelet'),
};

async function run(): Promise<void> {
  const [role, ...rest] = process.argv.slice(2);
  const load = role ? roles[role] : undefined;
  if (!load) {
    process.stderr.write(`usage: kubets <${Object.keys(roles).join('|')}> [flags]\n`);
    process.exit(2);
  }
  await (await load()).main(rest);
}

run().catch((err: unknown) => {
  process.stderr.write(`kubets: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
