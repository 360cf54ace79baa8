// The CRI runtime as the kubelet uses it (RuntimeService and ImageService calls, by their upstream
// names): implemented over gRPC by CriClient and in memory by FakeRuntime for hollow nodes.
import type {
  Container, ContainerConfig, ContainerState, ContainerStatus, ExecSyncResponse, Image, Labels, PodSandbox,
  PodSandboxConfig, PodSandboxState, PodSandboxStatus, VersionResponse,
} from './cri-types';

/** Thrown for a CRI call that failed, carrying the gRPC status code (e.g. NOT_FOUND). */
export class CriError extends Error {
  constructor(readonly method: string, readonly code: number, details: string) {
    super(`CRI ${method}: ${details}`);
  }
}

/** gRPC's NOT_FOUND status code, which runtimes answer for an unknown sandbox or container id. */
export const GRPC_NOT_FOUND = 5;

export interface SandboxFilter { id?: string; state?: PodSandboxState; labelSelector?: Labels }
export interface ContainerFilter { id?: string; state?: ContainerState; podSandboxId?: string; labelSelector?: Labels }

export interface CriRuntime {
  version(): Promise<VersionResponse>;
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  stopPodSandbox(podSandboxId: string): Promise<void>;
  removePodSandbox(podSandboxId: string): Promise<void>;
  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: SandboxFilter): Promise<PodSandbox[]>;
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** Signals the container's stop signal, then SIGKILL after `timeoutSeconds`. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  containerStatus(containerId: string): Promise<ContainerStatus>;
  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse>;
  /** Streaming calls answer a URL the kubelet's server proxies to. */
  exec(req: { containerId: string; cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }): Promise<string>;
  attach(req: { containerId: string; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }): Promise<string>;
  portForward(podSandboxId: string, ports: number[]): Promise<string>;
  listImages(): Promise<Image[]>;
  /** The image as the runtime holds it, or undefined when absent. */
  imageStatus(image: string): Promise<Image | undefined>;
  close(): void;
}
