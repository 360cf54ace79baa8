// Every failure the apiserver reports is a metav1.Status built here, with upstream's reason, code,
// message wording and details, because kubectl prints these messages to users verbatim.
import type { Status, StatusCause } from 'kubernetes-types/meta/v1';
import { FieldError, aggregateMessage } from './field-error';

export interface GroupResource { group: string; resource: string }

export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? 'unknown error');
  }
  get code(): number { return this.status.code ?? 500; }
}

function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export function statusError(code: number, reason: string, message: string,
  details?: Status['details']): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

export const notFound = (gr: GroupResource, name: string) =>
  statusError(404, 'NotFound', `${qualified(gr)} "${name}" not found`, { name, group: gr.group || undefined, kind: gr.resource });

export const alreadyExists = (gr: GroupResource, name: string) =>
  statusError(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, { name, group: gr.group || undefined, kind: gr.resource });

export const conflict = (gr: GroupResource, name: string, why: string) =>
  statusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`,
    { name, group: gr.group || undefined, kind: gr.resource });

export const staleConflict = (gr: GroupResource, name: string) =>
  conflict(gr, name, 'the object has been modified; please apply your changes to the latest version and try again');

export function invalid(group: string, kind: string, name: string, errs: FieldError[]): StatusError {
  const causes: StatusCause[] = errs.map((e) => ({ reason: e.reason, message: e.detailMessage(), field: e.field }));
  return statusError(422, 'Invalid', `${kind}${group ? '.' + group : ''} "${name}" is invalid: ${aggregateMessage(errs)}`,
    { name: name || undefined, group: group || undefined, kind, causes });
}

export const badRequest = (message: string) => statusError(400, 'BadRequest', message);
export const unauthorized = () => statusError(401, 'Unauthorized', 'Unauthorized');
export const forbidden = (gr: GroupResource, name: string, why: string) =>
  statusError(403, 'Forbidden', `${qualified(gr)}${name ? ` "${name}"` : ''} is forbidden: ${why}`,
    { name: name || undefined, group: gr.group || undefined, kind: gr.resource });
export const methodNotAllowed = (verb: string, gr: GroupResource) =>
  statusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`,
    { group: gr.group || undefined, kind: gr.resource, causes: [{ reason: 'UnexpectedServerResponse', message: verb }] });
export const gone = (message: string) => statusError(410, 'Expired', message);
export const tooLarge = (message = 'Request entity too large: limit is 3145728') =>
  statusError(413, 'RequestEntityTooLarge', message);
export const notAcceptable = (message: string) => statusError(406, 'NotAcceptable', message);
export const unsupportedMediaType = (type: string) =>
  statusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/apply-patch+yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`, { causes: [{ reason: 'UnexpectedServerResponse', message: type }] });
export const internal = (message: string) =>
  statusError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
export const timeout = (message: string) => statusError(504, 'Timeout', message);
export const serviceUnavailable = (message: string) => statusError(503, 'ServiceUnavailable', message);

export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return internal(message);
}
