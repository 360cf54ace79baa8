// NetworkPolicy enforced by the node's agent (the proxy role's iptables filter chains) between real pods on
// the suite's node: a busybox httpd server and two clients, one labelled access=true. Connection attempts
// (busybox wget, with a timeout) decide every assertion; each change is polled until the rules hold it.
import { createNamespace, kubectl, kubectlOk, waitFor } from './kubectl';

let ns: string;
let serverIP: string;

const pod = (name: string, labels: string, command: string, ports = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {${labels}}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", ${JSON.stringify(command)}]
${ports}`;

const pods = [
  pod('server', 'app: server', 'mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www',
    '    ports: [{name: http, containerPort: 8080}]\n'),
  pod('allowed', 'access: "true"', 'exec sleep 3600'),
  pod('other', 'role: client', 'exec sleep 3600'),
].join('---\n');

const denyIngress = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-ingress}
spec:
  podSelector: {matchLabels: {app: server}}
  policyTypes: [Ingress]
`;

// The named port resolves to the server's containerPort 8080.
const allowLabelled = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-access}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{podSelector: {matchLabels: {access: "true"}}}]
    ports: [{port: http}]
`;

const denyEgress = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress}
spec:
  podSelector: {matchLabels: {role: client}}
  policyTypes: [Egress]
`;

const allowDns = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns}
spec:
  podSelector: {matchLabels: {role: client}}
  policyTypes: [Egress]
  egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
    ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
`;

/** One connection attempt from a client pod to the server's httpd (REJECTed attempts fail at once). */
async function reaches(client: string): Promise<boolean> {
  const out = await kubectlOk(['exec', '-n', ns, client, '--', 'sh', '-c',
    `timeout 5 wget -qO- http://${serverIP}:8080/ 2>/dev/null || echo blocked`], { timeoutMs: 20_000 });
  return out.trim() === 'hello';
}

/** One lookup of the kubernetes Service through the kube-dns ClusterIP. */
async function resolves(client: string): Promise<boolean> {
  const out = await kubectlOk(['exec', '-n', ns, client, '--', 'sh', '-c',
    'timeout 4 nslookup kubernetes.default.svc.cluster.local 2>&1; true'], { timeoutMs: 20_000 });
  return /Name:\s+kubernetes\.default\.svc\.cluster\.local/.test(out);
}

const eventually = (what: string, probe: () => Promise<boolean>, want: boolean) =>
  waitFor(what, async () => (await probe()) === want, 20_000, 250);

beforeAll(async () => {
  ns = await createNamespace('e2e-netpol');
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: pods });
  for (const name of ['server', 'allowed', 'other']) {
    await waitFor(`pod ${name} running`, async () =>
      (await kubectlOk(['get', 'pod', name, '-n', ns, '-o', 'jsonpath={.status.phase}'])) === 'Running', 90_000, 500);
  }
  serverIP = await kubectlOk(['get', 'pod', 'server', '-n', ns, '-o', 'jsonpath={.status.podIP}']);
  // httpd may take a moment after the container starts.
  await eventually('the server answers', () => reaches('allowed'), true);
}, 150_000);

afterAll(async () => {
  await kubectl(['delete', 'networkpolicy,pod', '--all', '-n', ns, '--wait=false']);
});

describe('NetworkPolicy on the node', () => {
  it('without policies both clients reach the server', async () => {
    expect(await reaches('allowed')).toBe(true);
    expect(await reaches('other')).toBe(true);
  });

  it('a default-deny ingress policy on the server blocks both clients, and the server still resolves names', async () => {
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: denyIngress });
    await eventually('the allowed client blocked', () => reaches('allowed'), false);
    expect(await reaches('other')).toBe(false);
    // Its own lookups are egress (not isolated) and their replies are established traffic.
    expect(await resolves('server')).toBe(true);
  });

  it('an allow rule for access=true on the named port re-opens the server to that client only', async () => {
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: allowLabelled });
    await eventually('the labelled client reaches the server', () => reaches('allowed'), true);
    expect(await reaches('other')).toBe(false);
  });

  it('a default-deny egress policy blocks a client\'s DNS until a policy allows the kube-dns peer', async () => {
    await kubectlOk(['delete', 'networkpolicy', 'deny-ingress', 'allow-access', '-n', ns]);
    await eventually('the other client reaches the server again', () => reaches('other'), true);
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: denyEgress });
    await eventually('the other client\'s egress blocked', () => reaches('other'), false);
    expect(await resolves('other')).toBe(false);
    await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: allowDns });
    await eventually('the other client resolves names', () => resolves('other'), true);
    expect(await reaches('other')).toBe(false);
    // Unselected pods are not isolated.
    expect(await reaches('allowed')).toBe(true);
  });

  it('deleting the policies restores access', async () => {
    await kubectlOk(['delete', 'networkpolicy', '--all', '-n', ns]);
    await eventually('the other client reaches the server', () => reaches('other'), true);
    expect(await resolves('other')).toBe(true);
  });
});
