// The whole built-in catalogue as stock kubectl sees it: every resource's api-resources row (short
// names, group version, scope, kind) as upstream v1.32 lists it, `kubectl explain` for each, and the
// table columns of the kinds no corpus test prints.
import { readFileSync } from 'node:fs';
import { createNamespace, kubeconfigPath, kubectl, kubectlOk, table, waitFor } from './kubectl';

/** Upstream kube-apiserver v1.32's rows for the resources kubets serves (NAME, SHORTNAMES, APIVERSION, NAMESPACED, KIND). */
const upstreamRows: string[][] = [
  ['bindings', '', 'v1', 'true', 'Binding'],
  ['componentstatuses', 'cs', 'v1', 'false', 'ComponentStatus'],
  ['configmaps', 'cm', 'v1', 'true', 'ConfigMap'],
  ['endpoints', 'ep', 'v1', 'true', 'Endpoints'],
  ['events', 'ev', 'v1', 'true', 'Event'],
  ['limitranges', 'limits', 'v1', 'true', 'LimitRange'],
  ['namespaces', 'ns', 'v1', 'false', 'Namespace'],
  ['nodes', 'no', 'v1', 'false', 'Node'],
  ['persistentvolumeclaims', 'pvc', 'v1', 'true', 'PersistentVolumeClaim'],
  ['persistentvolumes', 'pv', 'v1', 'false', 'PersistentVolume'],
  ['pods', 'po', 'v1', 'true', 'Pod'],
  ['podtemplates', '', 'v1', 'true', 'PodTemplate'],
  ['replicationcontrollers', 'rc', 'v1', 'true', 'ReplicationController'],
  ['resourcequotas', 'quota', 'v1', 'true', 'ResourceQuota'],
  ['secrets', '', 'v1', 'true', 'Secret'],
  ['serviceaccounts', 'sa', 'v1', 'true', 'ServiceAccount'],
  ['services', 'svc', 'v1', 'true', 'Service'],
  ['customresourcedefinitions', 'crd,crds', 'apiextensions.k8s.io/v1', 'false', 'CustomResourceDefinition'],
  ['controllerrevisions', '', 'apps/v1', 'true', 'ControllerRevision'],
  ['daemonsets', 'ds', 'apps/v1', 'true', 'DaemonSet'],
  ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment'],
  ['replicasets', 'rs', 'apps/v1', 'true', 'ReplicaSet'],
  ['statefulsets', 'sts', 'apps/v1', 'true', 'StatefulSet'],
  ['selfsubjectreviews', '', 'authentication.k8s.io/v1', 'false', 'SelfSubjectReview'],
  ['tokenreviews', '', 'authentication.k8s.io/v1', 'false', 'TokenReview'],
  ['localsubjectaccessreviews', '', 'authorization.k8s.io/v1', 'true', 'LocalSubjectAccessReview'],
  ['selfsubjectaccessreviews', '', 'authorization.k8s.io/v1', 'false', 'SelfSubjectAccessReview'],
  ['selfsubjectrulesreviews', '', 'authorization.k8s.io/v1', 'false', 'SelfSubjectRulesReview'],
  ['subjectaccessreviews', '', 'authorization.k8s.io/v1', 'false', 'SubjectAccessReview'],
  ['horizontalpodautoscalers', 'hpa', 'autoscaling/v2', 'true', 'HorizontalPodAutoscaler'],
  ['cronjobs', 'cj', 'batch/v1', 'true', 'CronJob'],
  ['jobs', '', 'batch/v1', 'true', 'Job'],
  ['certificatesigningrequests', 'csr', 'certificates.k8s.io/v1', 'false', 'CertificateSigningRequest'],
  ['leases', '', 'coordination.k8s.io/v1', 'true', 'Lease'],
  ['endpointslices', '', 'discovery.k8s.io/v1', 'true', 'EndpointSlice'],
  ['events', 'ev', 'events.k8s.io/v1', 'true', 'Event'],
  ['ingressclasses', '', 'networking.k8s.io/v1', 'false', 'IngressClass'],
  ['ingresses', 'ing', 'networking.k8s.io/v1', 'true', 'Ingress'],
  ['networkpolicies', 'netpol', 'networking.k8s.io/v1', 'true', 'NetworkPolicy'],
  ['runtimeclasses', '', 'node.k8s.io/v1', 'false', 'RuntimeClass'],
  ['poddisruptionbudgets', 'pdb', 'policy/v1', 'true', 'PodDisruptionBudget'],
  ['clusterrolebindings', '', 'rbac.authorization.k8s.io/v1', 'false', 'ClusterRoleBinding'],
  ['clusterroles', '', 'rbac.authorization.k8s.io/v1', 'false', 'ClusterRole'],
  ['rolebindings', '', 'rbac.authorization.k8s.io/v1', 'true', 'RoleBinding'],
  ['roles', '', 'rbac.authorization.k8s.io/v1', 'true', 'Role'],
  ['priorityclasses', 'pc', 'scheduling.k8s.io/v1', 'false', 'PriorityClass'],
  ['csidrivers', '', 'storage.k8s.io/v1', 'false', 'CSIDriver'],
  ['csinodes', '', 'storage.k8s.io/v1', 'false', 'CSINode'],
  ['storageclasses', 'sc', 'storage.k8s.io/v1', 'false', 'StorageClass'],
  ['volumeattachments', '', 'storage.k8s.io/v1', 'false', 'VolumeAttachment'],
];

