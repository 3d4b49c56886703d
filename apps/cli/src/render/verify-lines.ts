import type { StudyVerification } from '@gradlab/experiments';
import { paint } from './style.js';

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
 * and its result.
 */
export function verificationLines(v: StudyVerification, color: boolean): string[] {
  const lines = [
    `${paint(color, 'bold', v.name)}: ${v.title}`,
    `  ${paint(color, 'dim', v.reference)}`,
  ];
  for (const c of v.checks) {
    const word = c.pass ? 'PASS' : 'FAIL';
    lines.push(
      `  ${paintResult(color, word)}  ${claimLead(c.claim)}: measured ${c.measured}; expected ${c.expected}`,
    );
  }
  if (v.error && v.status !== 'cancelled') {
    lines.push(`  ${paintResult(color, 'FAIL')}  the study did not finish: ${v.error}`);
  }
  const passed = v.checks.filter((c) => c.pass).length;
  const word = paintResult(color, resultWord(v));
  lines.push(
    v.status === 'cancelled'
      ? `  => ${word} after ${duration(v.seconds)}: what it had done is kept`
      : `  => ${word}: ${passed} of ${v.checks.length} checks passed in ${duration(v.seconds)}`,
  );
  return lines;
}
