// The served OpenAPI documents: v2 paths, the v3 index and per-group-version docs kubectl reads.
import { createHash } from 'crypto';
import { OpenApiService } from '../../src/api/openapi';
import { defineResource, ResourceTable } from '../../src/registry/resource-table';
import { definitions } from './definitions-fixture';

type Doc = Record<string, unknown> & {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; 'x-kubernetes-group-version-kind'?: unknown }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

function table(): ResourceTable {
  const t = new ResourceTable();
  t.add(defineResource({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true,
    openapiName: 'io.k8s.api.core.v1.Pod', subresources: { status: true } }));
  t.add(defineResource({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true,
    openapiName: 'io.k8s.api.apps.v1.Deployment', subresources: { status: true, scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas' } } }));
  return t;
}

describe('OpenApiService', () => {
  it('indexes group versions with the sha512 of each document', () => {
    const svc = new OpenApiService(table(), definitions());
    const index = svc.v3Index();
    expect(Object.keys(index.paths)).toEqual(['api/v1', 'apis/apps/v1']);
    const doc = svc.v3GroupVersionDocument('apis/apps/v1');
    const hash = createHash('sha512').update(doc?.body ?? '').digest('hex').toUpperCase();
    expect(index.paths['apis/apps/v1'].serverRelativeURL).toBe(`/openapi/v3/apis/apps/v1?hash=${hash}`);
  });

  it('offers fieldValidation on PATCH operations tagged with the GVK, as kubectl checks', () => {
    const doc = new OpenApiService(table(), definitions()).v3GroupVersion('api/v1') as Doc;
    const patch = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Pod' });
    expect(patch.parameters?.some((p) => p.name === 'fieldValidation' && p.in === 'query')).toBe(true);
    const pod = doc.components.schemas['io.k8s.api.core.v1.Pod'];
    expect(pod['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    expect((pod.properties as Record<string, unknown>).metadata).toEqual(expect.objectContaining({
      allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }],
    }));
    expect(doc.components.schemas['io.k8s.api.core.v1.Container']).toBeDefined();
    expect(doc.components.schemas['io.k8s.api.apps.v1.Deployment']).toBeUndefined();
  });

  it('serves swagger 2.0 with every resource', () => {
    const v2 = new OpenApiService(table(), definitions()).v2() as Doc & { definitions: Record<string, unknown> };
    expect(v2.swagger).toBe('2.0');
    expect(v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].put).toBeDefined();
    expect(v2.paths['/api/v1/pods'].get).toBeDefined();
    expect(v2.definitions['io.k8s.api.core.v1.Pod']).toBeDefined();
  });

  it('serves a CRD from its own schema and forgets it when removed', () => {
    const t = table();
    const svc = new OpenApiService(t, definitions());
    expect(svc.v3GroupVersion('apis/stable.example.com/v1')).toBeUndefined();
    t.add(defineResource({ group: 'stable.example.com', version: 'v1', kind: 'CronTab', plural: 'crontabs', namespaced: true,
      openapiName: 'com.example.stable.v1.CronTab',
      crdSchema: { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' } } } } } }));
    const doc = svc.v3GroupVersion('apis/stable.example.com/v1') as Doc;
    const schema = doc.components.schemas['com.example.stable.v1.CronTab'];
    expect(schema['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    expect(doc.components.schemas['com.example.stable.v1.CronTabList']).toBeDefined();
    expect(doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].patch).toBeDefined();
    expect(svc.v3Index().paths['apis/stable.example.com/v1']).toBeDefined();
    t.remove('stable.example.com', 'crontabs');
    expect(svc.v3GroupVersion('apis/stable.example.com/v1')).toBeUndefined();
    expect(svc.schemaFor('com.example.stable.v1.CronTab')).toBeUndefined();
  });
});
