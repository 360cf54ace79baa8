// Container lifecycle hooks (postStart, preStop): exec through CRI ExecSync, httpGet into the pod, or sleep,
// answering with upstream's failure message for the FailedPostStartHook / FailedPreStopHook events.
import type { LifecycleHandler, Pod } from 'kubernetes-types/core/v1';
import type { CriRuntime } from '../cri/cri-runtime';
import { httpGet, type ProbeTarget } from './prober';

/** The kubelet's name for a pod in messages: name_namespace(uid). */
const podRef = (pod: Pod): string => `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;

/**
 * Runs one hook; resolves with the failure message, or undefined when it succeeded. `timeoutSeconds` 0
 * lets it run as long as it takes (postStart); preStop gets what is left of the grace period.
 */
export async function runHook(h: LifecycleHandler, t: ProbeTarget, pod: Pod, cri: CriRuntime, timeoutSeconds: number): Promise<string | undefined> {
  const who = `for Container "${t.container.name}" in Pod "${podRef(pod)}"`;
  if (h.exec) {
    const cmd = h.exec.command ?? [];
    try {
      const r = await cri.execSync(t.containerId, cmd, timeoutSeconds);
      if (r.exitCode === 0) return undefined;
      const output = Buffer.concat([r.stdout, r.stderr]).toString('utf8');
      return `Exec lifecycle hook ([${cmd.join(' ')}]) ${who} failed - error: command '${cmd.join(' ')}' exited with ${r.exitCode}: ${r.stderr.toString('utf8')}, message: ${JSON.stringify(output)}`;
    } catch (e) {
      return `Exec lifecycle hook ([${cmd.join(' ')}]) ${who} failed - error: ${e instanceof Error ? e.message : String(e)}, message: ""`;
    }
  }
  if (h.httpGet) {
    const out = await httpGet(h.httpGet, t, timeoutSeconds > 0 ? timeoutSeconds * 1000 : 2 ** 31 - 1, 'kube-lifecycle/1.32');
    return out.ok ? undefined : `HTTP lifecycle hook (${h.httpGet.path ?? ''}) ${who} failed - error: ${out.output}`;
  }
  if (h.sleep) {
    const seconds = timeoutSeconds > 0 ? Math.min(h.sleep.seconds, timeoutSeconds) : h.sleep.seconds;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    return undefined;
  }
  return `Cannot run handler: invalid handler: ${JSON.stringify(h)}`;
}
