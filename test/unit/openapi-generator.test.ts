// The build-time generator: upstream definition names, types, formats, descriptions and patch facts.
import { definitions } from './definitions-fixture';

const core = (n: string) => `io.k8s.api.core.v1.${n}`;

describe('gen-openapi', () => {
  const defs = definitions();

  it('names and marks top-level kinds as upstream does', () => {
    expect(defs[core('Pod')]['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    expect(defs['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'])
      .toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(defs[core('Pod')].properties?.metadata?.$ref).toBe('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(defs[core('PodSpec')].required).toEqual(['containers']);
  });

  it('carries patch strategies and list types', () => {
    const containers = defs[core('PodSpec')].properties?.containers;
    expect(containers?.['x-kubernetes-patch-merge-key']).toBe('name');
    expect(containers?.['x-kubernetes-patch-strategy']).toBe('merge');
    expect(containers?.items?.$ref).toBe(`#/definitions/${core('Container')}`);
    expect(defs[core('Container')].properties?.ports?.['x-kubernetes-list-map-keys']).toEqual(['containerPort', 'protocol']);
    expect(defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties?.finalizers?.['x-kubernetes-patch-strategy']).toBe('merge');
    expect(defs[core('PodSpec')].properties?.volumes?.['x-kubernetes-patch-strategy']).toBe('merge,retainKeys');
  });

  it('keeps descriptions', () => {
    const image = defs[core('Container')].properties?.image;
    expect(image?.type).toBe('string');
    expect(image?.description).toMatch(/^Container image name\./);
    expect(defs[core('AppArmorProfile')].properties?.type.description).toContain('\n  Localhost - ');
  });

  it('types scalars, quantities, int-or-string and times', () => {
    expect(defs['io.k8s.apimachinery.pkg.api.resource.Quantity'].type).toBe('string');
    expect(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ type: 'string', format: 'int-or-string' });
    expect(defs['io.k8s.apimachinery.pkg.apis.meta.v1.Time']).toMatchObject({ type: 'string', format: 'date-time' });
    expect(defs['io.k8s.apimachinery.pkg.runtime.RawExtension'].type).toBe('object');
    expect(defs[core('ServicePort')].properties?.targetPort.$ref).toBe('#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    expect(defs[core('ServicePort')].properties?.port).toMatchObject({ type: 'integer', format: 'int32' });
    expect(defs[core('PodSpec')].properties?.activeDeadlineSeconds).toMatchObject({ type: 'integer', format: 'int64' });
    expect(defs[core('ResourceRequirements')].properties?.limits.additionalProperties)
      .toEqual({ $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' });
    expect(defs[core('Secret')].properties?.data.additionalProperties).toEqual({ type: 'string', format: 'byte' });
    const props = defs['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps'].properties;
    expect(props?.maximum).toMatchObject({ type: 'number', format: 'double' });
  });
});
