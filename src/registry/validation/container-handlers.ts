// Validation of a container's probes and lifecycle hooks, as upstream's validateProbe / validateHandler:
// exactly one handler, its port, scheme and command, and the probe timing fields.
import type { Container, Lifecycle, LifecycleHandler, Probe } from 'kubernetes-types/core/v1';
import { FieldError, FieldPath, forbiddenField, invalidValue, notSupported, required } from '../field-error';
import { isValidPortName, isValidPortNum } from './names';

type Handler = Record<string, unknown>;

function validatePort(port: unknown, p: FieldPath): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalidValue(p, port, m));
  if (typeof port === 'string') {
    if (/^\d+$/.test(port)) return isValidPortNum(Number(port)).map((m) => invalidValue(p, port, m));
    return isValidPortName(port).map((m) => invalidValue(p, port, m));
  }
  return [required(p)];
}

function validateAction(kind: string, action: Handler, p: FieldPath): FieldError[] {
  switch (kind) {
    case 'exec':
      return (action.command as unknown[] | undefined)?.length ? [] : [required(p.child('command'))];
    case 'httpGet': {
      // path and scheme are defaulted ("/", HTTP) before validation runs.
      const errs = validatePort(action.port, p.child('port'));
      const scheme = action.scheme as string | undefined;
      if (scheme !== undefined && scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(notSupported(p.child('scheme'), scheme, ['HTTP', 'HTTPS']));
      return errs;
    }
    case 'tcpSocket':
      return validatePort(action.port, p.child('port'));
    case 'grpc':
      return isValidPortNum(Number(action.port)).map((m) => invalidValue(p.child('port'), action.port, m));
    default:
      return [];
  }
}

/** Exactly one of `kinds` set, in upstream's order, with its action checked. */
function validateHandler(h: Handler, kinds: string[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let set = 0;
  for (const k of kinds) {
    if (h[k] === undefined || h[k] === null) continue;
    if (set > 0) { errs.push(forbiddenField(p.child(k), 'may not specify more than 1 handler type')); continue; }
    set++;
    errs.push(...validateAction(k, h[k] as Handler, p.child(k)));
  }
  if (set === 0) errs.push(required(p, 'must specify a handler type'));
  return errs;
}

const probeHandlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const lifecycleHandlers = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

function validateProbe(probe: Probe | undefined, p: FieldPath, successMustBeOne: boolean): FieldError[] {
  if (!probe) return [];
  const errs = validateHandler(probe as unknown as Handler, probeHandlers, p);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const v = probe[f];
    if (v !== undefined && v < 0) errs.push(invalidValue(p.child(f), v, 'must be greater than or equal to 0'));
  }
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(invalidValue(p.child('terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (successMustBeOne && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    errs.push(invalidValue(p.child('successThreshold'), probe.successThreshold, 'must be 1'));
  }
  return errs;
}

function validateLifecycle(l: Lifecycle | undefined, p: FieldPath): FieldError[] {
  if (!l) return [];
  const errs: FieldError[] = [];
  const hook = (h: LifecycleHandler | undefined, name: string) => { if (h) errs.push(...validateHandler(h as unknown as Handler, lifecycleHandlers, p.child(name))); };
  hook(l.postStart, 'postStart');
  hook(l.preStop, 'preStop');
  return errs;
}

/** The lifecycle and probe checks upstream runs after a container's common ones. */
export function validateContainerHandlers(c: Container, p: FieldPath): FieldError[] {
  return [
    ...validateLifecycle(c.lifecycle, p.child('lifecycle')),
    ...validateProbe(c.livenessProbe, p.child('livenessProbe'), true),
    ...validateProbe(c.readinessProbe, p.child('readinessProbe'), false),
    ...validateProbe(c.startupProbe, p.child('startupProbe'), true),
  ];
}
