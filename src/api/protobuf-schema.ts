// Loads the Kubernetes wire schemas in proto/k8s once and maps an apiVersion/kind to its message type,
// so protobuf request bodies (client-go's default encoding) can be decoded.
import * as fs from 'fs';
import * as path from 'path';
import { Root, Type } from 'protobufjs';

// Our own copies of the upstream package layout; the group name alone is not enough (apps.example.com is not apps).
const groupPackages: Record<string, string> = {
  '': 'k8s.io.api.core',
  apps: 'k8s.io.api.apps',
  batch: 'k8s.io.api.batch',
  autoscaling: 'k8s.io.api.autoscaling',
  policy: 'k8s.io.api.policy',
  'authentication.k8s.io': 'k8s.io.api.authentication',
  'authorization.k8s.io': 'k8s.io.api.authorization',
  'coordination.k8s.io': 'k8s.io.api.coordination',
  'rbac.authorization.k8s.io': 'k8s.io.api.rbac',
  'networking.k8s.io': 'k8s.io.api.networking',
  'scheduling.k8s.io': 'k8s.io.api.scheduling',
  'certificates.k8s.io': 'k8s.io.api.certificates',
};

const metaPackage = 'k8s.io.apimachinery.pkg.apis.meta.v1';
// Option kinds are registered in every group version upstream, so a client may label them with any apiVersion.
const metaKinds = new Set(['DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'ListOptions', 'GetOptions']);

let cachedRoot: Root | undefined;

// dist/src/api → repo root is three levels up; under ts-jest the module runs from src/api, two levels up.
function protoDir(): string {
  const candidates = [path.join(__dirname, '../../../proto/k8s'), path.join(__dirname, '../../proto/k8s')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'apimachinery/meta-v1.proto')));
  if (!found) throw new Error(`kubernetes protobuf schemas not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function protobufRoot(): Root {
  if (cachedRoot) return cachedRoot;
  const dir = protoDir();
  const files: string[] = [];
  for (const sub of ['apimachinery', 'api']) {
    for (const name of fs.readdirSync(path.join(dir, sub)).sort()) if (name.endsWith('.proto')) files.push(`${sub}/${name}`);
  }
  const root = new Root();
  // Imports in our files are relative to proto/k8s, not to the importing file.
  root.resolvePath = (_origin: string, target: string) => (path.isAbsolute(target) ? target : path.join(dir, target));
  root.loadSync(files.map((f) => path.join(dir, f)));
  root.resolveAll();
  cachedRoot = root;
  return root;
}

export function lookupMessage(fullName: string): Type | undefined {
  const found = protobufRoot().lookup(fullName);
  return found instanceof Type ? found : undefined;
}

// Only top-level kinds (those carrying ObjectMeta/ListMeta) and meta option kinds count; PodSpec is not a kind.
export function typeForKind(apiVersion: string, kind: string): Type | undefined {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(kind)) return undefined;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (!/^v[0-9]+[a-z0-9]*$/.test(version)) return undefined;
  if (metaKinds.has(kind)) return lookupMessage(`${metaPackage}.${kind}`);
  const pkg = groupPackages[group];
  if (pkg === undefined) return undefined;
  const type = lookupMessage(`${pkg}.${version}.${kind}`);
  return type && type.fields['metadata'] ? type : undefined;
}
