import { formatNumber, formatPercent } from '../format/number.js';
import type { Thresholds } from '../spec/schema.js';
import type {
  Evidence,
  LayerDiagnostics,
  SignalProfile,
  StepDiagnostics,
  Verdict,
} from './types.js';
import { VERDICT_SEVERITY, worstVerdict } from './types.js';

/** What the rules need to know of the network. */
export interface NetworkShape {
  /** "layers" for an MLP's signal profile, "time steps" for a recurrent one's. */
  readonly signalUnit: 'layers' | 'time steps';
  /** Skip connections carry the gradient past the units: dead or saturated units are no evidence. */
  readonly skipConnections: boolean;
}

/**
 * The verdict of a step from every signal it measured, and the evidence behind it.
 *
 * Weight-gradient norms alone can look healthy while the network is not: in a deep ReLU net
 * with Xavier's variance 1/n (half of He's 2/n), the forward activations shrink by sqrt(1/2)
 * per layer and the backward signal dL/dh by the same factor, so dL/dW = h^T delta, a product
 * of the two, stays the same size in every layer (He et al. 2015, section 2.2), and yet such a
 * 30-layer net does not train. So each kind of evidence is judged on its own, and the step's
 * verdict is the worst of them:
 *
 * | source              | measured on | vanishing                       | exploding                  |
 * |---------------------|-------------|---------------------------------|----------------------------|
 * | weight-gradient     | every step  | a layer's norm < vanishingNorm, or its ratio to the last layer < vanishingRatio | > explodingNorm, or ratio > explodingRatio |
 * | backward-signal     | full steps  | ||dL/dh|| first / last < vanishingRatio | ratio > explodingRatio |
 * | forward-activations | full steps  | activation std, deepest / first hidden layer < vanishingRatio | ratio > explodingRatio |
 * | grad-to-weight      | full steps  | ||dL/dW|| / ||W|| < vanishingGradToWeight | > explodingGradToWeight |
 * | dead-units          | full steps  | a layer's dead fraction >= deadFraction (no skip connections) | - |
 * | saturation          | full steps  | a layer's saturated fraction >= saturatedFraction (no skip connections) | - |
 * | loss / any NaN/Inf  | every step  | -                               | non-finite                 |
 *
 * A NaN or Inf anywhere (a gradient entry, a norm, the loss, an activation statistic) makes
 * the step non-finite. Unmeasured fields (null) are not evidence.
 */
export function judgeStep(
  layers: readonly LayerDiagnostics[],
  signal: SignalProfile | null,
  loss: number,
  t: Thresholds,
  network: NetworkShape,
): { verdict: Verdict; evidence: Evidence[] } {
  const evidence: Evidence[] = [
    ...weightGradientEvidence(layers),
    ...(signal ? signalEvidence(signal, network.signalUnit) : []),
    ...activationEvidence(layers, t),
    ...ratioEvidence(layers, t),
    // Around skip connections the gradient does not need to pass through the units.
    ...(network.skipConnections ? [] : unitEvidence(layers, t)),
  ];
  if (!Number.isFinite(loss)) {
    evidence.push({
      verdict: 'non-finite',
      source: 'loss',
      layer: null,
      value: loss,
      summary: `the loss is ${loss}`,
    });
  }
  evidence.sort((a, b) => VERDICT_SEVERITY[b.verdict] - VERDICT_SEVERITY[a.verdict]);
  return { verdict: worstVerdict(evidence.map((e) => e.verdict)), evidence };
}

/** The evidence that decided a verdict: the entries of that verdict, most telling first. */
export function decisiveEvidence(verdict: Verdict, evidence: readonly Evidence[]): Evidence[] {
  return evidence.filter((e) => e.verdict === verdict);
}

/** The decisive evidence of a verdict in one line ("a; b"), or null when there is none. */
export function evidenceSummary(verdict: Verdict, evidence: readonly Evidence[]): string | null {
  const decisive = decisiveEvidence(verdict, evidence);
  return decisive.length === 0 ? null : decisive.map((e) => e.summary).join('; ');
}

