// Upstream's defaulting for pods and pod templates (SetDefaults_Pod / _PodSpec / _Container and friends),
// shared by pods and every workload that embeds a pod template.
import type { Container, Pod, PodSpec, Probe, Volume } from 'kubernetes-types/core/v1';
import { canonicalizeResourceList } from './object-helpers';

/** Upstream pulls `latest` (or untagged) images always and others only when missing. */
export function defaultImagePullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  const img = image ?? '';
  const at = img.indexOf('@');
  const named = at >= 0 ? img.slice(0, at) : img;
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const tag = colon > slash ? named.slice(colon + 1) : '';
  if (tag === '' && at >= 0) return 'IfNotPresent';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) {
    p.httpGet.path ??= '/';
    p.httpGet.scheme ??= 'HTTP';
  }
}

function defaultContainer(c: Container, hostNetwork: boolean, kind: string): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.imagePullPolicy ??= defaultImagePullPolicy(c.image);
  // Go serialises the non-pointer ResourceRequirements struct as `{}` even when empty.
  c.resources ??= {};
  canonicalizeResourceList(c.resources.limits, kind, 'v1');
  canonicalizeResourceList(c.resources.requests, kind, 'v1');
  for (const port of c.ports ?? []) {
    port.protocol ??= 'TCP';
    if (hostNetwork && port.hostPort === undefined) port.hostPort = port.containerPort;
  }
  for (const e of c.env ?? []) {
    if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultVolume(v: Volume): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  if (v.configMap) v.configMap.defaultMode ??= 420;
  if (v.secret) v.secret.defaultMode ??= 420;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= 420;
    for (const item of v.downwardAPI.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ??= 'v1';
  }
  if (v.projected) {
    v.projected.defaultMode ??= 420;
    for (const s of v.projected.sources ?? []) {
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
      for (const item of s.downwardAPI?.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ??= 'v1';
    }
  }
  if (v.hostPath) v.hostPath.type ??= '';
}

/** SetDefaults_PodSpec and the nested container/volume defaults; used for pods and templates. */
export function defaultPodSpec(spec: PodSpec, kind = 'Pod'): void {
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  const hostNetwork = spec.hostNetwork === true;
  for (const c of spec.initContainers ?? []) defaultContainer(c, hostNetwork, kind);
  for (const c of spec.containers ?? []) defaultContainer(c, hostNetwork, kind);
  for (const c of spec.ephemeralContainers ?? []) {
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.imagePullPolicy ??= defaultImagePullPolicy(c.image);
    c.resources ??= {};
  }
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** SetDefaults_Pod: the pod-only part (templates do not get these). */
export function defaultPod(pod: Pod): void {
  const spec = pod.spec;
  if (!spec) return;
  defaultPodSpec(spec, 'Pod');
  spec.enableServiceLinks ??= true;
  // Requests default to limits per resource, so a limits-only container is Guaranteed.
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const limits = c.resources?.limits;
    if (!limits || !c.resources) continue;
    const req = c.resources.requests ?? {};
    for (const [k, v] of Object.entries(limits)) if (req[k] === undefined) req[k] = v;
    c.resources.requests = req;
  }
}
