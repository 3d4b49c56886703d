// The few WebGPU shapes this adapter touches, written structurally so that the package needs no
// global WebGPU types (@webgpu/types) and accepts Dawn, a browser's navigator.gpu, or a fake.

export interface GpuAdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}

export interface GpuDeviceLike {
  destroy(): void;
  readonly queue?: { onSubmittedWorkDone?(): Promise<unknown> };
}

export interface GpuAdapterLike {
  readonly info?: GpuAdapterInfoLike;
  /** Older spelling of info.isFallbackAdapter. */
  readonly isFallbackAdapter?: boolean;
  readonly featureLevel?: string;
  readonly features?: { has(feature: string): boolean };
  readonly limits?: Readonly<Record<string, number>>;
  requestAdapterInfo?(): Promise<GpuAdapterInfoLike>;
  requestDevice(descriptor?: object): Promise<GpuDeviceLike>;
}

export interface GpuRequestAdapterOptionsLike {
  powerPreference?: 'low-power' | 'high-performance';
  forceFallbackAdapter?: boolean;
  featureLevel?: 'core' | 'compatibility';
}

/** `navigator.gpu`, or what Dawn's `create()` returns. */
export interface GpuLike {
  requestAdapter(options?: GpuRequestAdapterOptionsLike): Promise<GpuAdapterLike | null>;
}

/** The npm package `webgpu`: Dawn for Node. */
export interface DawnModule {
  create(flags: string[]): GpuLike;
  readonly globals: object;
}
