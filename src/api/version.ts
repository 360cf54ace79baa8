// /version: the Kubernetes version whose semantics kubets serves (kubectl compares minors for skew).
export const kubernetesMinor = '32';

export function versionInfo(): Record<string, string> {
  return {
    major: '1', minor: kubernetesMinor, gitVersion: `v1.${kubernetesMinor}.0+kubets`, gitCommit: 'kubets',
    gitTreeState: 'clean', buildDate: '2026-11-22T00:00:00Z', goVersion: `node${process.versions.node}`,
    compiler: 'tsc', platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
