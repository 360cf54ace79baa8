// Watches pods in one namespace through @kubernetes/client-node's informer (list + watch) and prints one
// JSON line per event: {"event":"add|update|delete|error|started","name",...}. Usage: node informer-probe.mjs <kubeconfig> <namespace>
import * as k8s from '@kubernetes/client-node';

const [kubeconfig, namespace] = process.argv.slice(2);
if (!kubeconfig || !namespace) {
  process.stderr.write('usage: informer-probe.mjs <kubeconfig> <namespace>\n');
  process.exit(2);
}

const kc = new k8s.KubeConfig();
kc.loadFromFile(kubeconfig);
const core = kc.makeApiClient(k8s.CoreV1Api);
const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace }));

const emit = (event, obj) => {
  const m = obj?.metadata ?? {};
  process.stdout.write(`${JSON.stringify({ event, name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion, labels: m.labels ?? {} })}\n`);
};
informer.on('add', (o) => emit('add', o));
informer.on('update', (o) => emit('update', o));
informer.on('delete', (o) => emit('delete', o));
informer.on('error', (err) => {
  process.stdout.write(`${JSON.stringify({ event: 'error', message: String(err?.message ?? err) })}\n`);
});

const stop = async () => {
  await informer.stop();
  process.exit(0);
};
process.on('SIGTERM', () => { void stop(); });
process.on('SIGINT', () => { void stop(); });

await informer.start();
process.stdout.write(`${JSON.stringify({ event: 'started', cached: informer.list(namespace).map((p) => p.metadata?.name).sort() })}\n`);
