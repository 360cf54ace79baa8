// Maps a kubernetes-types module path (e.g. "core/v1", "meta/v1", "runtime") to the Go package
// prefix upstream uses for OpenAPI definition names, plus the group/version it belongs to.

export interface TypePackage {
  /** e.g. "io.k8s.api.core.v1" */
  prefix: string;
  /** Directory part of the module ("core", "meta", "runtime"); used to find client-node model names. */
  dir: string;
  /** Version part ("v1", "v1beta1"), empty for unversioned packages such as runtime and version. */
  version: string;
}

const apimachinery: Record<string, string> = {
  'meta/v1': 'io.k8s.apimachinery.pkg.apis.meta.v1',
  'api/resource': 'io.k8s.apimachinery.pkg.api.resource',
  'runtime': 'io.k8s.apimachinery.pkg.runtime',
  'version': 'io.k8s.apimachinery.pkg.version',
  'util/intstr': 'io.k8s.apimachinery.pkg.util.intstr',
};

export function packageFor(modulePath: string): TypePackage {
  const [dir, version = ''] = modulePath.split('/');
  const fixed = apimachinery[modulePath];
  if (fixed) return { prefix: fixed, dir, version: /^v\d/.test(version) ? version : '' };
  if (dir === 'apiextensions') return { prefix: `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}`, dir, version };
  if (dir === 'apiregistration') return { prefix: `io.k8s.kube-aggregator.pkg.apis.apiregistration.${version}`, dir, version };
  return { prefix: `io.k8s.api.${dir}.${version}`, dir, version };
}

/** The definition every `number | string` field points at; kubernetes-types inlines it. */
export const intOrStringName = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
