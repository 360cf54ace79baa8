// The unit the watch cache keeps and fans out: an event with its object already serialized once,
// plus the attributes selectors need, so 500 watchers cost one JSON.stringify, not 500.
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface CachedObject {
  key: string;
  namespace: string;
  name: string;
  revision: number;
  /** The object as JSON, metadata.resourceVersion included. */
  json: string;
  labels: Record<string, string>;
  fields: Record<string, string>;
}

export interface CacheEvent {
  type: Exclude<WatchEventType, 'BOOKMARK' | 'ERROR'>;
  revision: number;
  object: CachedObject;
  /** For MODIFIED: the previous state, so a selector watch can turn it into ADDED or DELETED. */
  previous?: CachedObject;
}
