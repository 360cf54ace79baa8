// The shape of one entry in the resource table: everything routing, discovery, OpenAPI, storage,
// validation and printing need to know about a resource. Per-kind behaviour lives in its Strategy.
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { FieldError } from './field-error';
import type { VersionConversion } from './version-conversion';

/** Upstream's types mark server-owned fields readonly; the server is the one that writes them. */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Any stored API object. Narrowed by each strategy to its upstream type. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: Writable<ObjectMeta>;
  [field: string]: unknown;
}

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  /** 0 shows in `kubectl get`; 1 only in `-o wide`. */
  priority: number;
  /** The field whose OpenAPI description this column carries, as `<definition>#<property>`. */
  doc?: string;
}

export interface Printer {
  columns: TableColumn[];
  /** One cell per column, in order. */
  row(obj: KubeObject): unknown[];
}

/** Context a strategy may need (allocators and the like are reached through it). */
export interface StrategyContext {
  /** Allocates/ releases from cluster-wide pools; present for kinds that need it (services). */
  allocators?: unknown;
}

/** Who is asking, as the apiserver authenticated them. */
export interface RequestUser { username: string; uid?: string; groups: string[]; extra?: Record<string, string[]> }

/** One access question, as a SubjectAccessReview asks it (resource or non-resource attributes). */
export interface AccessQuery {
  user: RequestUser;
  verb: string;
  resource?: { group: string; version: string; resource: string; subresource: string; namespace: string; name: string };
  path?: string;
}

/** The rules a user holds in a namespace, as a SelfSubjectRulesReview reports them. */
export interface UserRules {
  resourceRules: { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }[];
  nonResourceRules: { verbs: string[]; nonResourceURLs?: string[] }[];
  incomplete: boolean;
}

/** What a create answered in place may consult: the requester and the apiserver's authn/authz. */
export interface Requester {
  user: RequestUser;
  authorize(q: AccessQuery): { allowed: boolean; reason: string };
  rulesFor(user: RequestUser, namespace: string): UserRules;
  /** A bearer token's user and the audiences it is good for, if it is good for one of `audiences`. */
  authenticateToken(token: string, audiences?: string[]): Promise<{ user: RequestUser; audiences: string[] } | undefined>;
}

export interface Strategy {
  /**
   * Kinds that are never stored (token and access reviews): a create is validated, then answered here
   * from the requester and the authorizer, and the answer is returned as the created object.
   */
  answerCreate?(obj: KubeObject, requester: Requester): KubeObject | Promise<KubeObject>;
  /** Upstream's defaulting (SetDefaults_*), applied on create and on update to the incoming object. */
  defaults?(obj: KubeObject): void;
  /** Clear status, set fields the server owns (some from the requesting user). Generation is handled by the generic store. */
  prepareForCreate?(obj: KubeObject, ctx: CreateContext): void | Promise<void>;
  validate?(obj: KubeObject): FieldError[];
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Immutable-field and transition rules; `validate` runs too. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /**
   * Takes cluster-wide resources (service IPs, node ports) just before the write; the returned
   * function is told whether the write happened, so a failed or dry-run write gives them back.
   */
  beginCreate?(obj: KubeObject): (stored: boolean) => void;
  beginUpdate?(obj: KubeObject, old: KubeObject): (stored: boolean) => void;
  /** Hook after the object is gone (release allocations). */
  afterDelete?(obj: KubeObject): void | Promise<void>;
  /**
   * Seconds of graceful deletion for this object given the client's request; 0 or undefined deletes
   * at once. Pods use it (terminationGracePeriodSeconds, immediate when unscheduled).
   */
  deletionGracePeriod?(obj: KubeObject, requested: number | undefined): number | undefined;
  /**
   * True while something other than metadata.finalizers holds a deleted object (a namespace's
   * spec.finalizers): deletion then marks it (the hook may set status) instead of removing it.
   */
  deletionPending?(obj: KubeObject): boolean;
  /** Set when a delete repeated while deletionPending still holds the object is refused with 409 (namespaces). */
  heldDeleteConflict?(obj: KubeObject): string;
  /** Extra field-selector attributes beyond metadata.name / metadata.namespace. */
  fieldAttributes?(obj: KubeObject): Record<string, string>;
  /**
   * The field labels selectors may use, when fewer than fieldAttributes gives: versions sharing one
   * stored resource (core and events.k8s.io Events) share the watch cache's attributes but not their names.
   */
  fieldLabels?: string[];
  /**
   * The metadata a status write leaves as stored; the rest it takes from the request, as upstream's status
   * strategies, which mostly reset spec only. 'all' for custom resources and VolumeAttachments (upstream's
   * ResetObjectMetaForStatus); Deployments keep their labels, pods their owner references.
   */
  statusKeepsStoredMetadata?: 'all' | (keyof ObjectMeta)[];
  /**
   * Writes through `status` or another status-like subresource (a CSR's `approval`): the store keeps spec
   * and takes status from the request, then `prepare` narrows what may change and `validateUpdate`
   * replaces the main one, as upstream's per-subresource strategies do.
   */
  subresourceUpdates?: Record<string, {
    prepare?(obj: KubeObject, old: KubeObject): void;
    validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  }>;
}

/** What a create knows about its request beyond the object. */
export interface CreateContext {
  /** The authenticated user (absent for objects the apiserver writes itself, as at bootstrap). */
  user?: RequestUser;
}

export interface ScaleSubresource {
  specReplicasPath: string;   // e.g. "spec.replicas"
  statusReplicasPath: string; // e.g. "status.replicas"
  labelSelectorPath?: string; // e.g. "status.selector" or "spec.selector" (structured)
}

export interface ResourceDef {
  group: string;      // "" for core
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  verbs: string[];
  /** The etcd key prefix under /registry, e.g. "pods", "services/specs", "minions". */
  storagePrefix: string;
  /** Definition name in OpenAPI, e.g. io.k8s.api.core.v1.Pod. */
  openapiName: string;
  subresources: {
    status?: boolean;
    scale?: ScaleSubresource;
    /** Other subresources served by the table's handlers (binding, eviction, log, ...). */
    others?: string[];
  };
  /** true for kinds whose updates bump metadata.generation on spec change. */
  hasGeneration: boolean;
  strategy: Strategy;
  printer?: Printer;
  /**
   * For read-only kinds computed on each request instead of stored (componentstatuses): the name of
   * the source the API layer answers reads from.
   */
  computedBy?: string;
  /**
   * A create-only kind that is another resource's subresource under a second name (core/v1 `bindings`
   * is `pods/binding`): a create goes to that subresource of the object the body names.
   */
  subresourceOf?: { plural: string; subresource: 'binding' };
  /**
   * For a version whose objects are stored in another one (autoscaling/v1 HPAs, custom resources): how
   * objects convert. The generic store applies it on every read, write and watch event; the strategy sees storage form.
   */
  conversion?: VersionConversion;
  /** JSON schema (OpenAPI v3) for CRD-served resources; built-ins use the generated definitions. */
  crdSchema?: unknown;
}

export function groupVersion(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}
