import { mkdir, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { GradlabError, useBackend } from '@gradlab/core';
import { createRunRecorder, type RunRecorder } from '@gradlab/core/node';
import {
  findStudy,
  judgeRecordedStudy,
  runStudy,
  type Study,
  StudyCancelledError,
  type StudyVerification,
  studies,
} from '@gradlab/experiments';
import { defaultWorkers, lockSweepDir, SWEEP_LOCK } from '@gradlab/sweep';
import { EXIT } from '../errors.js';
import { studyProgress } from '../render/study-progress.js';
import { colorEnabled } from '../render/style.js';
import { duration, verificationLines } from '../render/verify-lines.js';
import { fitLine, outputWidth } from '../render/width.js';
import { onStopSignals } from '../stop-signals.js';
import { defaultOut } from './out-dir.js';
import { runStudyCells, STUDY_RUNS_DIR } from './verify-cells.js';
import { prepareVerifyDir } from './verify-dir.js';
import { type VerifySummary, writeStudyFiles, writeSummaryFiles } from './verify-files.js';

export interface VerifyOptions {
  readonly backend: string;
  readonly fast?: boolean;
  readonly out?: string;
  readonly json?: boolean;
  /** No progress on stderr: only the results. */
  readonly quiet?: boolean;
  /** Worker processes for the studies' training runs (default: one per core). */
  readonly workers?: number;
  /** Run the training runs on `gradlab worker`s through this Redis (redis://HOST:PORT). */
  readonly queue?: string;
  /** Train runs that failed in an earlier verify of the same directory again. */
  readonly retryFailed?: boolean;
}

/** Names the files of a study's directory take; a run record never takes one of them. */
const RESERVED = new Set(['verify.json', 'report.html', 'index.html', STUDY_RUNS_DIR, SWEEP_LOCK]);

/** A directory name for a run label: readable, safe on every OS, unique within the study. */
export function runDirName(label: string, taken: ReadonlySet<string>): string {
  const base = label.replace(/[^A-Za-z0-9+._-]/g, '_').replace(/^\.+/, '_') || 'run';
  let name = base;
  for (let i = 2; taken.has(name) || RESERVED.has(name); i++) name = `${base}-${i}`;
  return name;
}

/**
 * `gradlab verify <study|all>`: runs each study on one backend and judges its checks. Every input
 * (the study, the backend, the output directory) is checked before anything is written. Each
 * study's directory holds verify.json, report.html and its training runs' records; `all` adds
 * verify.json and index.html at the top. Exit code 0 when every check passed, 1 when one failed
 * (or a study broke), 128 + the signal when cancelled, 130 for Ctrl-C (what was written is kept,
 * marked cancelled).
 */
export async function verifyCommand(
  target: string,
  o: VerifyOptions,
  // biome-ignore lint/suspicious/noExplicitAny: each study has its own settings type
  catalogue: readonly Study<any>[] = studies,
): Promise<number> {
  const all = target === 'all';
  const selected = all ? catalogue : [findStudy(target, catalogue)];
  if (selected.length === 0) {
    throw new GradlabError('UNKNOWN_PRESET', 'the study catalogue is empty: nothing to verify');
  }
  // A queue URL that cannot be right is refused before anything is written (BullMQ and ioredis
  // load only for a verify on a queue).
  if (o.queue) (await import('@gradlab/sweep/queue')).parseRedisUrl(o.queue);
  const selection = await useBackend(o.backend);
  const out = await prepareVerifyDir(o.out ?? defaultOut(`verify-${target}`), target);
  const lock = await lockSweepDir(out);
  try {
    return await verifyInto(out, target, selected, o, selection);
  } finally {
    await lock.release();
  }
}

async function verifyInto(
  out: string,
  target: string,
  // biome-ignore lint/suspicious/noExplicitAny: each study has its own settings type
  selected: readonly Study<any>[],
  o: VerifyOptions,
  selection: Awaited<ReturnType<typeof useBackend>>,
): Promise<number> {
  const all = target === 'all';
  const backend = selection.info;
  const scale = o.fast ? 'fast' : 'full';
  const chatty = !o.json && !o.quiet;
  const stderr = chatty ? process.stderr : null;
  const color = colorEnabled(process.stdout);
  // Results on stdout and notes on stderr, each wrapped to its own stream's width.
  const width = outputWidth(process.stdout);
  const print = (s = '') => {
    if (!o.json) process.stdout.write(`${s}\n`);
  };
  const note = (s: string) =>
    process.stderr.write(`${fitLine(s, outputWidth(process.stderr), '    ')}\n`);
  if (chatty) {
    note(`gradlab: verify ${target} (${scale}) on ${backend.name} (${backend.device})`);
    for (const s of selection.skipped) note(`  skipped ${s.name}: ${s.reason}`);
  }

  const abort = new AbortController();
  const stop = onStopSignals(() => abort.abort());
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const verifications: StudyVerification[] = [];
  const dirOf = (study: { name: string }) => (all ? join(out, study.name) : out);
  try {
    // The planned studies' training runs first, all of them in one queue on the workers;
    // then each study is judged from its records, in catalogue order.
    const cells = await runStudyCells(
      selected.filter((s) => s.plan),
      {
        scale,
        backend: backend.name,
        dirOf,
        workers: o.workers ?? defaultWorkers(),
        ...(o.queue ? { queue: o.queue } : {}),
        retryFailed: Boolean(o.retryFailed),
        signal: abort.signal,
        stderr,
      },
    );
    for (const [i, study] of selected.entries()) {
      // Stopped while the runs trained: each planned study is still judged, as cancelled,
      // so that its directory says so; the studies that train in process are not started.
      if (abort.signal.aborted && !study.plan) break;
      const dir = dirOf(study);
      await mkdir(dir, { recursive: true });
      const bar = studyProgress(stderr, study.name, i, selected.length);
      const recorders: RunRecorder[] = [];
      const dirs = new Map<string, string>();
      // A directory verified before keeps its records: new ones take other names.
      const taken = new Set(await readdir(dir));
      let v: StudyVerification;
      try {
        v = study.plan
          ? await judgeRecordedStudy(study, {
              scale,
              runs: cells.recorded.get(study.name) ?? [],
              backend: backend.name,
              startedAt,
              seconds: cells.seconds.get(study.name) ?? 0,
              signal: abort.signal,
              progress: bar.progress,
            })
          : await runStudy(study, {
              scale,
              signal: abort.signal,
              progress: bar.progress,
              listenersFor: async (label, spec) => {
                const name = runDirName(label, taken);
                taken.add(name);
                dirs.set(label, name);
                const recorder = await createRunRecorder(join(dir, name), spec, backend);
                recorders.push(recorder);
                return [recorder.listener, bar.runListener(label, spec.training.steps)];
              },
              recordOf: (label) => dirs.get(label),
            });
      } catch (e) {
        if (!(e instanceof StudyCancelledError)) throw e;
        v = e.verification;
      } finally {
        bar.stop();
        // A run that never reached its end (its study threw first) leaves no staging directory.
        for (const r of recorders) await r.abandon();
      }
      await writeStudyFiles(dir, v);
      verifications.push(v);
      if (!o.json) {
        print(verificationLines(v, color, width).join('\n'));
        if (all) print(`  written to ${relative(process.cwd(), dir) || '.'}`);
        print();
      }
    }
  } finally {
    stop.dispose();
  }

  const cancelled = abort.signal.aborted;
  const passed = verifications.filter((v) => v.pass).length;
  const summary: VerifySummary = {
    gradlab: 1,
    kind: 'verify',
    target,
    scale,
    backend: { name: backend.name, device: backend.device },
    status: cancelled ? 'cancelled' : 'complete',
    pass: !cancelled && passed === selected.length,
    passed,
    failed: verifications.length - passed,
    notRun: selected.slice(verifications.length).map((s) => s.name),
    startedAt,
    seconds: (performance.now() - t0) / 1000,
    out,
    studies: verifications,
  };
  if (all) await writeSummaryFiles(out, summary);

  if (o.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    const checks = verifications.flatMap((v) => v.checks);
    const tally = `${passed} of ${selected.length} ${selected.length === 1 ? 'study' : 'studies'} passed (${checks.filter((c) => c.pass).length} of ${checks.length} checks) in ${duration(summary.seconds)} on ${backend.name}, ${scale} scale`;
    print(
      fitLine(`${cancelled ? `cancelled: ${summary.notRun.length} not run; ` : ''}${tally}`, width),
    );
    print(`written to ${out}`);
    print(`report: ${join(out, all ? 'index.html' : 'report.html')}`);
  }
  if (cancelled) return stop.exitCode;
  return summary.pass ? EXIT.ok : EXIT.failure;
}
