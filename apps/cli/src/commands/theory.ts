import { formatNumber, GradlabError } from '@gradlab/core';
import {
  ACCURATE_Q,
  type ActivationName,
  activationFunctions,
  activationNames,
  criticalSw2,
  type MeanFieldPoint,
  meanField,
  predictedGradientRatio,
  TheoryArgumentError,
} from '@gradlab/theory';
import { colorEnabled, paint } from '../render/style.js';

export interface TheoryOptions {
  readonly sw2?: string;
  readonly sb2?: string;
  readonly depth: number;
  readonly critical?: boolean;
  readonly json?: boolean;
}

/** What `gradlab theory --json` prints; Infinity and NaN become null (lengthFate and notes say which). */
export interface TheoryJsonOutput {
  readonly activation: string;
  readonly critical: boolean;
  readonly depth: number;
  readonly point: MeanFieldPoint;
  /** chi_1^depth: E||dL/dh||^2 at the first of `depth` layers over that at the last. */
  readonly gradientRatio: number;
}

function variance(option: '--sw2' | '--sb2', raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `${option} is "${raw}": it must be a finite number >= 0, a variance (${
        option === '--sw2'
          ? "sigma_w^2, fan-in times the weights' variance: 2 is He initialisation for ReLU"
          : "sigma_b^2, the biases' variance: 0 for zero-initialised biases"
      }).`,
    );
  }
  return value;
}

function activationName(raw: string): ActivationName {
  if (!(activationNames as readonly string[]).includes(raw)) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `unknown activation "${raw}". gradlab theory knows ${activationNames.join(', ')}.`,
    );
  }
  return raw as ActivationName;
}

/** Theory errors carry the same INVALID_ARGUMENT code; the CLI reports them as bad input. */
function asGradlabError(e: unknown): unknown {
  return e instanceof TheoryArgumentError
    ? new GradlabError('INVALID_ARGUMENT', `${e.message}.`)
    : e;
}

/** Six significant digits (core's `formatNumber`); a quantity the theory leaves undefined is NaN. */
function number(x: number): string {
  return Number.isNaN(x) ? 'undefined' : formatNumber(x, { digits: 6 });
}

const LENGTH_MEANING = {
  'fixed-point': 'fixed point of the length map',
  diverges: 'the length map has no fixed point: the signal grows without bound',
  marginal: 'every length is a fixed point: each input keeps its length',
} as const;

/**
 * Where every length is a fixed point (ReLU at sw2 = 2, linear at sw2 = 1, with sb2 = 0) the
 * theory has no single q* (NaN): what is true is that q is preserved exactly, layer after layer.
 */
function qStarRow(point: MeanFieldPoint): [string, string, string] {
  if (point.lengthFate !== 'marginal') {
    return ['q*', number(point.qStar), LENGTH_MEANING[point.lengthFate]];
  }
  return [
    'q*',
    'none',
    `no single fixed point: q is preserved exactly (q^l = q^0 at every layer, at sw2 = ${number(point.sw2)} with sb2 = 0)`,
  ];
}

function phaseMeaning(point: MeanFieldPoint): string {
  if (point.phase === 'critical')
    return 'on the order-to-chaos line: gradients neither vanish nor explode';
  if (point.phase === 'ordered')
    return 'gradients vanish towards the input; nearby inputs converge';
  return point.cStar < 1
    ? 'gradients explode towards the input; nearby inputs decorrelate'
    : 'gradients explode towards the input';
}

/**
 * xi_q comes from the slope of the length map at q*, by quadrature: for a bounded activation the
 * slope falls like q^(-3/2), and past ACCURATE_Q the quadrature's error can swamp it, so the
 * depth scale would print as 0 or Infinity by accident (tanh at sw2 = 2000, sb2 = 1000 or
 * sw2 = 20000, sb2 = 1). Activations with closed forms (ReLU family, linear, erf) are exact.
 */
function xiQUnresolved(point: MeanFieldPoint): boolean {
  return (
    point.lengthFate === 'fixed-point' &&
    point.qStar > ACCURATE_Q &&
    activationFunctions(point.activation as ActivationName).closedForms === undefined
  );
}

function xiQRow(point: MeanFieldPoint): [string, string, string] {
  if (!xiQUnresolved(point)) {
    return ['xi_q', number(point.xiQ), 'depth scale of the length, in layers'];
  }
  return [
    'xi_q',
    'unresolved',
    `not printed: q* = ${number(point.qStar)} is past the quadrature's accurate range (q <= ${ACCURATE_Q}), where the length map's slope, and so xi_q, is not reliable`,
  ];
}

