// Validation of a pod spec and pod template: containers, ports, volumes and mounts, env, policies.
// Shared by pods and every workload embedding a template.
import type { Container, PodSpec, PodTemplateSpec, Volume } from 'kubernetes-types/core/v1';
import { FieldError, FieldPath, duplicate, forbiddenField, invalidValue, notSupported, required } from '../field-error';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum } from './names';
import { validateAnnotations, validateLabels } from './object-meta';
import { validateResourceRequirements } from './resources';
import { validateContainerHandlers } from './container-handlers';
import { validateAffinity, validateTolerations, validateTopologySpreadConstraints } from './pod-scheduling';
import { validatePodDNSConfig } from './pod-dns-config';
import { validateContainerSecurityContext, validatePodSecurityContext } from './security-context';

const portProtocols = ['SCTP', 'TCP', 'UDP'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const terminationMessagePolicies = ['File', 'FallbackToLogsOnError'];

const volumeSourceKeys = ['hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs',
  'iscsi', 'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume',
  'scaleIO', 'storageos', 'csi', 'ephemeral', 'image'];

export function validateVolumes(vols: Volume[] | undefined, p: FieldPath): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (vols ?? []).forEach((v, i) => {
    const ip = p.index(i);
    if (!v.name) errs.push(required(ip.child('name')));
    else {
      for (const m of isDNS1123Label(v.name)) errs.push(invalidValue(ip.child('name'), v.name, m));
      if (names.has(v.name)) errs.push(duplicate(ip.child('name'), v.name));
      names.add(v.name);
    }
    const sources = volumeSourceKeys.filter((k) => (v as unknown as Record<string, unknown>)[k] !== undefined);
    if (sources.length === 0) errs.push(required(ip, 'must specify a volume type'));
    else if (sources.length > 1) errs.push(forbiddenField(ip.child(sources[1]), 'may not specify more than 1 volume type'));
    if (v.configMap && !v.configMap.name) errs.push(required(ip.child('configMap').child('name')));
    if (v.secret && !v.secret.secretName) errs.push(required(ip.child('secret').child('secretName')));
    if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) errs.push(required(ip.child('persistentVolumeClaim').child('claimName')));
    if (v.hostPath && !v.hostPath.path) errs.push(required(ip.child('hostPath').child('path')));
  });
  return { errs, names };
}

