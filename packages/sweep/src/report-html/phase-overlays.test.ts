import { describe, expect, it } from 'vitest';
import { findSweep } from '../catalogue.js';
import { DEPTH_AXIS, GAIN_AXIS } from '../phase-sweep.js';
import { parseSweep, type SweepSpecInput } from '../schema.js';
import { SWEEP_FILE_KIND, type SweepFile } from '../sweep-file.js';
import { sweepOverlays } from './overlays-for.js';
import { phaseOverlays } from './phase-overlays.js';

/** sweep.json as the report reads it; the overlays read only the sweep. */
function fileOf(sweep: SweepSpecInput): SweepFile {
  const parsed = parseSweep(sweep);
  return {
    gradlab: 1,
    kind: SWEEP_FILE_KIND,
    name: parsed.name,
    sweep: parsed,
    axes: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    cells: [],
  };
}

/**
 * Mean-field tanh by plain trapezoidal integration over z in [-12, 12], independent of
 * @gradlab/theory's Gauss-Hermite quadrature and root finding: the length fixed point q*, by
 * iterating q -> sw2 E[tanh(sqrt(q) z)^2] + sb2, and chi_1 = sw2 E[sech(sqrt(q*) z)^4].
 */
function gaussian(f: (z: number) => number): number {
  const n = 4000;
  const h = 24 / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const z = -12 + i * h;
    const w = i === 0 || i === n ? 0.5 : 1;
    sum += w * f(z) * Math.exp((-z * z) / 2);
  }
  return (sum * h) / Math.sqrt(2 * Math.PI);
}
function chi1(sw2: number, sb2: number): number {
  let q = 1;
  for (let i = 0; i < 100; i++) q = sw2 * gaussian((z) => Math.tanh(Math.sqrt(q) * z) ** 2) + sb2;
  return sw2 * gaussian((z) => 1 / Math.cosh(Math.sqrt(q) * z) ** 4);
}

const phase = findSweep('phase-tanh');
const full = phase?.sweep as SweepSpecInput;
const fast = phase?.fast?.sweep as SweepSpecInput;

describe('phaseOverlays: mean-field theory over a tanh phase sweep', () => {
  const overlays = phaseOverlays(fileOf(full));
  const [line, curve] = overlays;
  const grid = parseSweep(full).grid;
  const gains = grid[GAIN_AXIS] as number[];
  const depths = grid[DEPTH_AXIS] as number[];

  it('draws the critical line and the 6 xi_c curve against the gain and depth axes', () => {
    expect(overlays).toHaveLength(2);
    for (const o of overlays) {
      expect(o.x).toBe(GAIN_AXIS);
      expect(o.y).toBe(DEPTH_AXIS);
      for (const p of o.points) {
        expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
      }
    }
  });

  it('puts the critical line where chi_1 = 1 (independent quadrature), across every depth', () => {
    const xs = new Set(line?.points.map((p) => p.x));
    expect(xs.size).toBe(1);
    const gain = line?.points[0]?.x as number;
    expect(Math.abs(chi1(gain ** 2, 0.05) - 1)).toBeLessThan(1e-4);
    // Off the line by 2% of sw2, chi_1 is off 1 by far more than that tolerance.
    expect(Math.abs(chi1(1.02 * gain ** 2, 0.05) - 1)).toBeGreaterThan(5e-3);
    expect(line?.points.map((p) => p.y)).toEqual([Math.min(...depths), Math.max(...depths)]);
    expect(line?.label).toContain('1.761');
    // sb2 read back from std = sqrt(0.05) is 0.049999999999999996: the legend shows 0.05.
    expect(curve?.label).toBe('depth = 6 xi_c (mean-field, sigma_b^2 = 0.05)');
  });

  it('samples 6 xi_c finely across the swept gains, finite, peaking at the line and falling away', () => {
    const points = curve?.points ?? [];
    expect(points.length).toBeGreaterThan(100);
    expect(points[0]?.x).toBeCloseTo(Math.min(...gains), 12);
    expect(points.at(-1)?.x).toBeCloseTo(Math.max(...gains), 12);
    const top = Math.max(...depths);
    const peak = points.findIndex((p) => p.x === line?.points[0]?.x);
    expect(points[peak]?.y).toBe(top);
    // Rising to the line from the ordered side, falling from it on the chaotic side.
    for (let i = 1; i <= peak; i++) {
      expect(points[i]?.y as number).toBeGreaterThanOrEqual(points[i - 1]?.y as number);
    }
    for (let i = peak + 1; i < points.length; i++) {
      expect(points[i]?.y as number).toBeLessThanOrEqual(points[i - 1]?.y as number);
    }
    // Far from the line the curve is the theory's, not the clip: at gain 1 (sw2 = 1, ordered,
    // c* = 1, so xi_c = -1 / log chi_1) it is 6 xi_c of the independent chi_1, about 21.8.
    const ordered = points[0] as { y: number };
    expect(ordered.y).toBeCloseTo(-6 / Math.log(chi1(1, 0.05)), 2);
    expect(ordered.y).toBeGreaterThan(21);
    expect(ordered.y).toBeLessThan(23);
    expect((points.at(-1) as { y: number }).y).toBeLessThan(top);
  });

  it("reads sb2 from the cells' bias: another sb2 moves the line", () => {
    const base = structuredClone(parseSweep(fast).base) as { model: { biasInit: unknown } };
    base.model.biasInit = { kind: 'normal', std: Math.sqrt(0.2) };
    const [moved] = phaseOverlays(fileOf({ ...fast, base } as SweepSpecInput));
    const gain = moved?.points[0]?.x as number;
    expect(Math.abs(chi1(gain ** 2, 0.2) - 1)).toBeLessThan(1e-4);
    expect(gain ** 2).toBeGreaterThan(1.9);
  });

  it("the sweep report's hook draws them", () => {
    const drawn = sweepOverlays(fileOf(fast));
    expect(drawn).toHaveLength(2);
    expect(drawn).toEqual(phaseOverlays(fileOf(fast)));
    expect(sweepOverlays(fileOf(findSweep('depth-x-init')?.sweep as SweepSpecInput))).toEqual([]);
  });

  it('the fast variant gets the same line over its own range', () => {
    const fastOverlays = phaseOverlays(fileOf(fast));
    expect(fastOverlays).toHaveLength(2);
    expect(fastOverlays[0]?.points[0]?.x).toBeCloseTo(line?.points[0]?.x as number, 12);
  });
});

describe('phaseOverlays: [] for sweeps the theory does not describe', () => {
  const none = (s: SweepSpecInput) => expect(phaseOverlays(fileOf(s))).toEqual([]);

  it('the other catalogue sweeps', () => {
    none(findSweep('depth-x-init')?.sweep as SweepSpecInput);
    none(findSweep('mitigations-x-depth')?.sweep as SweepSpecInput);
  });

  it('a phase sweep with a mitigation, another activation, or a third axis', () => {
    none({ ...fast, mitigations: ['none', 'batchnorm'] });
    none({ ...fast, grid: { ...(fast.grid as object), 'model.activation': ['tanh', 'relu'] } });
    none({ ...fast, grid: { ...(fast.grid as object), 'training.steps': [10, 20] } });
    const relu = structuredClone(parseSweep(fast).base) as { model: { activation: string } };
    relu.model.activation = 'relu';
    none({ ...fast, base: relu } as SweepSpecInput);
  });
});