/** "vanishing (backward signal ...; weight gradients ...)", or the verdict alone. */
export function explainVerdict(verdict: Verdict, evidence: readonly Evidence[]): string {
  const summary = evidenceSummary(verdict, evidence);
  return summary === null ? verdict : `${verdict} (${summary})`;
}

/** Two significant digits, always as an exponent: 1.0e-12 (core's `formatNumber`). */
const fmt = (x: number): string => formatNumber(x, { notation: 'scientific', digits: 2 });

/** Per-layer verdicts of the weight-gradient norms, summarised by the most extreme layer. */
function weightGradientEvidence(layers: readonly LayerDiagnostics[]): Evidence[] {
  const out: Evidence[] = [];
  for (const verdict of ['non-finite', 'exploding', 'vanishing'] as const) {
    const hit = layers.filter((l) => l.verdict === verdict);
    if (hit.length === 0) continue;
    const extreme =
      verdict === 'vanishing'
        ? hit.reduce((a, b) => (b.gradNorm < a.gradNorm ? b : a))
        : verdict === 'exploding'
          ? hit.reduce((a, b) => (b.gradNorm > a.gradNorm ? b : a))
          : (hit[0] as LayerDiagnostics);
    const count = `${hit.length} of ${layers.length} layers`;
    const summary =
      verdict === 'non-finite'
        ? `weight gradients hold NaN/Inf in ${count}, first ${extreme.name}`
        : `weight gradient of ${extreme.name} ${fmt(extreme.gradNorm)}, ${fmt(extreme.ratioToLast)} of the last layer's (${count})`;
    out.push({
      verdict,
      source: 'weight-gradient',
      layer: extreme.name,
      value: extreme.gradNorm,
      summary,
    });
  }
  return out;
}

function signalEvidence(s: SignalProfile, unit: 'layers' | 'time steps'): Evidence[] {
  if (s.verdict === 'healthy') return [];
  const span = `over ${s.norms.length} ${unit}`;
  const summary =
    s.verdict === 'non-finite'
      ? `backward signal ||dL/dh|| is NaN/Inf ${span}`
      : `backward signal ||dL/dh|| first/last ${fmt(s.ratioFirstToLast)} ${span}`;
  return [
    {
      verdict: s.verdict,
      source: 'backward-signal',
      layer: s.labels[0] ?? null,
      value: s.ratioFirstToLast,
      summary,
    },
  ];
}

/** Forward collapse or blow-up: the deepest hidden layer's activation std against the first's. */
function activationEvidence(layers: readonly LayerDiagnostics[], t: Thresholds): Evidence[] {
  const hidden = layers.filter((l) => l.activationStd !== null);
  const bad = hidden.find((l) => !Number.isFinite(l.activationStd as number));
  if (bad) {
    return [
      {
        verdict: 'non-finite',
        source: 'forward-activations',
        layer: bad.name,
        value: bad.activationStd as number,
        summary: `activations of ${bad.name} are NaN/Inf`,
      },
    ];
  }
  if (hidden.length < 2) return [];
  const first = hidden[0] as LayerDiagnostics;
  const last = hidden[hidden.length - 1] as LayerDiagnostics;
  const a = first.activationStd as number;
  const b = last.activationStd as number;
  // A first layer with no spread at all (a constant input) says nothing about depth.
  if (!(a > 0)) return [];
  const ratio = b / a;
  const verdict: Verdict =
    ratio < t.vanishingRatio ? 'vanishing' : ratio > t.explodingRatio ? 'exploding' : 'healthy';
  if (verdict === 'healthy') return [];
  const what = verdict === 'vanishing' ? 'collapse' : 'blow up';
  return [
    {
      verdict,
      source: 'forward-activations',
      layer: last.name,
      value: ratio,
      summary: `forward activations ${what}: std of ${last.name} ${fmt(ratio)} of ${first.name}'s over ${hidden.length} layers`,
    },
  ];
}

