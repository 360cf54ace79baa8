// The images a node needs with no registry in reach, built offline from Debian's busybox-static with
// umoci (an OCI layout per image, cached as a tar under the data dir) and imported into containerd's
// k8s.io namespace whenever its root lacks them, tagged under the names pods and the CRI ask for.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SANDBOX_IMAGE } from '../node-layout';

const BUSYBOX = '/bin/busybox';
/** Bump when the recipe below changes, so cached tars from an older recipe are rebuilt. */
const RECIPE = 'r1';

interface ImageRecipe {
  /** File name of the cached OCI archive. */
  file: string;
  /** Repository the archive's tags are imported under. */
  repository: string;
  tags: string[];
  config: string[];
}

const RECIPES: ImageRecipe[] = [
  {
    file: `busybox-${RECIPE}.tar`, repository: 'docker.io/library/busybox', tags: ['1.36', 'latest'],
    config: ['--config.cmd', 'sh'],
  },
  {
    // The sandbox only has to hold the pod's namespaces open; containerd stops it with SIGKILL.
    file: `pause-${RECIPE}.tar`, repository: SANDBOX_IMAGE.split(':')[0]!, tags: [SANDBOX_IMAGE.split(':')[1]!],
    config: ['--config.entrypoint', '/bin/sleep', '--config.cmd', '2147483647'],
  },
];

function run(argv: string[]): string {
  return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A root filesystem with busybox and a symlink per applet, so `httpd`, `nc`, `wget`, `nslookup` are commands. */
function populateRootfs(rootfs: string): void {
  for (const d of ['bin', 'etc', 'tmp', 'root', 'home', 'var/www', 'proc', 'sys', 'dev']) mkdirSync(path.join(rootfs, d), { recursive: true });
  execFileSync('cp', [BUSYBOX, path.join(rootfs, 'bin', 'busybox')]);
  for (const applet of run([BUSYBOX, '--list']).split('\n').map((s) => s.trim()).filter(Boolean)) {
    if (applet === 'busybox') continue;
    const link = path.join(rootfs, 'bin', applet);
    if (!existsSync(link)) symlinkSync('busybox', link);
  }
  writeFileSync(path.join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  writeFileSync(path.join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
}

function buildArchive(recipe: ImageRecipe, out: string): void {
  const work = mkdtempSync(path.join(path.dirname(out), '.build-'));
  try {
    const layout = path.join(work, 'oci');
    const bundle = path.join(work, 'bundle');
    const [first, ...more] = recipe.tags;
    const image = `${layout}:${first}`;
    run(['umoci', 'init', '--layout', layout]);
    run(['umoci', 'new', '--image', image]);
    run(['umoci', 'unpack', '--image', image, bundle]);
    populateRootfs(path.join(bundle, 'rootfs'));
    run(['umoci', 'repack', '--image', image, bundle]);
    run(['umoci', 'config', '--image', image, '--config.env', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--config.workingdir', '/', ...recipe.config]);
    for (const tag of more) run(['umoci', 'tag', '--image', image, tag]);
    run(['tar', '-C', layout, '-cf', `${out}.tmp`, '.']);
    run(['mv', `${out}.tmp`, out]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Every reference the node's images must answer to, as containerd names them. */
export function requiredImageRefs(): string[] {
  return RECIPES.flatMap((r) => r.tags.map((t) => `${r.repository}:${t}`));
}

/** Builds what is not cached, then imports into containerd (at `socket`) whatever it does not hold yet. */
export function ensureNodeImages(socket: string, cacheDir: string): string[] {
  mkdirSync(cacheDir, { recursive: true });
  const ctr = (args: string[]): string => run(['ctr', '--address', socket, '--namespace', 'k8s.io', ...args]);
  const present = new Set(ctr(['images', 'list', '--quiet']).split('\n').map((s) => s.trim()));
  const imported: string[] = [];
  for (const recipe of RECIPES) {
    const refs = recipe.tags.map((t) => `${recipe.repository}:${t}`);
    if (refs.every((r) => present.has(r))) continue;
    const archive = path.join(cacheDir, recipe.file);
    if (!existsSync(archive)) buildArchive(recipe, archive);
    ctr(['images', 'import', '--base-name', recipe.repository, archive]);
    imported.push(...refs);
  }
  return imported;
}
