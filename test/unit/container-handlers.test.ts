// Probe and lifecycle handler validation: exactly one handler, its port, and the probe timing fields.
import type { Container } from 'kubernetes-types/core/v1';
import { aggregateMessage, FieldPath } from '../../src/registry/field-error';
import { validateContainerHandlers } from '../../src/registry/validation/container-handlers';

const msgs = (c: Partial<Container>) => validateContainerHandlers({ name: 'c', ...c }, FieldPath.root('spec').child('containers').index(0)).map((e) => aggregateMessage([e]));

describe('validateContainerHandlers', () => {
  it('accepts one handler of each kind', () => {
    expect(msgs({ livenessProbe: { httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, successThreshold: 1 }, readinessProbe: { exec: { command: ['true'] } },
      startupProbe: { tcpSocket: { port: 'http' } }, lifecycle: { preStop: { sleep: { seconds: 1 } }, postStart: { exec: { command: ['true'] } } } })).toEqual([]);
  });
  it('refuses a second handler, naming it', () => {
    expect(msgs({ readinessProbe: { exec: { command: ['true'] }, httpGet: { port: 80 }, grpc: { port: 9000 } } })).toEqual([
      'spec.containers[0].readinessProbe.httpGet: Forbidden: may not specify more than 1 handler type',
      'spec.containers[0].readinessProbe.grpc: Forbidden: may not specify more than 1 handler type',
    ]);
  });
  it('requires a handler, an exec command and a valid port', () => {
    expect(msgs({ livenessProbe: {}, lifecycle: { postStart: { exec: { command: [] } } }, startupProbe: { tcpSocket: { port: 'Not_A_Name' } } })).toEqual([
      'spec.containers[0].lifecycle.postStart.exec.command: Required value',
      'spec.containers[0].livenessProbe: Required value: must specify a handler type',
      expect.stringMatching(/^spec\.containers\[0\]\.startupProbe\.tcpSocket\.port: Invalid value: "Not_A_Name": /),
    ]);
  });
  it('checks the timing fields and the liveness success threshold', () => {
    expect(msgs({ livenessProbe: { exec: { command: ['true'] }, periodSeconds: -1, successThreshold: 3, terminationGracePeriodSeconds: 0 } })).toEqual([
      'spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
      'spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0',
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 3: must be 1',
    ]);
  });
});
