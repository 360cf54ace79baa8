// An API call that the server answered with an error: the HTTP code and the upstream Status body, so
// callers branch on reason (NotFound, Conflict, AlreadyExists) the way client-go's errors package does.
import type { Status } from 'kubernetes-types/meta/v1';

export class ApiError extends Error {
  constructor(readonly code: number, readonly status: Status | undefined, method: string, path: string) {
    super(`${method} ${path}: ${code} ${status?.reason ?? ''} ${status?.message ?? ''}`.trim());
  }
  get reason(): string | undefined { return this.status?.reason; }
}

function codeOf(err: unknown): number | undefined {
  if (err instanceof ApiError) return err.code;
  if (typeof err === 'object' && err !== null) {
    const e = err as { statusCode?: unknown; code?: unknown };
    if (typeof e.statusCode === 'number') return e.statusCode;
    if (typeof e.code === 'number') return e.code;
  }
  return undefined;
}

export const isNotFound = (err: unknown): boolean => codeOf(err) === 404;
export const isConflict = (err: unknown): boolean => codeOf(err) === 409 && !(err instanceof ApiError && err.reason === 'AlreadyExists');
export const isAlreadyExists = (err: unknown): boolean => err instanceof ApiError && err.reason === 'AlreadyExists';
export const isGone = (err: unknown): boolean => codeOf(err) === 410;
