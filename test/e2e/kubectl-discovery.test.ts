// Stock kubectl's discovery-driven commands against kubets: version, api-resources, api-versions and
// explain (which reads the served OpenAPI v3), asserted on kubectl's real output.
import { kubectl, kubectlOk, table } from './kubectl';

interface VersionOutput {
  clientVersion?: { gitVersion?: string };
  serverVersion?: { major?: string; minor?: string; gitVersion?: string; platform?: string; goVersion?: string };
}

describe('kubectl version', () => {
  test('reports a v1.32 server, as JSON and as text, without a skew warning', async () => {
    const json = JSON.parse(await kubectlOk(['version', '-o', 'json'])) as VersionOutput;
    expect(json.serverVersion?.major).toBe('1');
    expect(json.serverVersion?.minor).toBe('32');
    expect(json.serverVersion?.gitVersion).toMatch(/^v1\.32\.\d+/);
    expect(json.serverVersion?.platform).toMatch(/^[a-z0-9]+\/[a-z0-9]+$/);
    // kubets is not built with Go: goVersion honestly names the runtime (kubectl only displays it).
    expect(json.serverVersion?.goVersion).toMatch(/^node\d/);

    const text = await kubectl(['version']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Client Version: v1\.32\./m);
    expect(text.stdout).toMatch(/^Server Version: v1\.32\.\d+/m);
    expect(text.stderr).not.toMatch(/WARNING/);
  });
});

describe('kubectl api-resources', () => {
  test('lists pods, deployments and namespaces with short names, group versions, scope and kind', async () => {
    const rows = table(await kubectlOk(['api-resources']));
    expect(rows[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    const row = (name: string) => rows.find((r) => r[0] === name);
    expect(row('pods')).toEqual(['pods', 'po', 'v1', 'true', 'Pod']);
    expect(row('deployments')).toEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    expect(row('namespaces')).toEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    expect(row('nodes')).toEqual(['nodes', 'no', 'v1', 'false', 'Node']);
    expect(row('configmaps')).toEqual(['configmaps', 'cm', 'v1', 'true', 'ConfigMap']);
    // Subresources are not resources of their own in kubectl's listing.
    expect(rows.some((r) => r[0].includes('/'))).toBe(false);
  });

  test('-o wide shows verbs and categories; --namespaced=false -o name lists only cluster-scoped kinds', async () => {
    const wide = table(await kubectlOk(['api-resources', '-o', 'wide']));
    expect(wide[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', 'VERBS', 'CATEGORIES']);
    const pods = wide.find((r) => r[0] === 'pods');
    // The cell's brackets/separators are kubectl's formatting; the verbs and categories are the server's.
    const words = (cell: string | undefined) => (cell ?? '').replace(/[[\]]/g, '').split(/[\s,]+/).filter(Boolean);
    expect(words(pods?.[5])).toEqual(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    expect(words(pods?.[6])).toEqual(['all']);

    const names = (await kubectlOk(['api-resources', '--namespaced=false', '-o', 'name'])).split('\n').filter(Boolean);
    expect(names).toEqual(expect.arrayContaining(['namespaces', 'nodes']));
    expect(names).not.toContain('pods');
    expect(names).not.toContain('deployments.apps');

    const apps = (await kubectlOk(['api-resources', '--api-group=apps', '-o', 'name'])).split('\n').filter(Boolean);
    expect(apps).toEqual(expect.arrayContaining(['deployments.apps', 'replicasets.apps']));
    expect(apps.every((n) => n.endsWith('.apps'))).toBe(true);
  });
});

describe('kubectl api-versions', () => {
  test('prints the served group versions, sorted, including v1 and apps/v1', async () => {
    const lines = (await kubectlOk(['api-versions'])).split('\n').filter(Boolean);
    expect(lines).toEqual(expect.arrayContaining(['v1', 'apps/v1']));
    expect(lines).toEqual([...lines].sort());
    expect(new Set(lines).size).toBe(lines.length);
    for (const l of lines) expect(l).toMatch(/^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/);
  });
});

describe('kubectl explain', () => {
  test('pod.spec.containers.image prints upstream\'s field documentation', async () => {
    const r = await kubectl(['explain', 'pod.spec.containers.image']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^KIND:\s+Pod$/m);
    expect(r.stdout).toMatch(/^VERSION:\s+v1$/m);
    expect(r.stdout).toMatch(/^FIELD:\s+image <string>$/m);
    expect(r.stdout).toMatch(/^DESCRIPTION:\n\s+Container image name\./m);
  });

  test('deployment.spec.replicas names the apps group and the integer type', async () => {
    const out = await kubectlOk(['explain', 'deployment.spec.replicas']);
    expect(out).toMatch(/^GROUP:\s+apps$/m);
    expect(out).toMatch(/^KIND:\s+Deployment$/m);
    expect(out).toMatch(/^VERSION:\s+v1$/m);
    expect(out).toMatch(/^FIELD:\s+replicas <integer>$/m);
    expect(out).toMatch(/Number of desired pods/);
  });

  test('an unknown field is an error naming it', async () => {
    const r = await kubectl(['explain', 'pod.spec.nosuchfield']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('field "nosuchfield" does not exist');
  });
});
