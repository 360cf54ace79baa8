// Runs iptables-save and iptables-restore (waiting for the xtables lock as upstream does), optionally
// inside a network namespace (`ip netns exec NAME`), which the benchmark uses to keep its thousands of
// rules off the host.
import { spawn } from 'node:child_process';

export interface IptablesRunnerOptions {
  /** Run inside this named network namespace instead of the caller's. */
  netns?: string;
  /** Seconds to wait for the xtables lock. */
  lockWaitSeconds?: number;
}

export class IptablesRunner {
  constructor(private readonly opts: IptablesRunnerOptions = {}) {}

  save(table: 'nat' | 'filter'): Promise<string> {
    return this.run('iptables-save', ['-t', table]);
  }

  /** One iptables-restore transaction per table in `input`, leaving chains it does not name alone. */
  async restore(input: string): Promise<void> {
    await this.run('iptables-restore', ['-w', String(this.opts.lockWaitSeconds ?? 5), '--noflush'], input);
  }

  private run(cmd: string, args: string[], input?: string): Promise<string> {
    const [bin, argv] = this.opts.netns ? ['ip', ['netns', 'exec', this.opts.netns, cmd, ...args]] : [cmd, args];
    return new Promise((resolve, reject) => {
      const child = spawn(bin, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
        else reject(new Error(`${cmd} exited ${code}: ${Buffer.concat(err).toString('utf8').trim()}${input ? ` (input line ${lineOf(Buffer.concat(err).toString('utf8'), input)})` : ''}`));
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(input ?? '');
    });
  }
}

/** iptables-restore names the failing line number; show that line to make the error actionable. */
function lineOf(stderr: string, input: string): string {
  const m = /line:? (\d+)/i.exec(stderr);
  if (!m) return '?';
  const n = Number(m[1]);
  return `${n}: ${input.split('\n')[n - 1] ?? ''}`;
}
