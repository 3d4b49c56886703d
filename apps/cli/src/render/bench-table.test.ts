import { describe, expect, it } from 'vitest';
import type { BenchRow } from '../bench-rows.js';
import { benchColumns } from './bench-table.js';
import { fitTable } from './fit-table.js';
import { renderedWidth } from './width.js';

const row = (backend: string, mode: string, ms: number): BenchRow => ({
  backend,
  device: backend,
  mode,
  what: 'norms every step, full diagnostics every 10',
  msPerStep: ms,
  overhead: mode === 'bare' ? null : 0.125,
  vsPytorch: 1.5,
  samples: 8,
});
const rows = [row('webgpu', 'bare', 12.5), row('webgpu', 'default', 1234.5)];

describe("bench's table fits the terminal", () => {
  it('at 80 columns with --vs pytorch: the description goes; then, narrower, the overhead', () => {
    const at80 = fitTable(benchColumns(true), rows, false, 80);
    expect(renderedWidth(at80)).toBeLessThanOrEqual(80);
    expect(at80).toContain('│ backend │ mode    │ ms/step │ vs bare │ vs PyTorch │');
    expect(at80).toMatch(/│ webgpu +│ default +│ +1234\.5 │ +\+12\.5% │ +1\.50x │/);
    const at50 = fitTable(benchColumns(true), rows, false, 50);
    expect(renderedWidth(at50)).toBeLessThanOrEqual(50);
    expect(at50).toContain('│ backend │ mode    │ ms/step │ vs PyTorch │');
  });

  it('at 120 columns, or without a width, every column', () => {
    for (const width of [120, null]) {
      const table = fitTable(benchColumns(true), rows, false, width);
      expect(table).toContain('│ ms/step (median) │ vs bare │ vs PyTorch │ what is measured');
      expect(table).toContain('+12.5%');
    }
  });
});
