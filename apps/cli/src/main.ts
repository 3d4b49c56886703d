import { GradlabError } from '@gradlab/core';
import { Command, InvalidArgumentError, Option } from 'commander';
import { BACKEND_CHOICES } from './backend-names.js';
import { registerKnownBackends } from './backends.js';
import { deprecatedOption } from './deprecated-option.js';
import { EXIT, reportError } from './errors.js';
import { integerIn } from './options.js';
import { checkOutPath } from './out-path.js';
import { fitHelp } from './render/help-width.js';
import { printable } from './render/printable.js';
import { showFullWidth } from './render/width.js';
import { CELL_LIMIT } from './sweep-limits.js';
import { CLI_VERSION } from './version.js';

// Each command's module (and what it pulls in: Vega, BullMQ, the studies...) loads only when
// that command runs, so `gradlab --help` and light commands start fast, and `gradlab sweep`'s
// process (which waits on its workers) carries only what it needs.
const commands = {
  backends: () => import('./commands/backends.js'),
  bench: () => import('./commands/bench.js'),
  compare: () => import('./commands/compare.js'),
  export: () => import('./commands/export.js'),
  mitigations: () => import('./commands/mitigations.js'),
  presets: () => import('./commands/presets.js'),
  report: () => import('./commands/report.js'),
  run: () => import('./commands/run.js'),
  runsClean: () => import('./commands/runs-clean.js'),
  sweep: () => import('./commands/sweep.js'),
  theory: () => import('./commands/theory.js'),
  verify: () => import('./commands/verify.js'),
  worker: () => import('./commands/worker.js'),
};

/** The commands whose --json output `gradlab schema --json-of` describes. */
const SCHEMA_OF = ['run'] as const;

/**
 * The commands that print tables (and verify, whose result lines wrap). On a narrow terminal
 * their tables shorten headings, then drop columns in the order docs/terminal-width.md gives;
 * --wide shows them all.
 */
const TABLE_COMMANDS = [
  'run',
  'compare',
  'sweep',
  'verify',
  'bench',
  'backends',
  'presets',
  'mitigations',
];