function validatePorts(c: Container, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (c.ports ?? []).forEach((port, i) => {
    const ip = p.index(i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) for (const m of msgs) errs.push(invalidValue(ip.child('name'), port.name, m));
      else if (names.has(port.name)) errs.push(duplicate(ip.child('name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(required(ip.child('containerPort')));
    else for (const m of isValidPortNum(port.containerPort)) errs.push(invalidValue(ip.child('containerPort'), port.containerPort, m));
    if (port.hostPort) for (const m of isValidPortNum(port.hostPort)) errs.push(invalidValue(ip.child('hostPort'), port.hostPort, m));
    if (!port.protocol) errs.push(required(ip.child('protocol')));
    else if (!portProtocols.includes(port.protocol)) errs.push(notSupported(ip.child('protocol'), port.protocol, portProtocols));
  });
  return errs;
}

function validateEnv(c: Container, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (c.env ?? []).forEach((e, i) => {
    const ip = p.index(i);
    if (!e.name) errs.push(required(ip.child('name')));
    else if (!/^[\x20-\x3c\x3e-\x7e]+$/.test(e.name)) {
      errs.push(invalidValue(ip.child('name'), e.name, "a valid environment variable name must consist only of printable ASCII characters other than '='"));
    }
    if (e.valueFrom) {
      const srcs = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef']
        .filter((k) => (e.valueFrom as Record<string, unknown>)[k] !== undefined);
      if (e.value) errs.push(invalidValue(ip.child('valueFrom'), '', 'may not be specified when `value` is not empty'));
      if (srcs.length === 0) errs.push(invalidValue(ip.child('valueFrom'), '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      else if (srcs.length > 1) errs.push(invalidValue(ip.child('valueFrom'), '', 'may not have more than one field specified at a time'));
    }
  });
  return errs;
}

function validateMounts(c: Container, volumes: Set<string>, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const ip = p.index(i);
    if (!m.name) errs.push(required(ip.child('name')));
    else if (!volumes.has(m.name)) errs.push(new FieldError('NotFound', String(ip.child('name')), m.name));
    if (!m.mountPath) errs.push(required(ip.child('mountPath')));
    else if (paths.has(m.mountPath)) errs.push(invalidValue(ip.child('mountPath'), m.mountPath, 'must be unique'));
    else paths.add(m.mountPath);
  });
  return errs;
}

function validateContainer(c: Container, volumes: Set<string>, names: Set<string>, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(p.child('name')));
  else {
    for (const m of isDNS1123Label(c.name)) errs.push(invalidValue(p.child('name'), c.name, m));
    if (names.has(c.name)) errs.push(duplicate(p.child('name'), c.name));
    names.add(c.name);
  }
  if (!c.image) errs.push(required(p.child('image')));
  else if (c.image !== c.image.trim()) errs.push(invalidValue(p.child('image'), c.image, 'must not have leading or trailing whitespace'));
  if (!c.imagePullPolicy) errs.push(required(p.child('imagePullPolicy')));
  else if (!pullPolicies.includes(c.imagePullPolicy)) errs.push(notSupported(p.child('imagePullPolicy'), c.imagePullPolicy, pullPolicies));
  if (!c.terminationMessagePolicy) errs.push(required(p.child('terminationMessagePolicy')));
  else if (!terminationMessagePolicies.includes(c.terminationMessagePolicy)) {
    errs.push(notSupported(p.child('terminationMessagePolicy'), c.terminationMessagePolicy, terminationMessagePolicies));
  }
  errs.push(...validatePorts(c, p.child('ports')));
  errs.push(...validateEnv(c, p.child('env')));
  errs.push(...validateMounts(c, volumes, p.child('volumeMounts')));
  errs.push(...validateResourceRequirements(c.resources, p.child('resources')));
  errs.push(...validateContainerHandlers(c, p));
  errs.push(...validateContainerSecurityContext(c.securityContext, p.child('securityContext')));
  return errs;
}

export function validatePodSpec(spec: PodSpec | undefined, p: FieldPath): FieldError[] {
  const s: PodSpec = spec ?? { containers: [] };
  const errs: FieldError[] = [];
  const { errs: volErrs, names: volumes } = validateVolumes(s.volumes, p.child('volumes'));
  errs.push(...volErrs);
  const names = new Set<string>();
  if (!s.containers || s.containers.length === 0) errs.push(required(p.child('containers')));
  (s.containers ?? []).forEach((c, i) => errs.push(...validateContainer(c, volumes, names, p.child('containers').index(i))));
  (s.initContainers ?? []).forEach((c, i) => errs.push(...validateContainer(c, volumes, names, p.child('initContainers').index(i))));

  if (!s.restartPolicy) errs.push(required(p.child('restartPolicy')));
  else if (!restartPolicies.includes(s.restartPolicy)) errs.push(notSupported(p.child('restartPolicy'), s.restartPolicy, restartPolicies));
  if (!s.dnsPolicy) errs.push(required(p.child('dnsPolicy')));
  else if (!dnsPolicies.includes(s.dnsPolicy)) errs.push(notSupported(p.child('dnsPolicy'), s.dnsPolicy, dnsPolicies));
  errs.push(...validatePodDNSConfig(s.dnsConfig, s.dnsPolicy, p.child('dnsConfig')));

  errs.push(...validateLabels(s.nodeSelector, p.child('nodeSelector')));
  if (s.nodeName) for (const m of isDNS1123Subdomain(s.nodeName)) errs.push(invalidValue(p.child('nodeName'), s.nodeName, m));
  if (s.serviceAccountName) for (const m of isDNS1123Subdomain(s.serviceAccountName)) errs.push(invalidValue(p.child('serviceAccountName'), s.serviceAccountName, m));
  if (s.hostname) for (const m of isDNS1123Label(s.hostname)) errs.push(invalidValue(p.child('hostname'), s.hostname, m));
  if (s.subdomain) for (const m of isDNS1123Label(s.subdomain)) errs.push(invalidValue(p.child('subdomain'), s.subdomain, m));
  if (s.priorityClassName) for (const m of isDNS1123Subdomain(s.priorityClassName)) errs.push(invalidValue(p.child('priorityClassName'), s.priorityClassName, m));
  if (s.activeDeadlineSeconds !== undefined && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > 2147483647)) {
    errs.push(invalidValue(p.child('activeDeadlineSeconds'), s.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  errs.push(...validateTolerations(s.tolerations, p.child('tolerations')));
  errs.push(...validateAffinity(s.affinity, p.child('affinity')));
  errs.push(...validateTopologySpreadConstraints(s.topologySpreadConstraints, p.child('topologySpreadConstraints')));
  errs.push(...validatePodSecurityContext(s.securityContext, p.child('securityContext')));
  return errs;
}

export function validatePodTemplateSpec(t: PodTemplateSpec | undefined, p: FieldPath): FieldError[] {
  if (!t) return [required(p)];
  const errs: FieldError[] = [];
  errs.push(...validateLabels(t.metadata?.labels, p.child('metadata').child('labels')));
  errs.push(...validateAnnotations(t.metadata?.annotations, p.child('metadata').child('annotations')));
  errs.push(...validatePodSpec(t.spec, p.child('spec')));
  return errs;
}
