// Small helpers shared by the probe and the activation. Node's built-ins are reached through
// process.getBuiltinModule, never imported, because the same module runs in the browser.

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** process.env in Node; undefined in a browser. */
export function nodeEnv(): Record<string, string | undefined> | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return g.process?.env;
}

export function nodeBuiltin<T>(id: string): T {
  const g = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } };
  const m = g.process?.getBuiltinModule?.(id);
  if (!m) throw new Error(`the Node built-in module ${id} is not available`);
  return m as T;
}

/** `work`, or a rejection naming `what` after `ms`: a driver that hangs must not hang the probe. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
