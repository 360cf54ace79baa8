// The scheduler's view of the cluster, fed by informers: nodes with the pods bound to them, plus pods
// assumed onto a node while their binding is in flight (so the next decision already counts them).
import type { Namespace, Node, Pod } from 'kubernetes-types/core/v1';
import type { Snapshot } from './framework';
import { NodeInfo, newPodInfo, podKey } from './node-info';
import { normalizedImageName } from './plugins/image-locality';

function imagesOf(node: Node | undefined): Set<string> {
  const out = new Set<string>();
  for (const img of node?.status?.images ?? []) for (const n of img.names ?? []) out.add(normalizedImageName(n));
  return out;
}

export class SchedulerCache implements Snapshot {
  private readonly infos = new Map<string, NodeInfo>();
  private list: NodeInfo[] | null = null;
  private readonly podNode = new Map<string, string>();
  private readonly assumedPods = new Set<string>();
  private readonly nsLabels = new Map<string, Record<string, string>>();
  private readonly imageCounts = new Map<string, number>();

  get nodes(): readonly NodeInfo[] {
    this.list ??= [...this.infos.values()].filter((i) => i.node !== undefined);
    return this.list;
  }

  node(name: string): NodeInfo | undefined {
    const i = this.infos.get(name);
    return i?.node ? i : undefined;
  }

  namespaceLabels(ns: string): Record<string, string> | undefined { return this.nsLabels.get(ns); }
  imageNodeCount(image: string): number { return this.imageCounts.get(image) ?? 0; }

  setNamespace(ns: Namespace): void { this.nsLabels.set(ns.metadata?.name ?? '', ns.metadata?.labels ?? {}); }
  removeNamespace(name: string): void { this.nsLabels.delete(name); }

  private info(name: string): NodeInfo {
    let i = this.infos.get(name);
    if (!i) { i = new NodeInfo(undefined, name); this.infos.set(name, i); }
    return i;
  }

  private countImages(node: Node | undefined, by: number): void {
    for (const img of imagesOf(node)) {
      const n = (this.imageCounts.get(img) ?? 0) + by;
      if (n > 0) this.imageCounts.set(img, n); else this.imageCounts.delete(img);
    }
  }

  setNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const i = this.info(name);
    if (!i.node) this.list = null;
    this.countImages(i.node, -1);
    i.setNode(node);
    this.countImages(node, 1);
  }

  removeNode(name: string): void {
    const i = this.infos.get(name);
    if (!i) return;
    this.countImages(i.node, -1);
    this.list = null;
    // Pods still bound to a deleted node keep their place until they go too, as upstream's cache does.
    if (i.pods.size === 0) this.infos.delete(name); else i.node = undefined;
  }

  /** A pod the API shows bound (or being bound): counted on its node; confirms an assumption. */
  setPod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec?.nodeName ?? '';
    this.assumedPods.delete(key);
    this.placePod(key, pod, nodeName);
  }

  removePod(key: string): void {
    this.assumedPods.delete(key);
    const nodeName = this.podNode.get(key);
    if (nodeName === undefined) return;
    this.podNode.delete(key);
    const i = this.infos.get(nodeName);
    i?.removePod(key);
    if (i && !i.node && i.pods.size === 0) this.infos.delete(nodeName);
  }

  /** Counts the pod on the node before its binding is confirmed. */
  assume(pod: Pod, nodeName: string): void {
    const key = podKey(pod);
    this.placePod(key, { ...pod, spec: { ...pod.spec!, nodeName } }, nodeName);
    this.assumedPods.add(key);
  }

  /** Drops an assumption whose binding failed. */
  forget(key: string): void {
    if (this.assumedPods.has(key)) this.removePod(key);
  }

  isAssumed(key: string): boolean { return this.assumedPods.has(key); }

  has(key: string): boolean { return this.podNode.has(key); }

  private placePod(key: string, pod: Pod, nodeName: string): void {
    const prev = this.podNode.get(key);
    if (prev !== undefined && prev !== nodeName) this.removePod(key);
    this.podNode.set(key, nodeName);
    this.info(nodeName).addPod(newPodInfo(pod));
  }
}
