// Runs iptables-save and iptables-restore (waiting for the xtables lock as upstream does), optionally
// inside a network namespace (`ip netns exec NAME`), which the benchmark uses to keep its thousands of
// rules off the host; large restores get the input iptables-nft needs to stay fast (readWholeTables).
import { spawn } from 'node:child_process';

export interface IptablesRunnerOptions {
  /** Run inside this named network namespace instead of the caller's. */
  netns?: string;
  /** Seconds to wait for the xtables lock. */
  lockWaitSeconds?: number;
}

/**
 * Above this many chains declared in one table, iptables-nft-restore is told to read the whole table at
 * once. Measured with iptables 1.8.9: 11,000 chains (1,000 services x 10 endpoints) take 10-13 s without
 * and 0.8 s with; a partial sync's dozen chains take 25 ms without, while reading a 30,000-rule table costs
 * about 0.5 s, so small restores go without.
 */
const MANY_CHAINS = 2000;

export class IptablesRunner {
  private backend?: Promise<'nf_tables' | 'legacy'>;

  constructor(private readonly opts: IptablesRunnerOptions = {}) {}

  save(table: 'nat' | 'filter'): Promise<string> {
    return this.run('iptables-save', ['-t', table]);
  }

  /** One iptables-restore transaction per table in `input`, leaving chains it does not name alone. */
  async restore(input: string): Promise<void> {
    const text = (await this.detectBackend()) === 'nf_tables' ? readWholeTables(input) : input;
    await this.run('iptables-restore', ['-w', String(this.opts.lockWaitSeconds ?? 5), '--noflush'], text, false);
  }

  /** Which kernel API `iptables-restore` drives ("iptables-restore v1.8.9 (nf_tables)" or "(legacy)"). */
  private detectBackend(): Promise<'nf_tables' | 'legacy'> {
    this.backend ??= this.run('iptables-restore', ['--version']).then((v) => v.includes('nf_tables') ? 'nf_tables' : 'legacy', () => 'legacy');
    return this.backend;
  }

  private run(cmd: string, args: string[], input?: string, keepOutput = true): Promise<string> {
    const [bin, argv] = this.opts.netns ? ['ip', ['netns', 'exec', this.opts.netns, cmd, ...args]] : [cmd, args];
    return new Promise((resolve, reject) => {
      const child = spawn(bin, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => { if (keepOutput) out.push(d); });
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

const BUILT_IN_CHAIN = /^-[AIDR] (PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) /;

/**
 * iptables-nft-restore --noflush fetches only the chains the commands name, keeping their names in a sorted
 * linked list (quadratic in the chains named, then one netlink request per chain); one command that names
 * no chain makes it dump the whole table once instead. `-S` is such a command and changes nothing (its
 * listing is discarded), so a table section declaring many chains gets one. It goes after the last command
 * on a built-in chain: iptables-nft does not create a missing built-in chain once it has read the table.
 */
export function readWholeTables(input: string): string {
  const lines = input.split('\n');
  const out: string[] = [];
  let at = 0;
  while (at < lines.length) {
    const end = lines.indexOf('COMMIT', at);
    const section = lines.slice(at, end < 0 ? lines.length : end + 1);
    at += section.length;
    if (!section[0]?.startsWith('*') || section.filter((l) => l.startsWith(':')).length <= MANY_CHAINS) {
      out.push(...section);
      continue;
    }
    let last = 0;
    section.forEach((l, i) => { if (BUILT_IN_CHAIN.test(l)) last = i; });
    out.push(...section.slice(0, last + 1), '-S', ...section.slice(last + 1));
  }
  return out.join('\n');
}

/** iptables-restore names the failing line number; show that line to make the error actionable. */
function lineOf(stderr: string, input: string): string {
  const m = /line:? (\d+)/i.exec(stderr);
  if (!m) return '?';
  const n = Number(m[1]);
  return `${n}: ${input.split('\n')[n - 1] ?? ''}`;
}