/** kubectl's split drops an empty SHORTNAMES cell, so rows are compared in that form. */
const asPrinted = (row: string[]): string[] => row.filter((c) => c !== '');

describe('kubectl api-resources', () => {
  test('lists every built-in resource with upstream\'s short names, group version, scope and kind', async () => {
    const rows = table(await kubectlOk(['api-resources']));
    expect(rows[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    // Custom resources other test files register come and go; the built-ins are exactly upstream's.
    const builtIn = rows.slice(1).filter((r) => upstreamRows.some((u) => u[2] === r[r.length - 3]));
    expect(builtIn).toEqual(upstreamRows.map(asPrinted));
  });
});

describe('kubectl explain', () => {
  test.each(upstreamRows.map((r) => [r[0], r[2], r[4]]))('%s (%s)', async (resource, apiVersion, kind) => {
    const out = await kubectlOk(['explain', resource, '--api-version', apiVersion]);
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const head = `${group ? `GROUP:      ${group}\n` : ''}KIND:       ${kind}\nVERSION:    ${version}\n\nDESCRIPTION:\n`;
    expect(out.startsWith(head)).toBe(true);
    // Every kind's schema has documented fields, listed alphabetically after FIELDS.
    expect(out.slice(out.indexOf('\nFIELDS:\n'))).toMatch(/\n {2}apiVersion\t<string>\n {4}APIVersion defines the versioned schema/);
  });
});

describe('kubectl get columns of the core and apps kinds', () => {
  let ns: string;
  beforeAll(async () => {
    ns = await createNamespace('e2e-catalogue');
    const manifests = [
      `apiVersion: v1\nkind: Event\nmetadata:\n  name: noted\ninvolvedObject:\n  kind: ConfigMap\n  name: settings\n  namespace: ${ns}\nreason: Noted\nmessage: catalogue test\ntype: Normal\n`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n  b: "2"\n',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ntype: Opaque\nstringData:\n  password: hunter2\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: idle\nspec:\n  replicas: 0\n  selector:\n    matchLabels: {app: idle}\n'
        + '  template:\n    metadata:\n      labels: {app: idle}\n    spec:\n      containers:\n      - name: c\n        image: busybox\n',
      'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: idle-rs\nspec:\n  replicas: 0\n  selector:\n    matchLabels: {app: idle-rs}\n'
        + '  template:\n    metadata:\n      labels: {app: idle-rs}\n    spec:\n      containers:\n      - name: c\n        image: busybox\n',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n',
    ];
    for (const m of manifests) await kubectlOk(['create', '-n', ns, '-f', '-'], { input: m });
  });

  const cases: [string, string[], string[]][] = [
    ['namespaces', ['NAME', 'STATUS', 'AGE'], ['NAME', 'STATUS', 'AGE']],
    ['nodes', ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
      ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']],
    ['configmaps', ['NAME', 'DATA', 'AGE'], ['NAME', 'DATA', 'AGE']],
    ['secrets', ['NAME', 'TYPE', 'DATA', 'AGE'], ['NAME', 'TYPE', 'DATA', 'AGE']],
    ['serviceaccounts', ['NAME', 'SECRETS', 'AGE'], ['NAME', 'SECRETS', 'AGE']],
    ['services', ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']],
    ['endpoints', ['NAME', 'ENDPOINTS', 'AGE'], ['NAME', 'ENDPOINTS', 'AGE']],
    ['events', ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
      ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME']],
    ['deployments', ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']],
    ['replicasets', ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'], ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']],
    ['leases', ['NAME', 'HOLDER', 'AGE'], ['NAME', 'HOLDER', 'AGE']],
  ];
  test.each(cases)('%s', async (resource, columns, wide) => {
    // Cluster-scoped kinds ignore -n; kube-node-lease always holds the node's Lease.
    const where = resource === 'leases' ? 'kube-node-lease' : ns;
    const rows = table(await kubectlOk(['get', resource, '-n', where]));
    expect(rows[0]).toEqual(columns);
    expect(rows.length).toBeGreaterThan(1);
    expect(table(await kubectlOk(['get', resource, '-n', where, '-o', 'wide']))[0]).toEqual(wide);
  });

  test('cells are upstream\'s', async () => {
    const row = async (args: string[]) => table(await kubectlOk(['get', ...args, '-n', ns, '-o', 'wide']))[1];
    expect((await row(['cm', 'settings'])).slice(0, 2)).toEqual(['settings', '2']);
    expect((await row(['secret', 'creds'])).slice(0, 3)).toEqual(['creds', 'Opaque', '1']);
    expect((await row(['deploy', 'idle'])).filter((c, i) => i !== 4)).toEqual(['idle', '0/0', '0', '0', 'c', 'busybox', 'app=idle']);
    expect((await row(['rs', 'idle-rs'])).filter((c, i) => i !== 4)).toEqual(['idle-rs', '0', '0', '0', 'c', 'busybox', 'app=idle-rs']);
    const svc = await row(['svc', 'web']);
    expect([svc[0], svc[1], svc[3], svc[4], svc[6]]).toEqual(['web', 'ClusterIP', '<none>', '80/TCP', 'app=web']);
    // Allocated from the default service range 10.96.0.0/12.
    const [a, b] = svc[2].split('.').map(Number);
    expect(a === 10 && b >= 96 && b <= 111).toBe(true);
    const ev = table(await kubectlOk(['get', 'events', '-n', ns]))[1];
    expect(ev.slice(1)).toEqual(['Normal', 'Noted', 'configmap/settings', 'catalogue test']);
  });
});

describe('the root CA publisher', () => {
  test('every namespace gets kube-root-ca.crt with the cluster CA, and it comes back when deleted', async () => {
    const ns = await createNamespace('e2e-root-ca');
    const caData = /certificate-authority-data: (\S+)/.exec(readFileSync(kubeconfigPath(), 'utf8'))![1];
    const ca = Buffer.from(caData, 'base64').toString('utf8');
    type ConfigMap = { data?: Record<string, string>; metadata: { uid: string; annotations?: Record<string, string> } };
    const get = async () => {
      const r = await kubectl(['get', 'configmap', 'kube-root-ca.crt', '-n', ns, '-o', 'json']);
      return r.code === 0 ? JSON.parse(r.stdout) as ConfigMap : undefined;
    };
    const first = await waitFor('kube-root-ca.crt', get, 20_000, 200);
    expect(first.data).toEqual({ 'ca.crt': ca });
    expect(first.metadata.annotations?.['kubernetes.io/description']).toMatch(/^Contains a CA bundle that can be used to verify the kube-apiserver/);
    await kubectlOk(['delete', 'configmap', 'kube-root-ca.crt', '-n', ns]);
    const again = await waitFor('kube-root-ca.crt back', async () => { const c = await get(); return c && c.metadata.uid !== first.metadata.uid ? c : undefined; }, 20_000, 200);
    expect(again.data).toEqual({ 'ca.crt': ca });
  });
});
