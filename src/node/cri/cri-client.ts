// A typed client for the CRI RuntimeService and ImageService over containerd's unix socket, on
// @grpc/grpc-js with the runtime.v1 definitions in proto/cri loaded by @grpc/proto-loader.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type {
  Container, ContainerConfig, ContainerState, ContainerStatus, ExecSyncResponse, Image, Labels, PodSandbox,
  PodSandboxConfig, PodSandboxState, PodSandboxStatus, VersionResponse,
} from './cri-types';

type Callback = (err: grpc.ServiceError | null, res: unknown) => void;
type RawMethod = (req: unknown, meta: grpc.Metadata, opts: grpc.CallOptions, cb: Callback) => void;
type RawClient = grpc.Client & Record<string, RawMethod>;

function protoFile(): string {
  const candidates = [path.join(__dirname, '../../../../proto/cri/api.proto'), path.join(__dirname, '../../../proto/cri/api.proto')];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`CRI proto not found (looked in ${candidates.join(', ')})`);
  return found;
}

let services: { runtime: grpc.ServiceClientConstructor; image: grpc.ServiceClientConstructor } | undefined;
function loadServices(): NonNullable<typeof services> {
  if (services) return services;
  const def = protoLoader.loadSync(protoFile(), { keepCase: false, longs: Number, enums: String, defaults: true, arrays: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { runtime: { v1: Record<string, grpc.ServiceClientConstructor> } };
  services = { runtime: pkg.runtime.v1.RuntimeService!, image: pkg.runtime.v1.ImageService! };
  return services;
}

/** Thrown for a CRI call that failed, carrying the gRPC status code (e.g. NOT_FOUND). */
export class CriError extends Error {
  constructor(readonly method: string, readonly code: number, details: string) {
    super(`CRI ${method}: ${details}`);
  }
}

export interface SandboxFilter { id?: string; state?: PodSandboxState; labelSelector?: Labels }
export interface ContainerFilter { id?: string; state?: ContainerState; podSandboxId?: string; labelSelector?: Labels }

export class CriClient {
  private readonly runtime: RawClient;
  private readonly images: RawClient;

  constructor(readonly socket: string, private readonly timeoutMs = 120_000) {
    const { runtime, image } = loadServices();
    const target = `unix://${socket}`;
    const creds = grpc.credentials.createInsecure();
    const options = { 'grpc.max_receive_message_length': 16 * 1024 * 1024 };
    this.runtime = new runtime(target, creds, options) as RawClient;
    this.images = new image(target, creds, options) as RawClient;
  }

  private call<T>(client: RawClient, method: string, req: object, timeoutMs = this.timeoutMs): Promise<T> {
    return new Promise((resolve, reject) => {
      client[method]!.call(client, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) reject(new CriError(method, err.code, err.details || err.message));
        else resolve(res as T);
      });
    });
  }

  close(): void {
    this.runtime.close();
    this.images.close();
  }

  version(): Promise<VersionResponse> {
    return this.call(this.runtime, 'Version', { version: 'v1' }, 5_000);
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return (await this.call<{ podSandboxId: string }>(this.runtime, 'RunPodSandbox', { config })).podSandboxId;
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await this.call(this.runtime, 'StopPodSandbox', { podSandboxId });
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    await this.call(this.runtime, 'RemovePodSandbox', { podSandboxId });
  }

  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    return (await this.call<{ status: PodSandboxStatus }>(this.runtime, 'PodSandboxStatus', { podSandboxId })).status;
  }

  async listPodSandbox(filter: SandboxFilter = {}): Promise<PodSandbox[]> {
    const f = { id: filter.id ?? '', labelSelector: filter.labelSelector ?? {}, ...(filter.state ? { state: { state: filter.state } } : {}) };
    return (await this.call<{ items: PodSandbox[] }>(this.runtime, 'ListPodSandbox', { filter: f })).items;
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    return (await this.call<{ containerId: string }>(this.runtime, 'CreateContainer', { podSandboxId, config, sandboxConfig })).containerId;
  }

  async startContainer(containerId: string): Promise<void> {
    await this.call(this.runtime, 'StartContainer', { containerId });
  }

  /** Signals the container's stop signal, then SIGKILL after `timeoutSeconds`. */
  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    await this.call(this.runtime, 'StopContainer', { containerId, timeout: timeoutSeconds }, (timeoutSeconds + 60) * 1000);
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.call(this.runtime, 'RemoveContainer', { containerId });
  }

  async listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    const f = {
      id: filter.id ?? '', podSandboxId: filter.podSandboxId ?? '', labelSelector: filter.labelSelector ?? {},
      ...(filter.state ? { state: { state: filter.state } } : {}),
    };
    return (await this.call<{ containers: Container[] }>(this.runtime, 'ListContainers', { filter: f })).containers;
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return (await this.call<{ status: ContainerStatus }>(this.runtime, 'ContainerStatus', { containerId })).status;
  }

  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
    return this.call(this.runtime, 'ExecSync', { containerId, cmd, timeout: timeoutSeconds }, (timeoutSeconds + 10) * 1000);
  }

  async exec(req: { containerId: string; cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }): Promise<string> {
    return (await this.call<{ url: string }>(this.runtime, 'Exec', req)).url;
  }

  async attach(req: { containerId: string; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }): Promise<string> {
    return (await this.call<{ url: string }>(this.runtime, 'Attach', req)).url;
  }

  async portForward(podSandboxId: string, ports: number[]): Promise<string> {
    return (await this.call<{ url: string }>(this.runtime, 'PortForward', { podSandboxId, port: ports })).url;
  }

  async listImages(): Promise<Image[]> {
    return (await this.call<{ images: Image[] }>(this.images, 'ListImages', {})).images;
  }

  /** The image as the runtime holds it, or undefined when absent (CRI answers with an empty image). */
  async imageStatus(image: string): Promise<Image | undefined> {
    const res = await this.call<{ image: Image | null }>(this.images, 'ImageStatus', { image: { image } });
    return res.image && res.image.id ? res.image : undefined;
  }
}
