import type { FigurePoint, StudyFigure, StudyTable } from '../../study.js';
import { initLabel } from '../../study-kit/init-setting.js';
import { mean } from '../../study-kit/series.js';
import { tableOf } from '../../study-kit/table.js';
import { type ArmAtDepth, type Depth, drawsOf } from './checks.js';
import type { DeepLinearSettings } from './settings.js';

/** The arms' names in legends; both arms may be given one initialiser (a counterfactual). */
function armNames(s: DeepLinearSettings): { gaussian: string; orthogonal: string } {
  const gaussian = initLabel(s.gaussianInit);
  const orthogonal = initLabel(s.orthogonalInit);
  return gaussian === orthogonal
    ? { gaussian: `${gaussian} (Gaussian arm)`, orthogonal: `${orthogonal} (orthogonal arm)` }
    : { gaussian, orthogonal };
}

const meanSecond = (d: ArmAtDepth) => mean(drawsOf(d, 'second'));

export function figures(s: DeepLinearSettings, depths: readonly Depth[]): StudyFigure[] {
  const N = s.width;
  const names = armNames(s);
  const spectra: FigurePoint[] = (['gaussian', 'orthogonal'] as const).flatMap((arm) =>
    depths.flatMap((r) =>
      Array.from(r[arm].spectrum, (y, i) => ({
        series: `${names[arm]}, L = ${r.depth}`,
        x: (i + 1) / N,
        y,
      })),
    ),
  );
  const moments: FigurePoint[] = depths.flatMap(({ depth, gaussian, orthogonal, theory }) => [
    { series: `${names.gaussian}, measured`, x: depth, y: meanSecond(gaussian) },
    { series: `theory, N = ${N}`, x: depth, y: theory.secondMoment },
    { series: `${names.orthogonal}, measured`, x: depth, y: meanSecond(orthogonal) },
  ]);
  return [
    {
      id: 'spectra',
      title: `Singular values of J = W_L ... W_1 (N = ${N}, one draw)`,
      kind: 'line',
      x: { title: 'rank i / N' },
      y: { title: 'singular value s_i', log: true },
      points: spectra,
      caption:
        'Orthogonal layers: every singular value stays at 1 at every depth. Gaussian layers: the spectrum fans out with depth, the largest values growing and the rest collapsing (below ~1e-7 of the largest the float32 product only resolves rounding).',
    },
    {
      id: 'second-moment',
      title: 'Mean of s^4 against depth',
      kind: 'line',
      x: { title: 'depth L', log: true },
      y: { title: '(1/N) tr((J J^T)^2)', log: true },
      points: moments,
      caption:
        'Gaussian layers follow the theory (L + 1 as N grows) until L approaches N, where a few draws miss the rare large values that carry the mean; orthogonal layers stay at 1.',
    },
  ];
}

export function tables(s: DeepLinearSettings, depths: readonly Depth[]): StudyTable[] {
  const round = (x: number, digits = 4) => Number(x.toPrecision(digits));
  return [
    tableOf(
      'moments',
      `Jacobian spectra, N = ${s.width}, ${s.seeds} draws per depth (mean); Gaussian arm ${initLabel(s.gaussianInit)}, orthogonal arm ${initLabel(s.orthogonalInit)}`,
      depths,
      {
        'depth L': (r) => r.depth,
        'Gaussian (1/N) tr JJ^T': (r) => round(mean(drawsOf(r.gaussian, 'mean'))),
        'Gaussian (1/N) tr (JJ^T)^2': (r) => round(meanSecond(r.gaussian)),
        'theory (N finite)': (r) => round(r.theory.secondMoment),
        'Gaussian s_max': (r) => round(r.gaussian.spectrum[0] as number),
        'Gaussian log-spread': (r) => round(mean(drawsOf(r.gaussian, 'spread'))),
        'orthogonal max |s - 1|': (r) =>
          round(Math.max(...drawsOf(r.orthogonal, 'maxDeviation')), 3),
      },
    ),
  ];
}
