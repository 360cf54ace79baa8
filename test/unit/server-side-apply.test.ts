// Server-side apply on the generated OpenAPI definitions: field sets in FieldsV1 form, merging by list
// type, conflicts between managers (and forcing them), shared ownership, and removal of fields a manager
// stopped applying.
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1';
import { StatusError } from '../../src/registry/errors';
import { fieldSetOf, fromFieldsV1, printPath, toFieldsV1 } from '../../src/registry/field-set';
import type { KubeObject } from '../../src/registry/resource-types';
import { resolveSchema } from '../../src/registry/schema-types';
import { serverSideApply, type ApplyOptions } from '../../src/registry/server-side-apply';
import { schemaSource } from './definitions-fixture';

const source = schemaSource();
const schema = { root: resolveSchema(source.schemaFor('io.k8s.api.apps.v1.Deployment'), source), source };
const opts = (manager: string, force = false): ApplyOptions => ({ manager, force, apiVersion: 'apps/v1', now: '2026-01-01T00:00:00Z', skipStatus: true });

function deployment(spec: Record<string, unknown>, labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', ...(labels ? { labels } : {}) }, spec };
}

const template = (containers: unknown[]) => ({ metadata: { labels: { app: 'web' } }, spec: { containers } });

function conflictOf(fn: () => unknown): StatusError {
  try { fn(); } catch (e) { if (e instanceof StatusError) return e; throw e; }
  throw new Error('expected a conflict');
}

function entry(obj: KubeObject, manager: string): ManagedFieldsEntry | undefined {
  return obj.metadata?.managedFields?.find((e) => e.manager === manager);
}

describe('field sets', () => {
  test('leaves, keyed list items (with "."), atomic structs and sets, without server-owned fields or status', () => {
    const obj = {
      ...deployment({ replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template([{ name: 'main', image: 'busybox', args: ['a'] }]) }, { app: 'web' }),
      status: { replicas: 1 },
    };
    obj.metadata = { ...obj.metadata, finalizers: ['example.com/f'], uid: 'u', resourceVersion: '9' };
    const fields = toFieldsV1(fieldSetOf(obj, schema.root, source, true));
    expect(fields).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"example.com/f"': {} }, 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        // LabelSelector is an atomic struct: owned whole.
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:containers': { 'k:{"name":"main"}': { '.': {}, 'f:args': {}, 'f:image': {}, 'f:name': {} } } },
        },
      },
    });
    expect(fromFieldsV1(fields)).toEqual(fieldSetOf(obj, schema.root, source, true));
  });

  test('paths print as upstream prints them in conflicts', () => {
    const set = fieldSetOf(deployment({ template: template([{ name: 'main', image: 'x' }]) }), schema.root, source, true);
    expect([...set].map(printPath).sort()).toEqual([
      '.spec.template.metadata.labels.app',
      '.spec.template.spec.containers[name="main"]',
      '.spec.template.spec.containers[name="main"].image',
      '.spec.template.spec.containers[name="main"].name',
    ]);
  });
});

describe('serverSideApply', () => {
  const first = () => serverSideApply(undefined,
    deployment({ replicas: 2, template: template([{ name: 'main', image: 'busybox:1' }]) }, { app: 'web', tier: 'front' }), schema, opts('alice'));

  test('a first apply yields the applied object and one Apply entry', () => {
    const obj = first();
    expect(obj.spec).toEqual({ replicas: 2, template: template([{ name: 'main', image: 'busybox:1' }]) });
    expect(obj.metadata?.managedFields).toEqual([{
      manager: 'alice', operation: 'Apply', apiVersion: 'apps/v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(fieldSetOf(obj, schema.root, source, true)),
    }]);
  });

  test('another manager changing an owned field conflicts, in upstream\'s words; forcing takes the field over', () => {
    const live = first();
    const bob = deployment({ replicas: 3 });
    const err = conflictOf(() => serverSideApply(live, bob, schema, opts('bob')));
    expect(err.status).toMatchObject({
      code: 409, reason: 'Conflict', message: 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' }] },
    });
    const forced = serverSideApply(live, bob, schema, opts('bob', true));
    expect((forced.spec as { replicas: number }).replicas).toBe(3);
    expect(entry(forced, 'bob')?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(entry(forced, 'alice')?.fieldsV1).not.toHaveProperty(['f:spec', 'f:replicas']);
  });

  test('several conflicts are listed per manager', () => {
    const live = first();
    const err = conflictOf(() => serverSideApply(live, deployment({ replicas: 5 }, { tier: 'back' }), schema, opts('bob')));
    expect(err.status.message).toBe('Apply failed with 2 conflicts: conflicts with "alice":\n- .metadata.labels.tier\n- .spec.replicas');
  });

  test('applying the same value shares ownership instead of conflicting', () => {
    const shared = serverSideApply(first(), deployment({ replicas: 2 }), schema, opts('bob'));
    expect(entry(shared, 'bob')?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(entry(shared, 'alice')?.fieldsV1).toHaveProperty(['f:spec', 'f:replicas']);
    // alice stops applying replicas: bob still owns it, so it stays.
    const after = serverSideApply(shared, deployment({ template: template([{ name: 'main', image: 'busybox:1' }]) }, { app: 'web', tier: 'front' }), schema, opts('alice'));
    expect((after.spec as { replicas?: number }).replicas).toBe(2);
  });

  test('fields a manager no longer applies are removed; keyed list items merge by key', () => {
    const live = first();
    const next = serverSideApply(live, deployment({ template: template([{ name: 'side', image: 'busybox:2' }]) }, { app: 'web' }), schema, opts('alice'));
    expect(next.metadata?.labels).toEqual({ app: 'web' });
    expect(next.spec).toEqual({ template: template([{ name: 'side', image: 'busybox:2' }]) });

    // Another manager's container is merged beside alice's, not replacing it.
    const bob = serverSideApply(live, deployment({ template: { spec: { containers: [{ name: 'extra', image: 'x' }] } } }), schema, opts('bob'));
    const names = ((bob.spec as { template: { spec: { containers: { name: string }[] } } }).template.spec.containers).map((c) => c.name);
    expect(names).toEqual(['main', 'extra']);
  });

  test('malformed managedFields a client stored do not break an apply', () => {
    const live = first();
    live.metadata!.managedFields!.push({ manager: 'odd', operation: 'Update', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{broken': {}, 'v:[': {} } } } } } });
    const next = serverSideApply(live, deployment({ replicas: 4, template: template([{ name: 'main', image: 'busybox:1' }]) }, { app: 'web', tier: 'front' }), schema, opts('alice'));
    expect((next.spec as { replicas: number }).replicas).toBe(4);
    expect(printPath('f:spec\u0000k:{broken')).toBe('.spec[{broken]');
  });

  test('managedFields in the applied body are refused', () => {
    const body = deployment({});
    body.metadata = { ...body.metadata, managedFields: [] };
    expect(conflictOf(() => serverSideApply(undefined, body, schema, opts('alice'))).status)
      .toMatchObject({ code: 400, reason: 'BadRequest', message: 'metadata.managedFields must be nil' });
  });
});
