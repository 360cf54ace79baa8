// kubernetes-types types every numeric field as `number`; the OpenAPI format (int32, int64, double)
// and `byte` strings are recovered from the model metadata @kubernetes/client-node generates.
import * as fs from 'fs';
import * as path from 'path';

export interface FieldFormats {
  /** Format for `field` of the kubernetes-types interface `name` in package dir/version. */
  lookup(dir: string, version: string, name: string, field: string): string | undefined;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function loadFieldFormats(modelsDir: string): FieldFormats {
  const byClass = new Map<string, Map<string, string>>();
  const files = fs.existsSync(modelsDir) ? fs.readdirSync(modelsDir).filter((f) => f.endsWith('.js')) : [];
  const entry = /"baseName":\s*"([^"]+)",\s*"type":\s*"[^"]*",\s*"format":\s*"([^"]*)"/g;
  for (const f of files) {
    const text = fs.readFileSync(path.join(modelsDir, f), 'utf8');
    const fields = new Map<string, string>();
    for (const m of text.matchAll(entry)) if (m[2]) fields.set(m[1], m[2]);
    byClass.set(f.slice(0, -3), fields);
  }
  return {
    lookup(dir, version, name, field) {
      const candidates = version
        ? [`${cap(dir)}${cap(version)}${name}`, `${cap(version)}${name}`]
        : [`${cap(dir)}${name}`, name];
      for (const c of candidates) {
        const fields = byClass.get(c);
        if (fields) return fields.get(field);
      }
      return undefined;
    },
  };
}

/** Fields upstream declares as int64, used when no model metadata names the type. */
const int64Names = /^(generation|observedGeneration|activeDeadlineSeconds|terminationGracePeriodSeconds|gracePeriodSeconds|deletionGracePeriodSeconds|runAsUser|runAsGroup|fsGroup|supplementalGroups|expirationSeconds|limit|remainingItemCount)$/;

export function fallbackIntegerFormat(field: string): string {
  return int64Names.test(field) ? 'int64' : 'int32';
}
