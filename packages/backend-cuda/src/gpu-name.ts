/**
 * The name of the NVIDIA GPU TensorFlow uses, for BackendInfo.device. TensorFlow's C API tells
 * tfjs-node only whether it found a GPU, not which one, so gradlab asks the driver: first
 * `nvidia-smi`, then the driver's /proc files. TensorFlow's device 0 is the first GPU that
 * CUDA_VISIBLE_DEVICES leaves visible. Never throws; undefined when the name cannot be found.
 */
export type GpuNameLookup = () => Promise<string | undefined>;

export const nvidiaGpuName: GpuNameLookup = async () => {
  const visible = process.env.CUDA_VISIBLE_DEVICES?.split(',')[0]?.trim();
  return (await fromNvidiaSmi(visible)) ?? (visible ? undefined : await fromProcDriver());
};

async function fromNvidiaSmi(visible: string | undefined): Promise<string | undefined> {
  try {
    const { execFile } = await import('node:child_process');
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        'nvidia-smi',
        ['--query-gpu=index,uuid,name', '--format=csv,noheader'],
        { timeout: 5_000, windowsHide: true },
        (error, out) => (error ? reject(error) : resolve(String(out))),
      );
    });
    const gpus = stdout
      .split('\n')
      .map((line) => line.split(',').map((field) => field.trim()))
      .filter((fields) => fields.length >= 3)
      .map(([index, uuid, ...name]) => ({ index, uuid, name: name.join(', ') }));
    const gpu = visible
      ? gpus.find((g) => g.index === visible || (g.uuid && visible && g.uuid.startsWith(visible)))
      : gpus[0];
    return gpu?.name || undefined;
  } catch {
    return undefined;
  }
}

async function fromProcDriver(): Promise<string | undefined> {
  try {
    const { readdir, readFile } = await import('node:fs/promises');
    const root = '/proc/driver/nvidia/gpus';
    const [first] = (await readdir(root)).sort();
    if (!first) return undefined;
    const text = await readFile(`${root}/${first}/information`, 'utf8');
    return /^Model:\s*(.+?)\s*$/m.exec(text)?.[1];
  } catch {
    return undefined;
  }
}
