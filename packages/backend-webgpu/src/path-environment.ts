import type { WebgpuPath } from './paths.js';
import { nodeBuiltin, nodeEnv } from './util.js';

// What a Dawn path needs from the Linux system around it: Mesa's environment, and the shared
// library Dawn will load for it.

/** Mesa writes a shader cache under $HOME unless told where: give it a directory under tmp. */
export function prepareMesaEnvironment(path: WebgpuPath): void {
  const env = nodeEnv();
  if (!env) return;
  if (!env.MESA_SHADER_CACHE_DIR) {
    const os = nodeBuiltin<typeof import('node:os')>('node:os');
    const fs = nodeBuiltin<typeof import('node:fs')>('node:fs');
    const nodePath = nodeBuiltin<typeof import('node:path')>('node:path');
    const uid = typeof process.getuid === 'function' ? String(process.getuid()) : 'user';
    const dir = nodePath.join(os.tmpdir(), `gradlab-mesa-shader-cache-${uid}`);
    try {
      fs.mkdirSync(dir, { recursive: true });
      env.MESA_SHADER_CACHE_DIR = dir;
    } catch {
      // No writable tmp: leave Mesa's default.
    }
  }
  // Mesa's EGL picks its platform once per process, from EGL_PLATFORM, at the first display.
  if (path.id === 'opengles' && !env.EGL_PLATFORM) env.EGL_PLATFORM = 'surfaceless';
}

/**
 * Linux: " (libEGL.so is not installed: Debian package libegl-dev)" when the library the path
 * needs is in none of the usual directories; "" when it is there, or elsewhere.
 */
export function missingLibraryNote(path: WebgpuPath): string {
  const lib = path.library;
  if (!lib || process.platform !== 'linux') return '';
  try {
    const fs = nodeBuiltin<typeof import('node:fs')>('node:fs');
    const triplet = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' }[process.arch as string];
    const dirs = [
      ...(nodeEnv()?.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
      ...(triplet ? [`/usr/lib/${triplet}`, `/lib/${triplet}`] : []),
      '/usr/lib64',
      '/usr/lib',
      '/lib64',
      '/lib',
      '/usr/local/lib',
    ];
    if (dirs.some((d) => fs.existsSync(`${d}/${lib.file}`))) return '';
    return ` (${lib.file} is not installed: Debian package ${lib.debianPackage})`;
  } catch {
    return '';
  }
}
