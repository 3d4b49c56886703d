import type { FigurePoint, StudyFigure, StudyTable } from '../../study.js';
import { formatNumber, formatPercent } from '../../study-kit/format.js';
import { SIGNAL_PROFILE_AXES } from '../../study-kit/signal-profile.js';
import { tableOf } from '../../study-kit/table.js';
import { type Trained, VANISHING_RATIO } from './checks.js';
import { NET_TITLE, NETS, type ResidualNormSettings } from './settings.js';

export function figures(s: ResidualNormSettings, all: readonly Trained[]): StudyFigure[] {
  return NETS.flatMap((net): StudyFigure[] => {
    const own = all.filter((t) => t.net === net);
    const profile: FigurePoint[] = own.flatMap((t) =>
      t.signal.map((n, l) => ({ series: t.arm, x: l + 1, y: n / (t.signal.at(-1) as number) })),
    );
    const losses: FigurePoint[] = own.flatMap((t) =>
      t.run.losses.map((loss, i) => ({ series: t.arm, x: i + 1, y: loss })),
    );
    return [
      {
        id: `signal-profile-${net}`,
        title: `Backpropagated signal at step 1: ${NET_TITLE[net]} (${s.depth} layers, ${s[net].activation})`,
        ...SIGNAL_PROFILE_AXES,
        points: profile,
        caption: `Below ${formatNumber(VANISHING_RATIO)} at layer 1 is vanishing.`,
      },
      {
        id: `loss-${net}`,
        title: `Training loss: ${NET_TITLE[net]}`,
        kind: 'line',
        x: { title: 'step' },
        y: { title: 'cross-entropy' },
        points: losses,
      },
    ];
  });
}

export function tables(s: ResidualNormSettings, all: readonly Trained[]): StudyTable[] {
  return [
    tableOf('arms', 'Per net and arm', all, {
      net: (t) => NET_TITLE[t.net],
      arm: (t) => (t.arm === 'plain' ? 'plain' : s[t.arm]),
      'first/last ||dL/dh||, step 1': (t) => formatNumber(t.ratio),
      'first/last at the end': (t) => formatNumber(t.run.result.final?.signal?.ratioFirstToLast),
      'verdict at the end': (t) => t.run.result.verdict,
      'last training loss': (t) => formatNumber(t.run.losses.at(-1)),
      'accuracy (inference)': (t) => formatPercent(t.accuracy),
    }),
  ];
}
