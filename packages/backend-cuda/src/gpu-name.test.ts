import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { nvidiaGpuName } from './gpu-name.js';

describe('nvidiaGpuName', () => {
  let dir: string;
  const saved = { PATH: process.env.PATH, CUDA_VISIBLE_DEVICES: process.env.CUDA_VISIBLE_DEVICES };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gradlab-nvidia-smi-'));
  });
  afterEach(async () => {
    process.env.PATH = saved.PATH;
    if (saved.CUDA_VISIBLE_DEVICES === undefined) delete process.env.CUDA_VISIBLE_DEVICES;
    else process.env.CUDA_VISIBLE_DEVICES = saved.CUDA_VISIBLE_DEVICES;
    await rm(dir, { recursive: true, force: true });
  });

  /** Puts a stand-in nvidia-smi first on PATH that prints `csv` for the query gradlab makes. */
  async function fakeNvidiaSmi(csv: string) {
    const script = join(dir, 'nvidia-smi');
    await writeFile(
      script,
      `#!/bin/sh\n[ "$1" = "--query-gpu=index,uuid,name" ] && [ "$2" = "--format=csv,noheader" ] || exit 9\ncat <<'CSV'\n${csv}\nCSV\n`,
    );
    await chmod(script, 0o755);
    process.env.PATH = `${dir}:${saved.PATH ?? ''}`;
  }

  const twoGpus =
    '0, GPU-1111aaaa-0000-0000-0000-000000000000, NVIDIA H100 80GB HBM3\n1, GPU-2222bbbb-0000-0000-0000-000000000000, NVIDIA A100-SXM4-40GB';

  test.skipIf(process.platform === 'win32')('takes the first GPU', async () => {
    delete process.env.CUDA_VISIBLE_DEVICES;
    await fakeNvidiaSmi(twoGpus);
    expect(await nvidiaGpuName()).toBe('NVIDIA H100 80GB HBM3');
  });

  test.skipIf(process.platform === 'win32')(
    'follows CUDA_VISIBLE_DEVICES, by index or by UUID',
    async () => {
      await fakeNvidiaSmi(twoGpus);
      process.env.CUDA_VISIBLE_DEVICES = '1,0';
      expect(await nvidiaGpuName()).toBe('NVIDIA A100-SXM4-40GB');
      process.env.CUDA_VISIBLE_DEVICES = 'GPU-2222bbbb';
      expect(await nvidiaGpuName()).toBe('NVIDIA A100-SXM4-40GB');
    },
  );

  test('answers undefined, never throws, without nvidia-smi', async () => {
    process.env.PATH = dir; // an empty folder: no nvidia-smi
    process.env.CUDA_VISIBLE_DEVICES = '0';
    expect(await nvidiaGpuName()).toBeUndefined();
  });
});
