// TypeScript shapes of the CRI runtime.v1 messages in proto/cri/api.proto as @grpc/proto-loader hands
// them over (camelCase fields, enums as their names, int64 as numbers, defaults filled in).
export type Labels = Record<string, string>;

export interface PodSandboxMetadata { name: string; uid: string; namespace: string; attempt: number }
export interface PortMapping { protocol: 'TCP' | 'UDP' | 'SCTP'; containerPort: number; hostPort: number; hostIp: string }
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export interface NamespaceOption { network?: NamespaceMode; pid?: NamespaceMode; ipc?: NamespaceMode; targetId?: string }
export interface Int64Value { value: number }

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname: string;
  logDirectory: string;
  dnsConfig?: { servers: string[]; searches: string[]; options: string[] };
  portMappings: PortMapping[];
  labels: Labels;
  annotations: Labels;
  linux: {
    cgroupParent: string;
    securityContext?: {
      namespaceOptions?: NamespaceOption; runAsUser?: Int64Value; runAsGroup?: Int64Value;
      readonlyRootfs?: boolean; supplementalGroups?: number[]; privileged?: boolean;
    };
    sysctls?: Labels;
  };
}

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: number;
  labels: Labels;
  annotations: Labels;
}

export interface PodSandboxStatus extends PodSandbox {
  network?: { ip: string; additionalIps: { ip: string }[] };
}

export interface LinuxContainerResources {
  cpuPeriod?: number; cpuQuota?: number; cpuShares?: number; memoryLimitInBytes?: number; oomScoreAdj?: number;
}

export interface Mount { containerPath: string; hostPath: string; readonly: boolean; propagation?: 'PROPAGATION_PRIVATE' }

export interface ContainerConfig {
  metadata: { name: string; attempt: number };
  image: { image: string };
  command: string[];
  args: string[];
  workingDir: string;
  envs: { key: string; value: string }[];
  mounts: Mount[];
  labels: Labels;
  annotations: Labels;
  logPath: string;
  stdin: boolean;
  stdinOnce: boolean;
  tty: boolean;
  linux: {
    resources: LinuxContainerResources;
    securityContext: {
      capabilities?: { addCapabilities: string[]; dropCapabilities: string[] };
      privileged?: boolean; namespaceOptions?: NamespaceOption; runAsUser?: Int64Value; runAsGroup?: Int64Value;
      readonlyRootfs?: boolean; noNewPrivs?: boolean;
    };
  };
}

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: { name: string; attempt: number };
  image: { image: string };
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  labels: Labels;
  annotations: Labels;
}

export interface ContainerStatus {
  id: string;
  metadata: { name: string; attempt: number };
  state: ContainerState;
  /** Nanoseconds since the epoch; 0 when not reached. */
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  image: { image: string };
  imageRef: string;
  reason: string;
  message: string;
  labels: Labels;
  annotations: Labels;
  logPath: string;
}

export interface VersionResponse { version: string; runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }
export interface ExecSyncResponse { stdout: Buffer; stderr: Buffer; exitCode: number }
export interface Image { id: string; repoTags: string[]; repoDigests: string[]; size: number }
