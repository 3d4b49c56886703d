import type { StudyVerification } from '@gradlab/experiments';
import { paint } from './style.js';
import { fitLine } from './width.js';

/** PASS, FAIL or CANCELLED, the word a study's result is printed with. */
export function resultWord(v: Pick<StudyVerification, 'pass' | 'status'>): string {
  if (v.status === 'cancelled') return 'CANCELLED';
  return v.pass ? 'PASS' : 'FAIL';
}

function paintResult(color: boolean, word: string): string {
  return paint(color, word === 'PASS' ? 'green' : word === 'FAIL' ? 'red' : 'yellow', word);
}

/** "3.2 s", "4 min 05 s": a person reads the total of a long verification in minutes. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${String(Math.round(seconds - 60 * m)).padStart(2, '0')} s`;
}

/** A claim written as a sentence loses its full stop where the line goes on after a colon. */
export function claimLead(claim: string): string {
  return claim.replace(/\.\s*$/, '');
}

/**
 * What `gradlab verify` prints for one study: a header (name, title, reference), one line per
 * check (PASS/FAIL, the claim, measured against expected), why the study stopped if it did,
 * and its result. Within `width` columns (null: one line each), each wrapped under its own
 * indent, so that PASS and FAIL still stand out at the left.
 */
export function verificationLines(
  v: StudyVerification,
  color: boolean,
  width: number | null = null,
): string[] {
  const lines = [
    fitLine(`${paint(color, 'bold', v.name)}: ${v.title}`, width, '  '),
    fitLine(`  ${paint(color, 'dim', v.reference)}`, width, '  '),
  ];
  // Under the claim, past "  PASS  ".
  const check = (text: string) => lines.push(fitLine(text, width, ' '.repeat(8)));
  for (const c of v.checks) {
    const word = c.pass ? 'PASS' : 'FAIL';
    check(
      `  ${paintResult(color, word)}  ${claimLead(c.claim)}: measured ${c.measured}; expected ${c.expected}`,
    );
  }
  if (v.error && v.status !== 'cancelled') {
    check(`  ${paintResult(color, 'FAIL')}  the study did not finish: ${v.error}`);
  }
  const passed = v.checks.filter((c) => c.pass).length;
  const word = paintResult(color, resultWord(v));
  lines.push(
    fitLine(
      v.status === 'cancelled'
        ? `  => ${word} after ${duration(v.seconds)}: what it had done is kept`
        : `  => ${word}: ${passed} of ${v.checks.length} checks passed in ${duration(v.seconds)}`,
      width,
      '     ',
    ),
  );
  return lines;
}
