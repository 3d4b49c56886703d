import type { GpuAdapterInfoLike, GpuAdapterLike } from './gpu-types.js';
import type { WebgpuPath, WebgpuPathId } from './paths.js';

// An adapter in words: what the probe reports and what BackendInfo.device says.

/** The physical adapter a probe found. */
export interface WebgpuAdapterDescription {
  readonly path: WebgpuPathId;
  /** How it was reached ("Dawn, OpenGL ES compatibility mode"). */
  readonly via: string;
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** A software (CPU) implementation: llvmpipe, lavapipe, SwiftShader, WARP. */
  readonly software: boolean;
  readonly featureLevel: 'core' | 'compatibility';
  /** The adapter in words ("llvmpipe (LLVM 15.0.6, 256 bits), OpenGL ES 3.2 Mesa 22.3.6"). */
  readonly name: string;
}

const SOFTWARE_ADAPTER =
  /llvmpipe|lavapipe|softpipe|swiftshader|software|basic[- ]render|\bwarp\b|\bcpu\b/i;

/** "llvmpipe-llvm-15-0-6-256-bits-" (Dawn's id of Mesa's renderer) -> "llvmpipe (LLVM 15.0.6, 256 bits)". */
function prettyDevice(device: string): string {
  const mesa = /^(\w*pipe)-llvm-(\d+)-(\d+)-(\d+)-(\d+)-bits-*$/.exec(device);
  if (mesa) return `${mesa[1]} (LLVM ${mesa[2]}.${mesa[3]}.${mesa[4]}, ${mesa[5]} bits)`;
  return device.replace(/-+$/, '');
}

/** Describes an adapter from its info, as far as the info says. */
export function describeAdapter(
  path: WebgpuPath,
  adapter: GpuAdapterLike,
  info: GpuAdapterInfoLike | undefined,
): WebgpuAdapterDescription {
  const vendor = (info?.vendor ?? '').trim();
  const architecture = (info?.architecture ?? '').trim();
  const device = (info?.device ?? '').trim();
  const description = (info?.description ?? '').trim();
  const software =
    info?.isFallbackAdapter === true ||
    adapter.isFallbackAdapter === true ||
    SOFTWARE_ADAPTER.test([vendor, architecture, device, description].join(' '));
  const featureLevel =
    adapter.featureLevel === 'compatibility' || path.request.featureLevel === 'compatibility'
      ? 'compatibility'
      : 'core';
  // Dawn: `device` is the device's name, normalised ("nvidia-h100-80gb-hbm3"), `description`
  // the driver ("NVIDIA: 550.54.14", "OpenGL version OpenGL ES 3.2 Mesa 22.3.6"); a browser may
  // leave both empty and give only vendor and architecture.
  const named = prettyDevice(device);
  const vendorArch = [vendor, architecture].filter(Boolean).join(' ');
  const extra =
    named && architecture && !named.toLowerCase().includes(architecture.toLowerCase())
      ? ` (${architecture})`
      : '';
  const driver = description.replace(/^OpenGL version /, '');
  const name = [named ? `${named}${extra}` : vendorArch, driver].filter(Boolean).join(', ');
  return {
    path: path.id,
    via: path.via,
    vendor,
    architecture,
    device,
    description,
    software,
    featureLevel,
    name: name || 'an unnamed adapter',
  };
}

export function deviceText(a: WebgpuAdapterDescription): string {
  return `WebGPU: ${a.name}${a.software ? ', software' : ''} (${a.via})`;
}

export function probeDetail(a: WebgpuAdapterDescription, tried: readonly string[]): string {
  const fields = [
    `vendor "${a.vendor}"`,
    `architecture "${a.architecture}"`,
    `device "${a.device}"`,
    `description "${a.description}"`,
  ].join(', ');
  const passed = tried.length ? `; passed over: ${tried.join('; ')}` : '';
  return `${a.name}, ${a.software ? 'a software (CPU) adapter' : 'a hardware adapter'}, ${a.featureLevel} feature level, via ${a.via} [${fields}]${passed}`;
}
