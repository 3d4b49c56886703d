import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, gradlab } from './test-cli.js';

let work: string;
beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build the CLI first (pnpm build)`);
  work = mkdtempSync(join(tmpdir(), 'gradlab-sweep-fast-'));
});

/**
 * Starts `gradlab sweep ...args --json`, reads its plan line (printed before any cell runs),
 * then stops it with Ctrl-C: the plan is what --fast changes.
 */
function planOf(args: string[]): Promise<{ plan: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'sweep', ...args, '--json'], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    let plan: Record<string, unknown> | null = null;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0] as string;
      if (!plan && out.includes('\n')) {
        plan = JSON.parse(line);
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('exit', () =>
      plan ? resolve({ plan }) : reject(new Error(`no plan line; stdout: ${out}`)),
    );
  });
}

describe('gradlab sweep --fast', () => {
  it("runs a named sweep's fast variant, in a directory of its own name", async () => {
    const { plan } = await planOf(['phase-tanh', '--fast', '--out', join(work, 'fast')]);
    expect(plan).toMatchObject({ type: 'plan', sweep: 'phase-tanh-fast', cells: 36 });
    const full = await planOf(['phase-tanh', '--out', join(work, 'full')]);
    expect(full.plan).toMatchObject({ sweep: 'phase-tanh', cells: 100 });
  }, 60_000);

  it('a named sweep without a fast variant is bad input: exit 2, naming those that have one', () => {
    const out = join(work, 'none');
    const r = gradlab(['sweep', 'depth-x-init', '--fast', '--out', out]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('sweep "depth-x-init" has none');
    expect(r.stderr).toContain('Sweeps with a fast variant: phase-tanh');
    expect(existsSync(out)).toBe(false);
  });

  it('a sweep file with --fast is bad input too: a file has no fast variant', () => {
    const file = join(work, 'mine.json');
    writeFileSync(
      file,
      JSON.stringify({ gradlab: 1, name: 'mine', base: 'tiny', grid: { 'model.depth': [3, 4] } }),
    );
    const r = gradlab(['sweep', file, '--fast', '--out', join(work, 'mine')]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('is a file, not a named sweep');
    expect(readdirSync(work)).not.toContain('mine');
  });
});
