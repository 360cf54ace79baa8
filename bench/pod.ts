// The object every phase writes: a realistic ~1.5 KB pod (labels, annotations, env, probes, mounts,
// resources), so payload sizes resemble a real cluster's rather than a minimal stub's.
export function podJson(namespace: string, name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: { app: 'bench-web', tier: 'frontend', release: 'stable', 'pod-template-hash': '7d9c6b5f4' },
      annotations: {
        'kubets.io/bench': 'true',
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '9090',
      },
    },
    spec: {
      // No scheduler takes these, so the apiserver phases measure the apiserver alone.
      schedulerName: 'kubets-bench-none',
      containers: [{
        name: 'web',
        image: 'registry.k8s.io/nginx-slim:0.27',
        imagePullPolicy: 'IfNotPresent',
        command: ['/usr/sbin/nginx'],
        args: ['-g', 'daemon off;', '-c', '/etc/nginx/nginx.conf'],
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }],
        env: [
          { name: 'LOG_LEVEL', value: 'info' },
          { name: 'UPSTREAM_URL', value: 'http://backend.default.svc.cluster.local:8080' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        ],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        volumeMounts: [{ name: 'config', mountPath: '/etc/nginx', readOnly: true }, { name: 'cache', mountPath: '/var/cache/nginx' }],
        readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 5, periodSeconds: 10 },
        livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 15, periodSeconds: 20, failureThreshold: 3 },
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 101 },
      }],
      volumes: [{ name: 'config', configMap: { name: 'nginx-config' } }, { name: 'cache', emptyDir: {} }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
    },
  });
}
