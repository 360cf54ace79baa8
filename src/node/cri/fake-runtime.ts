// An in-memory CRI runtime for hollow nodes (as kubemark's fake runtime): sandboxes get an IP from the
// node's fake /24 at once, containers run from StartContainer until stopped, every image is present,
// ExecSync succeeds and nothing is executed, networked or written.
import { createHash, randomBytes } from 'node:crypto';
import { CriError, GRPC_NOT_FOUND, type ContainerFilter, type CriRuntime, type SandboxFilter } from './cri-runtime';
import type {
  Container, ContainerConfig, ContainerStatus, ExecSyncResponse, Image, Labels, PodSandboxConfig, PodSandboxStatus, VersionResponse,
} from './cri-types';

const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_UNIMPLEMENTED = 12;
export const FAKE_RUNTIME_NAME = 'kubets-fake';
export const FAKE_RUNTIME_VERSION = '0.1.0';

const nowNanos = (): number => Date.now() * 1e6;
const newId = (): string => randomBytes(32).toString('hex');

function matches(labels: Labels, selector: Labels | undefined): boolean {
  if (!selector) return true;
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

function imageOf(ref: string): Image {
  return { id: `sha256:${createHash('sha256').update(ref).digest('hex')}`, repoTags: [ref], repoDigests: [], size: 0 };
}

export class FakeRuntime implements CriRuntime {
  private readonly sandboxes = new Map<string, PodSandboxStatus>();
  private readonly containers = new Map<string, ContainerStatus & { podSandboxId: string }>();
  /** Host parts (2..254) of the node's /24 that sandboxes hold now. */
  private readonly usedIPs = new Set<number>();

  /** `podCidr` is the node's fake /24, e.g. 10.128.3.0/24. */
  constructor(private readonly podCidr: string) {}

  private sandbox(id: string, method: string): PodSandboxStatus {
    const s = this.sandboxes.get(id);
    if (!s) throw new CriError(method, GRPC_NOT_FOUND, `an error occurred when try to find sandbox: not found: ${id}`);
    return s;
  }

  private container(id: string, method: string): ContainerStatus & { podSandboxId: string } {
    const c = this.containers.get(id);
    if (!c) throw new CriError(method, GRPC_NOT_FOUND, `an error occurred when try to find container: not found: ${id}`);
    return c;
  }

  private allocateIP(): string {
    const base = this.podCidr.split('/')[0]!.split('.').slice(0, 3).join('.');
    for (let host = 2; host < 255; host++) {
      if (this.usedIPs.has(host)) continue;
      this.usedIPs.add(host);
      return `${base}.${host}`;
    }
    throw new CriError('RunPodSandbox', GRPC_RESOURCE_EXHAUSTED, `no free address left in ${this.podCidr}`);
  }

  private releaseIP(s: PodSandboxStatus): void {
    if (s.network?.ip) this.usedIPs.delete(Number(s.network.ip.split('.')[3]));
  }

  async version(): Promise<VersionResponse> {
    return { version: FAKE_RUNTIME_VERSION, runtimeName: FAKE_RUNTIME_NAME, runtimeVersion: FAKE_RUNTIME_VERSION, runtimeApiVersion: 'v1' };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = newId();
    const hostNetwork = config.linux.securityContext?.namespaceOptions?.network === 'NODE';
    this.sandboxes.set(id, {
      id, metadata: { ...config.metadata }, state: 'SANDBOX_READY', createdAt: nowNanos(),
      labels: { ...config.labels }, annotations: { ...config.annotations },
      network: { ip: hostNetwork ? '' : this.allocateIP(), additionalIps: [] },
    });
    return id;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    const s = this.sandbox(podSandboxId, 'StopPodSandbox');
    for (const c of this.containers.values()) if (c.podSandboxId === podSandboxId) this.exit(c);
    s.state = 'SANDBOX_NOTREADY';
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    const s = this.sandboxes.get(podSandboxId);
    if (!s) return;
    for (const [id, c] of this.containers) if (c.podSandboxId === podSandboxId) this.containers.delete(id);
    this.releaseIP(s);
    this.sandboxes.delete(podSandboxId);
  }

  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    return this.sandbox(podSandboxId, 'PodSandboxStatus');
  }

  async listPodSandbox(filter: SandboxFilter = {}): Promise<PodSandboxStatus[]> {
    const out: PodSandboxStatus[] = [];
    for (const s of this.sandboxes.values()) {
      if ((filter.id && s.id !== filter.id) || (filter.state && s.state !== filter.state) || !matches(s.labels, filter.labelSelector)) continue;
      out.push({ ...s });
    }
    return out;
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, _sandboxConfig?: PodSandboxConfig): Promise<string> {
    const sandbox = this.sandbox(podSandboxId, 'CreateContainer');
    if (sandbox.state !== 'SANDBOX_READY') throw new CriError('CreateContainer', GRPC_FAILED_PRECONDITION, `sandbox ${podSandboxId} is not ready`);
    const id = newId();
    const image = config.image.image;
    this.containers.set(id, {
      id, podSandboxId, metadata: { ...config.metadata }, state: 'CONTAINER_CREATED',
      createdAt: nowNanos(), startedAt: 0, finishedAt: 0, exitCode: 0,
      image: { image }, imageRef: imageOf(image).id, reason: '', message: '',
      labels: { ...config.labels }, annotations: { ...config.annotations }, logPath: config.logPath,
    });
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const c = this.container(containerId, 'StartContainer');
    if (c.state !== 'CONTAINER_CREATED') throw new CriError('StartContainer', GRPC_FAILED_PRECONDITION, `container ${containerId} is in ${c.state} state`);
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = nowNanos();
  }

  /** A fake process ends at once on its stop signal, as one that handles SIGTERM cleanly. */
  private exit(c: ContainerStatus): void {
    if (c.state !== 'CONTAINER_RUNNING' && c.state !== 'CONTAINER_CREATED') return;
    c.state = 'CONTAINER_EXITED';
    c.finishedAt = nowNanos();
    c.exitCode = 0;
    c.reason = 'Completed';
  }

  async stopContainer(containerId: string, _timeoutSeconds?: number): Promise<void> {
    this.exit(this.container(containerId, 'StopContainer'));
  }

  async removeContainer(containerId: string): Promise<void> {
    this.containers.delete(containerId);
  }

  async listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    const out: Container[] = [];
    for (const c of this.containers.values()) {
      if ((filter.id && c.id !== filter.id) || (filter.state && c.state !== filter.state)
        || (filter.podSandboxId && c.podSandboxId !== filter.podSandboxId) || !matches(c.labels, filter.labelSelector)) continue;
      out.push({
        id: c.id, podSandboxId: c.podSandboxId, metadata: c.metadata, image: c.image, imageRef: c.imageRef, state: c.state,
        createdAt: c.createdAt, labels: c.labels, annotations: c.annotations,
      });
    }
    return out;
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    const { podSandboxId: _sandbox, ...status } = this.container(containerId, 'ContainerStatus');
    return status;
  }

  async execSync(containerId: string, _cmd?: string[], _timeoutSeconds?: number): Promise<ExecSyncResponse> {
    const c = this.container(containerId, 'ExecSync');
    if (c.state !== 'CONTAINER_RUNNING') throw new CriError('ExecSync', GRPC_FAILED_PRECONDITION, `container ${containerId} is not running`);
    return { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: 0 };
  }

  private noStreaming(method: string): never {
    throw new CriError(method, GRPC_UNIMPLEMENTED, 'hollow nodes serve no streams');
  }

  async exec(_req?: unknown): Promise<string> { return this.noStreaming('Exec'); }
  async attach(_req?: unknown): Promise<string> { return this.noStreaming('Attach'); }
  async portForward(_podSandboxId?: string, _ports?: number[]): Promise<string> { return this.noStreaming('PortForward'); }

  async listImages(): Promise<Image[]> {
    const refs = new Set([...this.containers.values()].map((c) => c.image.image));
    return [...refs].map(imageOf);
  }

  async imageStatus(image: string): Promise<Image> {
    return imageOf(image);
  }

  close(): void {
    this.sandboxes.clear();
    this.containers.clear();
    this.usedIPs.clear();
  }
}
