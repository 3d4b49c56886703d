/**
 * What the study pages need from a verification, described here by shape: the report depends on
 * core only, and a verification from @gradlab/experiments (or one read back from verify.json,
 * where non-finite numbers have become null) fits these types as it is.
 */

export interface StudyCheckInput {
  readonly id: string;
  readonly claim: string;
  readonly pass: boolean;
  readonly measured: string;
  readonly expected: string;
}

export interface StudyAxisInput {
  readonly title: string;
  readonly log?: boolean;
}

export interface StudyFigurePointInput {
  readonly series: string;
  readonly x: number | string | null;
  readonly y: number | string | null;
  readonly value?: number | null;
}

/** A chart: one Vega-Lite mark ('line' | 'point' | 'heatmap' | 'bar'). */
export interface StudyFigureInput {
  readonly id: string;
  readonly title: string;
  readonly kind: 'line' | 'point' | 'heatmap' | 'bar';
  readonly x: StudyAxisInput;
  readonly y: StudyAxisInput;
  readonly value?: StudyAxisInput;
  readonly points: readonly StudyFigurePointInput[];
  /** line only: join the points in the order given, a trajectory, instead of sorting by x. */
  readonly path?: boolean;
  readonly caption?: string;
}

export interface StudyTableInput {
  readonly id: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
}

export interface StudyRunInput {
  readonly label: string;
  readonly status: string;
  readonly steps: number;
  readonly finalLoss: number | null;
  readonly evaluation: {
    readonly loss: number | null;
    readonly accuracy: number | null;
    readonly samples: number;
  } | null;
  readonly verdict: string;
  /** The run record's directory, relative to the study's page. */
  readonly record?: string;
  readonly error?: string;
}

export interface StudyReportInput {
  readonly name: string;
  readonly title: string;
  readonly reference: string;
  readonly claim: string;
  readonly scaleNote: string;
  readonly scale: string;
  readonly settings?: unknown;
  readonly backend: string | null;
  /** "complete", "error" or "cancelled". */
  readonly status?: string;
  readonly pass: boolean;
  readonly checks: readonly StudyCheckInput[];
  readonly figures: readonly StudyFigureInput[];
  readonly tables?: readonly StudyTableInput[];
  readonly runs: readonly StudyRunInput[];
  readonly startedAt?: string;
  readonly seconds: number;
  readonly error?: string;
}

/** PASS, FAIL or CANCELLED: the word a study's result is shown with. */
export function studyResultLabel(v: Pick<StudyReportInput, 'pass' | 'status'>): string {
  if (v.status === 'cancelled') return 'CANCELLED';
  return v.pass ? 'PASS' : 'FAIL';
}
