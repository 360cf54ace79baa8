// Liveness, readiness and startup probes, one timer loop per probe of a running container, with upstream's
// timing fields (initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold, failureThreshold):
// exec through CRI ExecSync, httpGet and tcpSocket into the pod's IP.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Container, Probe } from 'kubernetes-types/core/v1';
import type { CriClient } from '../cri/cri-client';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export interface ProbeTarget { podIP: string; containerId: string; container: Container }

interface Outcome { ok: boolean; output: string }

function resolvePort(port: number | string, c: Container): number {
  if (typeof port === 'number') return port;
  const named = c.ports?.find((p) => p.name === port);
  if (named) return named.containerPort;
  const n = Number(port);
  if (!Number.isInteger(n)) throw new Error(`port ${port} not found in container ${c.name}`);
  return n;
}

async function runProbe(p: Probe, t: ProbeTarget, cri: CriClient): Promise<Outcome> {
  const timeoutMs = (p.timeoutSeconds ?? 1) * 1000;
  if (p.exec) {
    const r = await cri.execSync(t.containerId, p.exec.command ?? [], p.timeoutSeconds ?? 1);
    const output = Buffer.concat([r.stdout, r.stderr]).toString('utf8').trim();
    return { ok: r.exitCode === 0, output: r.exitCode === 0 ? output : output || `command terminated with exit code ${r.exitCode}` };
  }
  if (p.httpGet) {
    const g = p.httpGet;
    const scheme = (g.scheme ?? 'HTTP').toLowerCase();
    const host = g.host || t.podIP;
    const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${resolvePort(g.port, t.container)}${g.path ?? '/'}`;
    const headers: Record<string, string> = { 'user-agent': 'kube-probe/1.32', accept: '*/*' };
    for (const h of g.httpHeaders ?? []) headers[h.name.toLowerCase()] = h.value;
    return new Promise((resolve) => {
      const mod = scheme === 'https' ? https : http;
      const req = mod.get(url, { headers, timeout: timeoutMs, rejectUnauthorized: false, agent: false }, (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400 ? { ok: true, output: '' } : { ok: false, output: `HTTP probe failed with statuscode: ${code}` });
      });
      req.on('timeout', () => req.destroy(new Error(`Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)));
      req.on('error', (e) => resolve({ ok: false, output: e.message.startsWith('Get ') ? e.message : `Get "${url}": ${e.message}` }));
    });
  }
  if (p.tcpSocket) {
    const host = p.tcpSocket.host || t.podIP;
    const port = resolvePort(p.tcpSocket.port, t.container);
    return new Promise((resolve) => {
      const s = net.connect({ host, port, timeout: timeoutMs });
      s.once('connect', () => { s.destroy(); resolve({ ok: true, output: '' }); });
      s.once('timeout', () => { s.destroy(); resolve({ ok: false, output: `dial tcp ${host}:${port}: i/o timeout` }); });
      s.once('error', (e) => resolve({ ok: false, output: `dial tcp ${host}:${port}: ${e.message}` }));
    });
  }
  return { ok: true, output: '' };
}

interface Worker { timer?: NodeJS.Timeout; stopped: boolean }

export interface ProbeListener {
  /** A probe's result changed (readiness/startup), or liveness crossed its failure threshold. */
  changed(podUid: string, kind: ProbeKind, containerId: string, ok: boolean): void;
  failed(podUid: string, kind: ProbeKind, containerName: string, output: string): void;
}

export class Prober {
  private readonly workers = new Map<string, Worker>();
  private readonly results = new Map<string, boolean>();

  constructor(private readonly cri: CriClient, private readonly listener: ProbeListener) {}

  /** No probe means success; a probe not yet succeeded means failure (readiness, startup). */
  result(kind: ProbeKind, containerId: string, c: Container): boolean {
    const probe = kind === 'readiness' ? c.readinessProbe : kind === 'startup' ? c.startupProbe : c.livenessProbe;
    if (!probe) return true;
    return this.results.get(`${kind}/${containerId}`) ?? kind === 'liveness';
  }

  /** Starts the container's probe loops once (idempotent per container id). */
  ensure(podUid: string, t: ProbeTarget, startedAtMs: number): void {
    const probes: [ProbeKind, Probe | undefined][] = [
      ['startup', t.container.startupProbe], ['liveness', t.container.livenessProbe], ['readiness', t.container.readinessProbe],
    ];
    for (const [kind, probe] of probes) {
      const key = `${kind}/${t.containerId}`;
      if (!probe || this.workers.has(key)) continue;
      const w: Worker = { stopped: false };
      this.workers.set(key, w);
      let successes = 0;
      let failures = 0;
      const tick = async (): Promise<void> => {
        if (w.stopped) return;
        // Liveness and readiness wait until a startup probe has succeeded.
        const gated = kind !== 'startup' && t.container.startupProbe && !this.results.get(`startup/${t.containerId}`);
        if (!gated && !(kind === 'startup' && this.results.get(key))) {
          const out = await runProbe(probe, t, this.cri).catch((e: unknown) => ({ ok: false, output: e instanceof Error ? e.message : String(e) }));
          if (w.stopped) return;
          if (out.ok) { successes++; failures = 0; } else { failures++; successes = 0; }
          const prev = this.results.get(key) ?? (kind === 'liveness');
          let next = prev;
          if (out.ok && successes >= (probe.successThreshold ?? 1)) next = true;
          if (!out.ok && failures >= (probe.failureThreshold ?? 3)) next = false;
          if (!out.ok) this.listener.failed(podUid, kind, t.container.name, out.output);
          this.results.set(key, next);
          if (next !== prev || (kind === 'liveness' && !next)) {
            this.listener.changed(podUid, kind, t.containerId, next);
            if (kind === 'liveness' && !next) { failures = 0; this.results.set(key, true); }
          }
        }
        w.timer = setTimeout(() => { void tick(); }, (probe.periodSeconds ?? 10) * 1000);
      };
      const delay = Math.max(0, startedAtMs + (probe.initialDelaySeconds ?? 0) * 1000 - Date.now());
      w.timer = setTimeout(() => { void tick(); }, delay);
    }
  }

  /** Stops every probe of containers not in `live` (ids of running containers). */
  retain(live: Set<string>): void {
    for (const [key, w] of this.workers) {
      const id = key.slice(key.indexOf('/') + 1);
      if (live.has(id)) continue;
      w.stopped = true;
      if (w.timer) clearTimeout(w.timer);
      this.workers.delete(key);
      this.results.delete(key);
    }
  }
}