/**
 * 6 xi_c bounds the trainable depth through correlations; where xi_c is infinite off the
 * critical line (ReLU or linear above sw2 = 2 or 1), nothing bounds it there, but the gradient
 * still grows (or fades) by chi_1 per layer, which bounds the depth in its own way.
 */
function trainableDepthRow(point: MeanFieldPoint): [string, string, string] {
  const meaning = 'trainable depth (Schoenholz et al. 2017)';
  if (point.phase === 'critical' || Number.isFinite(point.xiC)) {
    return ['6 xi_c', number(point.trainableDepth), meaning];
  }
  const way = point.chi1 > 1 ? 'grows' : 'fades';
  return [
    '6 xi_c',
    number(point.trainableDepth),
    `${meaning}: unbounded by correlations (xi_c infinite), but the gradient ${way} as chi_1^L = ${number(point.chi1)}^L over L layers`,
  ];
}

function lines(
  point: MeanFieldPoint,
  depth: number,
  criticalSearch: boolean,
  color: boolean,
): string[] {
  const ratio = predictedGradientRatio(point, depth);
  const rows: [string, string, string][] = [
    qStarRow(point),
    ['chi_1', number(point.chi1), 'E[(dL/dh)^2] gain per layer, going back towards the input'],
    ['phase', point.phase, phaseMeaning(point)],
    ['c*', number(point.cStar), 'stable fixed point of the correlation map'],
    ['chi_c', number(point.chiC), 'slope of the correlation map at c*'],
    xiQRow(point),
    ['xi_c', number(point.xiC), 'depth scale of correlations, in layers'],
    trainableDepthRow(point),
  ];
  const head = criticalSearch
    ? `${point.activation}: the critical sw2 at sb2 = ${number(point.sb2)} is ${paint(color, 'bold', number(point.sw2))}`
    : `${point.activation} at sw2 = ${number(point.sw2)}, sb2 = ${number(point.sb2)}`;
  const width = Math.max(...rows.map((r) => r[1].length));
  return [
    `${head} (mean-field theory: Poole et al. 2016; Schoenholz et al. 2017)`,
    ...rows.map(
      ([name, value, meaning]) => `  ${name.padEnd(7)}${value.padEnd(width)}  ${meaning}`,
    ),
    `Over ${depth} layers: E||dL/dh||^2 first/last = chi_1^${depth} = ${number(ratio)} (norms: ${number(Math.sqrt(ratio))})`,
    ...point.notes.map((note) => `note: ${note}`),
  ];
}

/**
 * `gradlab theory <activation>`: what mean-field theory predicts at (sw2, sb2), or where the
 * critical line is at sb2 (`--critical`), with the predicted gradient ratio over --depth layers.
 */
export async function theoryCommand(activation: string, o: TheoryOptions): Promise<number> {
  const name = activationName(activation);
  if (o.critical && o.sw2 !== undefined) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `--critical solves for sw2, so it cannot be given as well (--sw2 is "${o.sw2}"). Drop --sw2 to find the critical sw2 at --sb2, or drop --critical to evaluate the point.`,
    );
  }
  if (!o.critical && o.sw2 === undefined) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      '--sw2 is missing: give the weight variance (e.g. --sw2 2 for He initialisation), or --critical to solve for the sw2 on the critical line at --sb2.',
    );
  }
  const sb2 = variance('--sb2', o.sb2 ?? '0');
  let point: MeanFieldPoint;
  try {
    const sw2 = o.critical ? criticalSw2(name, sb2) : variance('--sw2', o.sw2 as string);
    point = meanField(name, { sw2, sb2 });
  } catch (e) {
    throw asGradlabError(e);
  }
  if (o.json) {
    const out: TheoryJsonOutput = {
      activation: name,
      critical: o.critical === true,
      depth: o.depth,
      // An xi_q the quadrature cannot resolve is null (NaN serialises so), never a wrong 0.
      point: xiQUnresolved(point) ? { ...point, xiQ: Number.NaN } : point,
      gradientRatio: predictedGradientRatio(point, o.depth),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const color = colorEnabled(process.stdout);
  process.stdout.write(`${lines(point, o.depth, o.critical === true, color).join('\n')}\n`);
  return 0;
}