/** Layers whose gradient is negligible, or overwhelming, next to their own weights. */
function ratioEvidence(layers: readonly LayerDiagnostics[], t: Thresholds): Evidence[] {
  const ratios = layers.flatMap((l) =>
    l.gradToWeight !== null && Number.isFinite(l.gradToWeight) && l.weightNorm !== 0
      ? [{ name: l.name, ratio: l.gradToWeight }]
      : [],
  );
  const above = (a: number, b: number) => a > b;
  const below = (a: number, b: number) => a < b;
  const rules = [
    ['exploding', 'above', t.explodingGradToWeight, above],
    ['vanishing', 'below', t.vanishingGradToWeight, below],
  ] as const;
  return rules.flatMap(([verdict, side, limit, beyond]): Evidence[] => {
    const hit = ratios.filter((r) => beyond(r.ratio, limit));
    if (hit.length === 0) return [];
    // The most extreme layer: the largest ratio above the limit, the smallest below it.
    const worst = hit.reduce((a, b) => (beyond(b.ratio, a.ratio) ? b : a));
    return [
      {
        verdict,
        source: 'grad-to-weight',
        layer: worst.name,
        value: worst.ratio,
        summary: `||dL/dW||/||W|| of ${worst.name} ${fmt(worst.ratio)} (${hit.length} layers ${side} ${fmt(limit)})`,
      },
    ];
  });
}

/** Dead ReLU units and saturated sigmoid/tanh units pass (almost) no gradient back. */
function unitEvidence(layers: readonly LayerDiagnostics[], t: Thresholds): Evidence[] {
  const out: Evidence[] = [];
  const rules = [
    ['dead-units', 'deadFraction', t.deadFraction, 'dead'],
    ['saturation', 'saturation', t.saturatedFraction, 'saturated'],
  ] as const;
  for (const [source, field, limit, word] of rules) {
    const hit = layers.filter((l) => l[field] !== null && (l[field] as number) >= limit);
    if (hit.length === 0) continue;
    const worst = hit.reduce((a, b) => ((b[field] as number) > (a[field] as number) ? b : a));
    const share = formatPercent(worst[field], { decimals: 0 });
    out.push({
      verdict: 'vanishing',
      source,
      layer: worst.name,
      value: worst[field] as number,
      summary: `${share} of ${worst.name}'s units ${word} (${hit.length} layers at ${formatPercent(limit, { decimals: 0 })} or more)`,
    });
  }
  return out;
}

/** The verdict points a run tracks for first problems and verdict-change events. */
const SOURCE_POINTS: readonly [Evidence['source'], string][] = [
  ['backward-signal', 'signal'],
  ['forward-activations', 'activations'],
  ['grad-to-weight', 'grad/weight'],
  ['dead-units', 'dead units'],
  ['saturation', 'saturation'],
];

/**
 * Every point a step judged, with its verdict and the evidence behind it: each layer's weight
 * gradient, then (on full steps, where they are measured) the signal, the activations, the
 * gradient/weight ratios and the units, then a non-finite loss. A source that a step did not
 * measure is absent, so a norms-only step never reads as "back to healthy".
 */
export function verdictPoints(d: StepDiagnostics): [string, Verdict, Evidence | null][] {
  const find = (source: Evidence['source'], verdict: Verdict) =>
    d.evidence.find((e) => e.source === source && e.verdict === verdict) ?? null;
  const points: [string, Verdict, Evidence | null][] = d.layers.map((l) => [
    l.name,
    l.verdict,
    find('weight-gradient', l.verdict),
  ]);
  if (d.full) {
    for (const [source, point] of SOURCE_POINTS) {
      if (source === 'backward-signal' && !d.signal) continue;
      const found = d.evidence.find((e) => e.source === source) ?? null;
      points.push([point, found?.verdict ?? 'healthy', found]);
    }
  }
  const loss = d.evidence.find((e) => e.source === 'loss') ?? null;
  if (loss) points.push(['loss', loss.verdict, loss]);
  return points;
}