function program(setExit: (code: number) => void): Command {
  const cli = new Command('gradlab')
    .description('Measure, layer by layer, how the gradient travels back through a deep network.')
    .version(CLI_VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      outputError: (s, write) => write(`gradlab: ${printable(s.replace(/^error: /, ''))}`),
      writeOut: (s) => process.stdout.write(fitHelp(s)),
    })
    .addHelpText(
      'after',
      `
Exit codes: 0 done (whatever the verdict), 1 an unexpected failure (a bug), a record that
could not be written (disk full, read-only: what was written is kept), or, for verify, a
failed check, for sweep, a failed cell or its queue gone, 2 bad input (nothing was written),
128 + the signal when stopped by one (the run is kept, marked cancelled): 130 Ctrl-C
(SIGINT), 143 SIGTERM, 129 SIGHUP.`,
    );

  // Every --out is checked before the command loads its input or trains: a path that cannot
  // be written must fail in a second with a message, not after the work with a stack trace.
  cli.hook('preAction', async (_cli, action) => {
    if (action.opts().wide === true) showFullWidth();
    const out: unknown = action.opts().out;
    if (typeof out === 'string') {
      await checkOutPath(out, action.name() === 'report' ? 'file' : 'directory');
    }
  });

  cli
    .command('run')
    .description('run an experiment and print the per-layer gradient table')
    .argument('<spec>', 'a preset name (see `gradlab presets`) or a spec .json file')
    .addOption(
      new Option('-b, --backend <name>', `compute backend: ${BACKEND_CHOICES}`).default('auto'),
    )
    .option('--steps <n>', 'training steps (overrides the spec)', integerIn(1, 1_000_000))
    .option(
      '--seed <s>',
      'seed for data and initial weights (overrides the spec)',
      integerIn(0, 2 ** 32 - 1),
    )
    .option(
      '--every <n>',
      'full diagnostics every n steps (overrides the spec)',
      integerIn(1, 1_000_000),
    )
    .option('-o, --out <dir>', 'run directory to write (default runs/<time>-<name>-<backend>)')
    .option('--json', 'print the run result as JSON on stdout, no progress')
    .option('-q, --quiet', 'print only the verdict and where the run was written')
    .addHelpText(
      'after',
      `
Examples:
  $ gradlab run reference                      the reference workload on the best backend
  $ gradlab run reference-sigmoid --steps 5    its bad twin: watch the gradient vanish
  $ gradlab presets tiny > my.json && gradlab run my.json --backend cpu --seed 7`,
    )
    .action(async (spec: string, opts) =>
      setExit(await (await commands.run()).runCommand(spec, opts)),
    );

  const runs = cli
    .command('runs')
    .description('look after a runs directory: the partial runs that killed processes left');
  runs
    .command('clean')
    .description(
      'remove the partial runs whose process is gone; keep (or --finish) those that hold a finished run',
    )
    .option('--runs-dir <dir>', 'the runs directory', 'runs')
    .option('--older-than <age>', 'only partials unchanged for this long: 30m, 2h, 7d')
    .option('--dry-run', 'say what would be done, do nothing')
    .option(
      '--finish',
      'complete the partials that hold a finished run into their run directory (run.json rebuilt from the metrics if it was lost, marked recovered)',
    )
    .addHelpText(
      'after',
      `
A run is written into .NAME.partial-xxxxxxxx beside its directory and renamed into place when
it ends. A process killed with kill -9, or a disk that filled up at the end, leaves the partial
behind. A partial whose process still runs, or that was written from another machine, is never
touched. See docs/recovery.md.

Examples:
  $ gradlab runs clean --dry-run
  $ gradlab runs clean --finish
  $ gradlab runs clean --runs-dir runs/compare-deep --older-than 1d`,
    )
    .action(async (opts) => setExit(await (await commands.runsClean()).runsCleanCommand(opts)));

  cli
    .command('compare')
    .description(
      'compare mitigations (--with, on one backend) or backends (--backends) from the same seed',
    )
    .argument('<spec>', 'a preset name (see `gradlab presets`) or a spec .json file')
    .option(
      '-w, --with <variants>',
      'comma-separated variants, each mitigations joined with "+" (see `gradlab mitigations`), e.g. relu+he-init,batchnorm,residual,clip-global-norm:1',
    )
    .addOption(
      new Option(
        '-b, --backend <name>',
        `with --with: the compute backend: ${BACKEND_CHOICES}`,
      ).default('auto'),
    )
    .option(
      '--backends <names>',
      'comma-separated backends to compare (default when --with is absent: every known one)',
    )
    .option('--steps <n>', 'training steps (overrides the spec)', integerIn(1, 1_000_000))
    .option(
      '--seed <s>',
      'seed for data and initial weights (overrides the spec)',
      integerIn(0, 2 ** 32 - 1),
    )
    .option('-o, --out <dir>', 'directory for all the runs (default runs/<time>-compare-<name>)')
    .option('--json', 'print the comparison as JSON on stdout')
    .option('-q, --quiet', 'no progress on stderr, only the table')
    .addHelpText(
      'after',
      `
Examples:
  $ gradlab compare deep-sigmoid --with relu+he-init,batchnorm,residual
  $ gradlab compare tiny --backends cpu,wasm,webgpu`,
    )
    .action(async (spec: string, opts) =>
      setExit(await (await commands.compare()).compareCommand(spec, opts)),
    );

  cli
    .command('sweep')
    .description(
      'run a grid of experiments (spec fields x mitigations x seeds x backends) in parallel, resumable',
    )
    .argument(
      '<sweep>',
      'a sweep .json file (see docs/sweeps.md), or a named sweep: depth-x-init, phase-tanh, mitigations-x-depth',
    )
    .option(
      '-w, --workers <n>',
      'worker processes, each running one cell at a time (default: one per core)',
      integerIn(1, 1024),
    )
    .option(
      '-o, --out <dir>',
      'the sweep directory (default runs/sweep-<name>); run the same command again to resume it',
    )
    .option('--retry-failed', 'run the cells that failed before again')
    .option(
      '--fast',
      "a named sweep's fast variant (fewer cells or steps, its own directory): phase-tanh",
    )
    .option(
      '--queue <redis-url>',
      'run the cells on `gradlab worker`s anywhere, through Redis (redis://HOST:PORT), instead of local processes',
    )
    .option('-y, --yes', `run a sweep of more than ${CELL_LIMIT} cells`)
    .option('--json', 'JSON Lines on stdout: the plan, one line per finished cell, the summary')
    .option('-q, --quiet', 'no progress on stderr, only the summary')
    .addHelpText(
      'after',
      `
Each cell runs in a worker process and writes an ordinary run record to <out>/cells/<id>/;
<out>/sweep.json has one entry per cell (params, status, verdict, final loss, accuracy, the
per-layer summary, its record). Running the command again skips the cells that are done.
With --queue the cells go to Redis and \`gradlab worker\`s on any machines run them; this
command still writes every record, and Ctrl-C stops only the collecting (the cells stay queued).
Exit code: 0 every cell done, 1 a cell failed (or the queue's Redis went away: run again to go
on), 2 bad input (nothing run), 130 Ctrl-C (143 SIGTERM, 129 SIGHUP).

Examples:
  $ gradlab sweep depth-x-init                     16 cells of the tiny network on wasm
  $ gradlab sweep phase-tanh --fast --workers 2    the tanh phase diagram, laptop scale
  $ gradlab sweep my-sweep.json --workers 4 --out runs/depth
  $ gradlab sweep my-sweep.json --retry-failed     resume, and retry the failed cells
  $ gradlab sweep my-sweep.json --queue redis://10.0.0.5:6379   on the workers of that queue`,
    )
    .action(async (file: string, opts) =>
      setExit(await (await commands.sweep()).sweepCommand(file, opts)),
    );

  cli
    .command('worker')
    .description('run the cells of `gradlab sweep --queue` sweeps, from Redis, on this machine')
    .requiredOption('--queue <redis-url>', 'the queue: redis://HOST:PORT (rediss:// for TLS)')
    .option(
      '-c, --concurrency <n>',
      'cells at a time, each in its own process (default: one per core)',
      integerIn(1, 1024),
    )
    .option(
      '-b, --backend <name>',
      'take only the cells of this backend (default: every backend available here, and auto)',
    )
    .option(
      '--stalled-after <seconds>',
      'how long a worker that died keeps its cells before other workers take them (default 30)',
      integerIn(2, 86_400),
    )
    .option('-q, --quiet', 'no line per cell: only start, stop and problems')
    .addHelpText(
      'after',
      `
Start any number of workers, on any machines that reach the Redis server; they need no shared
filesystem: each cell's record goes back through Redis and \`gradlab sweep --queue\` writes it.
Cells are queued by backend, and a worker takes those of the backends it serves. A worker that
dies (kill -9, a lost machine) loses its cells to the others after --stalled-after seconds;
each cell is recorded once. Ctrl-C or SIGTERM: finish the cells in flight, then stop; twice:
hand them back to the queue now. See docs/sweeps.md, "Across machines (Redis)".

Examples:
  $ gradlab worker --queue redis://10.0.0.5:6379
  $ gradlab worker --queue redis://10.0.0.5:6379 --concurrency 8 --backend blas
  $ gradlab worker --queue redis://:secret@redis.lab:6379/2 --backend webgpu --concurrency 1`,
    )
    .action(async (opts) => setExit(await (await commands.worker()).workerCommand(opts)));

  cli
    .command('report')
    .description(
      "write a finished run's report.html (or its gradient-flow chart as SVG), a sweep's sweep.html, or a comparison's comparison.html",
    )
    .argument(
      '<run-dir>',
      'a run directory written by `gradlab run`, a run bundle (.gradlab.json) exported by the playground, a sweep directory (sweep.json) or a comparison directory (comparison.json, from `gradlab compare`)',
    )
    .addOption(
      new Option(
        '--format <format>',
        'html: the whole report; svg: the gradient-flow chart; md: the verdict and table as Markdown; png: the report as an image (needs Chromium)',
      )
        .choices(['html', 'svg', 'md', 'png'])
        .default('html'),
    )
    .option(
      '-o, --out <file>',
      'file to write (default <run-dir>/report.html, gradient-flow.svg, report.md or report.png; beside a bundle NAME.gradlab.json: NAME.report.html, ...; <sweep-dir>/sweep.html; <comparison-dir>/comparison.html)',
    )
    .option(
      '--measure <measure>',
      "sweeps only: the one measure to draw: verdict, finalLoss, accuracy, gradientRatio or signalRatio (default: the verdict and every measure the sweep's cells have)",
    )
    .option(
      '--x <axis>',
      "sweeps only: the heatmaps' horizontal axis, as sweep.json names it (default: the varying axis with the most values)",
    )
    .option('--y <axis>', "sweeps only: the heatmaps' vertical axis (default: the next one)")
    .addHelpText(
      'after',
      `
Examples:
  $ gradlab report runs/20261123-142312-reference-wasm
  $ gradlab report runs/my-run --format md
  $ gradlab report runs/my-run --format png --out slide.png
  $ gradlab report runs/sweep-depth-x-init
  $ gradlab report runs/sweep-depth-x-init --measure gradientRatio --x model.depth --y model.init`,
    )
    .action(async (dir: string, opts) =>
      setExit(await (await commands.report()).reportCommand(dir, opts)),
    );

  cli
    .command('export')
    .description("write a finished run's metrics for other tools: TensorBoard, CSV or JSON Lines")
    .argument(
      '<run-dir>',
      'a run directory written by gradlab (or by gradlabCallback), or a run bundle',
    )
    .addOption(
      new Option(
        '--format <format>',
        'tensorboard: an events.out.tfevents file of scalars; csv, jsonl: one row per step per layer',
      )
        .choices(['tensorboard', 'csv', 'jsonl'])
        .makeOptionMandatory(),
    )
    .requiredOption('-o, --out <dir>', 'a new or empty directory to write into')
    .addHelpText(
      'after',
      `
Examples:
  $ gradlab export runs/my-run --format tensorboard --out tb/my-run && tensorboard --logdir tb
  $ gradlab export runs/my-run --format csv --out exports/my-run`,
    )
    .action(async (dir: string, opts) =>
      setExit(await (await commands.export()).exportCommand(dir, opts)),
    );

  cli
    .command('mitigations')
    .description('list the mitigations that compare --with and specs can apply')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ gradlab mitigations
  $ gradlab compare deep-sigmoid --with relu+he-init,batchnorm`,
    )
    .action(async (opts) => setExit(await (await commands.mitigations()).mitigationsCommand(opts)));

  cli
    .command('backends')
    .description('list the known backends, whether each is available here, and why not')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ gradlab backends
  $ gradlab run tiny --backend webgpu`,
    )
    .action(async (opts) => setExit(await (await commands.backends()).backendsCommand(opts)));

  cli
    .command('presets')
    .description(
      "list the preset experiments and the studies verify checks, or print one preset's spec or describe one study",
    )
    .argument(
      '[name]',
      'a preset: print it as a spec to copy and edit; a study: its reference, claim and settings',
    )
    .option(
      '--json',
      'print the catalogue as JSON, {"presets": [...], "studies": [...]} (or the named study)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ gradlab presets
  $ gradlab presets tiny > my.json
  $ gradlab presets rosenbrock`,
    )
    .action(async (name: string | undefined, opts) =>
      setExit(await (await commands.presets()).presetsCommand(name, opts)),
    );

  cli
    .command('verify')
    .description(
      'reproduce published results about vanishing and exploding gradients and check them',
    )
    .argument('<study>', 'a study (see `gradlab presets`), or "all" for the whole catalogue')
    .addOption(
      new Option('-b, --backend <name>', `compute backend: ${BACKEND_CHOICES}`).default('auto'),
    )
    .option('--fast', "each study's fast settings (fewer steps or seeds), as CI runs them")
    .option(
      '-o, --out <dir>',
      'directory to write (default runs/<time>-verify-<study>); an earlier verify there is resumed',
    )
    .option(
      '-w, --workers <n>',
      'worker processes for the training runs (default: one per core)',
      integerIn(1, 1024),
    )
    .option(
      '--queue <redis-url>',
      'train on `gradlab worker`s anywhere, through Redis (redis://HOST:PORT)',
    )
    .option('--retry-failed', 'train again the runs that failed in the verify being resumed')
    .option('--json', 'print the verification as JSON on stdout, no progress')
    .option('-q, --quiet', 'no progress on stderr, only the results')
    .addHelpText(
      'after',
      `
Each study prints one line per check: PASS or FAIL, the claim, what was measured and what
the paper or theory predicts. The directory holds, per study, verify.json, report.html and
runs/, a sweep directory with the record of every training run; with "all", verify.json and
index.html at the top too. The studies' runs train first, all in one queue on the workers;
each study is then judged from the records, so a verify run again with the same --out
trains only what is missing and judges anew.
Exit code: 0 when every check passed, 1 when one failed, 2 bad input, 130 cancelled (143
SIGTERM, 129 SIGHUP).

Examples:
  $ gradlab verify all                   the whole catalogue (under 20 minutes with wasm)
  $ gradlab verify all --workers 2 --out runs/verify   run again to resume
  $ gradlab verify rosenbrock --fast
  $ gradlab verify deep-linear --backend cpu --json > deep-linear.json`,
    )
    .action(async (study: string, opts) =>
      setExit(await (await commands.verify()).verifyCommand(study, opts)),
    );

  cli
    .command('bench')
    .description('time the reference workload on each available backend, bare and with diagnostics')
    .option('--backends <names>', 'comma-separated backends (default: every available one)')
    // One vocabulary: --backend takes one backend, --backends a list; the old spelling works.
    .addOption(deprecatedOption('-b, --backend <names>', '--backends'))
    .option('--preset <name>', 'workload to time', 'reference')
    .option('--steps <n>', 'timed steps per mode and round', integerIn(1, 10_000), 8)
    .option('--rounds <n>', 'rounds (modes are interleaved in each)', integerIn(1, 100), 2)
    .option(
      '--threads <n>',
      'threads for OpenBLAS (the blas backend, via OPENBLAS_NUM_THREADS) and for PyTorch (default: every core)',
      integerIn(1, 1024),
    )
    .option(
      '--depth <n>',
      "dense layers, the output layer included (overrides an MLP preset's model.depth)",
      integerIn(1, 1000),
    )
    .option(
      '--width <n>',
      "units of every hidden layer (overrides an MLP preset's model.width)",
      integerIn(1, 8192),
    )
    .option('--batch <n>', "training batch size (overrides the preset's)", integerIn(1, 65_536))
    .addOption(
      new Option(
        '--vs <engine>',
        "also time the same workload in PyTorch, in rounds interleaved with gradlab's, and print each mode's ratio to it (needs a python that imports torch; GRADLAB_PYTHON picks one)",
      ).choices(['pytorch']),
    )
    .addOption(
      new Option(
        '--sweep <sweep>',
        'time a whole `gradlab sweep` (a file or a named sweep) with each --workers count instead, rounds interleaved, and print the speed-up',
      ).conflicts(['backends', 'backend', 'vs', 'depth', 'width', 'batch', 'threads', 'steps']),
    )
    .option(
      '--workers <counts>',
      'with --sweep: worker counts to compare, comma-separated (default: 1 and one per core)',
    )
    .option('--json', 'print as JSON')
    .option('-q, --quiet', 'no progress on stderr, only the table')
    .addHelpText(
      'after',
      `
Examples:
  $ gradlab bench
  $ gradlab bench --sweep depth-x-init --workers 1,2 --rounds 3
  $ gradlab bench --backends wasm --rounds 5 --steps 10
  $ gradlab bench --backends blas,wasm --vs pytorch --threads 1
  $ gradlab bench --backends blas --vs pytorch --width 1024 --json`,
    )
    .action(async (opts) => {
      if (opts.workers !== undefined && opts.sweep === undefined) {
        throw new GradlabError(
          'INVALID_ARGUMENT',
          '--workers: only with --sweep (it sets the worker counts a sweep is timed with)',
        );
      }
      const backend: string | undefined = opts.backends ?? opts.backend;
      setExit(
        opts.sweep === undefined
          ? await (await commands.bench()).benchCommand({ ...opts, backend })
          : await (await import('./commands/bench-sweep.js')).benchSweepCommand(opts),
      );
    });

  cli
    .command('theory')
    .description(
      'what mean-field theory predicts for a deep network: chi_1, the phase, depth scales, the critical line',
    )
    .argument(
      '<activation>',
      'linear, sigmoid, tanh, relu, leaky-relu, prelu, elu, selu, gelu or erf',
    )
    .option('--sw2 <x>', "weight variance sigma_w^2 (fan-in times the weights' variance)")
    .option('--sb2 <y>', 'bias variance sigma_b^2 (default 0)')
    .option('--critical', 'solve for the sw2 on the order-to-chaos critical line at --sb2')
    .option(
      '--depth <d>',
      'layers for the predicted gradient ratio chi_1^depth',
      integerIn(0, 100_000),
      20,
    )
    .option('--json', 'print as JSON (Infinity and NaN as null)')
    .addHelpText(
      'after',
      `
Examples:
  $ gradlab theory relu --sw2 2                 He initialisation: critical
  $ gradlab theory tanh --sw2 1.5 --sb2 0.05 --depth 50
  $ gradlab theory tanh --critical --sb2 0.05   where the critical line is`,
    )
    .action(async (activation: string, opts) =>
      setExit(await (await commands.theory()).theoryCommand(activation, opts)),
    );

  cli
    .command('schema')
    .description(
      'print a JSON Schema: of experiment specs (for editors), of sweep files, or of `run --json` output',
    )
    .addOption(
      new Option(
        '--json-of <command>',
        'the schema of what this command prints with --json, instead of specs',
      ).choices(SCHEMA_OF),
    )
    // Was --output: a name that read as --out's, which everywhere else is a path to write.
    .addOption(
      deprecatedOption('--output <command>', '--json-of', (v) => {
        if (!(SCHEMA_OF as readonly string[]).includes(v)) {
          throw new InvalidArgumentError(`Allowed choices are ${SCHEMA_OF.join(', ')}.`);
        }
        return v;
      }),
    )
    .addOption(
      new Option('--sweep', 'the schema of sweep files instead of specs').conflicts([
        'jsonOf',
        'output',
      ]),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ gradlab schema > experiment.schema.json
  $ gradlab schema --sweep > sweep.schema.json
  $ gradlab schema --json-of run`,
    )
    .action(async (opts: { jsonOf?: 'run'; output?: 'run'; sweep?: boolean }) => {
      const schema = opts.sweep
        ? (await import('@gradlab/sweep')).sweepJsonSchema()
        : (opts.jsonOf ?? opts.output) === 'run'
          ? (await import('./json-output.js')).runOutputJsonSchema()
          : (await import('@gradlab/core')).experimentJsonSchema();
      process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
      setExit(EXIT.ok);
    });
  // --wide wherever a table is printed (showFullWidth, in the preAction hook, applies it).
  for (const name of TABLE_COMMANDS) {
    cli.commands
      .find((c) => c.name() === name)
      ?.option('--wide', 'every column and unwrapped lines, however narrow the terminal');
  }
  return cli;
}

/** Runs the command line; returns the exit code instead of exiting, so it can be tested. */
export async function main(argv: readonly string[]): Promise<number> {
  await registerKnownBackends();
  let code: number = EXIT.ok;
  try {
    await program((c) => {
      code = c;
    }).parseAsync([...argv]);
  } catch (e) {
    return reportError(e, process.stderr);
  }
  return code;
}
