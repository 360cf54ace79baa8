// The filter-table chains of the NetworkPolicy agent: one dispatch chain jumped to from FORWARD (pod to pod
// and pod to outside) and INPUT (pod to this node, e.g. the node-process DNS), and per-pod ingress, egress
// and ipBlock-except chains. Names carry the cluster's chain prefix, so clusters sharing a host keep apart.
import { hash16, UPSTREAM_PREFIX } from '../proxy/chain-names';

/** Set by an ipBlock-except chain when the address is in the block but in none of its exceptions. */
export const NETPOL_ALLOW_MARK = '0x10000';

export interface NetpolChains {
  dispatch: string;
  ingress(podKey: string): string;
  egress(podKey: string): string;
  except(seed: string): string;
  /** Every chain this agent creates (the dispatch chain included), for stale-chain removal and cleanup. */
  isOwn(chain: string): boolean;
}

export function netpolChains(prefix = UPSTREAM_PREFIX): NetpolChains {
  // `<prefix>-NPx-` plus 16 hash characters stays within iptables' 28 characters for prefixes of up to 7.
  const dispatch = `${prefix}-NETPOL`;
  const perPod = ['NPI', 'NPE', 'NPX'].map((k) => `${prefix}-${k}-`);
  return {
    dispatch,
    ingress: (podKey) => `${prefix}-NPI-${hash16(`${podKey}/ingress`)}`,
    egress: (podKey) => `${prefix}-NPE-${hash16(`${podKey}/egress`)}`,
    except: (seed) => `${prefix}-NPX-${hash16(seed)}`,
    isOwn: (chain) => chain === dispatch || perPod.some((p) => chain.startsWith(p)),
  };
}

export interface NetpolJump { from: 'FORWARD' | 'INPUT'; args: string[] }

/** The jumps from the built-in chains, first in each so the proxy's accept rules cannot bypass policy. */
export function netpolJumps(c: NetpolChains): NetpolJump[] {
  const args = ['-m', 'comment', '--comment', '"kubernetes network policy"', '-j', c.dispatch];
  return [{ from: 'FORWARD', args }, { from: 'INPUT', args }];
}
