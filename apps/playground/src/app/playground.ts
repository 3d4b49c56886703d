import type { RunRecord } from '@gradlab/core';
import {
  type BackendInfo,
  type ExperimentSpec,
  isGradlabError,
  parseRunBundle,
  probeBackends,
  type RunListener,
  useBackend,
} from '@gradlab/core';
import { bestAvailable, inOrder } from '../backends/choose.js';
import { PLAYGROUND_BACKENDS } from '../backends/register.js';
import { ChartBoard } from '../charts/chart-board.js';
import { CHART_IDS, type ChartId } from '../charts/live-specs.js';
import { defaultState, type ExperimentState, effectiveSpec } from '../experiment/state.js';
import { decodeState, encodeState } from '../experiment/url-state.js';
import { browserEnvironment } from '../run/browser-environment.js';
import { createLiveRecord } from '../run/live-record.js';
import { RunController } from '../run/run-controller.js';
import { BackendPanel } from '../ui/backend-panel.js';
import { ComparePanel } from '../ui/compare-panel.js';
import { byId, isTyping } from '../ui/dom.js';
import { ExperimentForm } from '../ui/experiment-form.js';
import { LayerTable } from '../ui/layer-table.js';
import { Messages } from '../ui/messages.js';
import { MitigationPanel } from '../ui/mitigation-panel.js';
import { type PagePhase, RunBar } from '../ui/run-bar.js';
import { SharePanel } from '../ui/share-panel.js';
import { VerdictView } from '../ui/verdict-view.js';
import { linkBackends } from './link-backends.js';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The page: the experiment (form, mitigations, backends), the run (controller, live record,
 * table, verdict, charts), the comparison on a second backend, and sharing. The experiment
 * state lives here and in the URL's fragment, which follows every change.
 */
export class Playground {
  #state: ExperimentState = defaultState('cpu');
  readonly #controller = new RunController((phase) => this.#showPhase(phase));
  /** The last finished (or stopped) run: the ghost of the next one, and what Export saves. */
  #previous: RunRecord | null = null;
  #shown: RunRecord | null = null;
  #comparing = false;
  /** Gives back the room held for the run going on (see #holdPlaces); null when none is held. */
  #releasePlaces: (() => void) | null = null;

  readonly #messages = new Messages(byId('messages'));
  readonly #form = new ExperimentForm(byId('experiment-fields'), (base, preset) =>
    this.#update({ base, preset, mitigations: this.#state.mitigations }),
  );
  readonly #mitigations = new MitigationPanel(byId('mitigation-toggles'), (mitigations) =>
    this.#update({ mitigations }),
  );
  readonly #backends = new BackendPanel(byId('backends'), (backend, compareWith) =>
    this.#update({ backend, compareWith }),
  );
  readonly #runBar = new RunBar(byId('run-bar'), {
    run: () => void this.run(Number.POSITIVE_INFINITY),
    pause: () => this.#controller.pause(),
    resume: () => this.#controller.resume(),
    step: () => (this.#controller.phase === 'paused' ? this.#controller.step() : void this.run(1)),
    reset: () => this.#reset(),
  });
  readonly #table = new LayerTable(byId<HTMLTableElement>('layer-table'));
  readonly #verdict = new VerdictView(byId('verdict'));
  readonly #board = new ChartBoard(
    CHART_IDS.map((id): [ChartId, HTMLElement] => [id, byId(`chart-${id}`)]),
  );
  readonly #compare = new ComparePanel(byId('compare'));
  readonly #share = new SharePanel(byId('share'), {
    importRun: (file) => void this.#import(file),
  });

  /** Probes the backends, reads the link, shows the page; resolves when it is ready. */
  async start(): Promise<void> {
    const statuses = await probeBackends();
    const order = inOrder(statuses, PLAYGROUND_BACKENDS);
    this.#backends.setStatuses(order);
    this.#state = defaultState(bestAvailable(order) ?? 'cpu');
    await this.#loadFragment();
    window.addEventListener('hashchange', () => void this.#loadFragment());
    document.addEventListener('keydown', (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (this.#runBar.key(e.key)) e.preventDefault();
    });
    let resize: ReturnType<typeof setTimeout> | undefined;
    window.addEventListener('resize', () => {
      clearTimeout(resize);
      resize = setTimeout(() => this.#redraw(), 200);
    });
    document.body.dataset.ready = 'true';
  }

  async #loadFragment(): Promise<void> {
    if (location.hash === `#${await encodeState(this.#state)}`) return;
    if (this.#busy()) {
      this.#messages.error(
        'A run is going: reset it, then open the link again to load its experiment.',
      );
      // The address goes on naming the experiment on the page, which is what a copy shares.
      this.#showLink();
      return;
    }
    const decoded = await decodeState(location.hash, PLAYGROUND_BACKENDS);
    if (decoded.kind === 'error') this.#messages.error(decoded.message);
    if (decoded.kind !== 'state') {
      this.#update({});
      return;
    }
    const { state } = decoded;
    const { backend, compareWith, refusals } = linkBackends(
      state,
      this.#state.backend,
      this.#backends,
    );
    for (const refusal of refusals) this.#messages.error(refusal);
    this.#state = { ...state, backend, compareWith };
    this.#update({});
  }

  #update(change: Partial<ExperimentState>): void {
    if (this.#busy()) return;
    this.#state = { ...this.#state, ...change };
    const s = this.#state;
    this.#form.show(s);
    this.#mitigations.show(s.base, s.mitigations);
    this.#backends.show(s.backend, s.compareWith);
    let runnable = true;
    try {
      effectiveSpec(s);
      byId('mitigation-error').hidden = true;
    } catch (e) {
      runnable = false;
      const box = byId('mitigation-error');
      box.hidden = false;
      box.textContent = messageOf(e);
    }
    this.#runBar.setRunnable(runnable);
    this.#showLink();
  }

  /** Writes the experiment into the address (the fragment) and the link to copy. */
  #showLink(): void {
    void encodeState(this.#state).then((fragment) => {
      if (location.hash !== `#${fragment}`) history.replaceState(null, '', `#${fragment}`);
      this.#share.setLink(location.href);
    });
  }

  /**
   * Keeps the verdict, the table and every chart at the height it has now while a new run
   * empties and refills them, so that nothing below them moves; the returned release gives
   * them their own height back once the run has drawn its last.
   */
  #holdPlaces(): () => void {
    this.#releasePlaces?.();
    const boxes = [byId('verdict'), byId('layer-table').closest('section') as HTMLElement];
    const held = boxes.map((box) => [box, box.style.minHeight] as const);
    for (const [box] of held) box.style.minHeight = `${box.getBoundingClientRect().height}px`;
    const releaseCharts = this.#board.hold();
    const release = () => {
      if (this.#releasePlaces !== release) return;
      this.#releasePlaces = null;
      for (const [box, before] of held) box.style.minHeight = before;
      releaseCharts();
    };
    this.#releasePlaces = release;
    return release;
  }

  #busy(): boolean {
    return (
      this.#comparing || this.#controller.phase === 'running' || this.#controller.phase === 'paused'
    );
  }

  #showPhase(phase: PagePhase): void {
    const shown = this.#comparing && phase !== 'paused' ? 'comparing' : phase;
    this.#runBar.show(shown);
    const locked = shown === 'running' || shown === 'paused' || shown === 'comparing';
    this.#form.setDisabled(locked);
    this.#mitigations.setDisabled(locked);
    this.#backends.setDisabled(locked);
  }

  #redraw(): void {
    if (this.#shown) {
      this.#board.update(
        this.#shown,
        { steps: this.#shown.spec.training.steps, ghost: this.#ghostFor(this.#shown) },
        true,
      );
    }
  }

  #ghostFor(record: RunRecord): RunRecord | null {
    return this.#previous && this.#previous !== record ? this.#previous : null;
  }

  async #activate(name: string): Promise<BackendInfo | null> {
    try {
      return (await useBackend(name)).info;
    } catch (e) {
      this.#messages.error(`The ${name} backend could not start: ${messageOf(e)}`);
      return null;
    }
  }

  /** Runs the experiment as it stands, pausing after `stepsBeforePause` steps (Step: 1). */
  async run(stepsBeforePause: number): Promise<void> {
    if (this.#busy()) return;
    let spec: ExperimentSpec;
    try {
      spec = effectiveSpec(this.#state);
    } catch (e) {
      this.#messages.error(messageOf(e));
      return;
    }
    this.#messages.clearErrors();
    const info = await this.#activate(this.#state.backend);
    if (!info) return;
    const ghost = this.#previous;
    const live = createLiveRecord(spec, info, browserEnvironment());
    const steps = spec.training.steps;
    const releasePlaces = this.#holdPlaces();
    this.#table.clear();
    this.#verdict.clear();
    this.#compare.clear();
    this.#board.clear();
    this.#share.setRecord(null);
    const where = `${info.name} (${info.device})`;
    // The page is repainted at most once a frame, however fast the steps come.
    let frame = 0;
    let latestMs = 0;
    const paint = () => {
      frame = 0;
      const { step, full } = live.latest();
      if (!step || live.finished()) return;
      this.#table.show(step, full);
      this.#verdict.live(step);
      this.#runBar.progress(
        step.step,
        steps,
        // What changes first, the backend's long name last: a narrow window cuts the end off.
        `step ${step.step} of ${steps}, ${latestMs.toFixed(1)} ms/step, on ${where}`,
      );
      this.#shown = live.view();
      this.#board.update(this.#shown, { steps, ghost });
    };
    const show: RunListener = (e) => {
      if (e.type === 'pretrain' && e.step === 1)
        this.#runBar.progress(0, steps, `pre-training ${e.layer} on ${where}`);
      if (e.type !== 'step') return;
      latestMs = e.ms;
      if (frame === 0) frame = requestAnimationFrame(paint);
    };
    this.#runBar.progress(0, steps, `starting on ${where}`);
    try {
      await this.#controller.run(spec, [live.listener, show], { stepsBeforePause });
    } catch (e) {
      this.#messages.error(`The run failed: ${isGradlabError(e) ? e.message : messageOf(e)}`);
    }
    const record = live.finished();
    if (!record) {
      releasePlaces();
      return;
    }
    this.#finish(record, ghost);
    void this.#board.settled().then(releasePlaces);
    // A count of finished runs: scripts and tests wait for it to change.
    document.body.dataset.runs = String(Number(document.body.dataset.runs ?? 0) + 1);
    const status = record.manifest.result.status;
    this.#runBar.progress(
      record.manifest.result.stepsCompleted,
      steps,
      `${status === 'complete' ? 'done' : status}: ${record.manifest.result.stepsCompleted} of ${steps} steps, ${record.manifest.result.timings.medianStepMs?.toFixed(1) ?? '-'} ms/step (median), on ${where}`,
    );
    const other = this.#state.compareWith;
    if (other && status === 'complete') await this.#compareOn(other, spec, record);
  }

  #finish(record: RunRecord, ghost: RunRecord | null): void {
    this.#shown = record;
    const { step, full } = {
      step: record.metrics.at(-1),
      full: [...record.metrics].reverse().find((m) => m.full),
    };
    if (step) this.#table.show(step, full ?? null);
    this.#verdict.final(record);
    this.#board.update(record, { steps: record.spec.training.steps, ghost }, true);
    this.#share.setRecord(record);
    if (record.metrics.length > 0) this.#previous = record;
  }

  async #compareOn(name: string, spec: ExperimentSpec, reference: RunRecord): Promise<void> {
    this.#comparing = true;
    this.#showPhase('running');
    try {
      this.#compare.waiting(reference.manifest.backend.name, name);
      const info = await this.#activate(name);
      if (!info) return;
      const live = createLiveRecord(spec, info, browserEnvironment());
      const steps = spec.training.steps;
      const progress: RunListener = (e) => {
        if (e.type === 'step')
          this.#runBar.progress(e.step, steps, `comparing: step ${e.step} of ${steps} on ${name}`);
      };
      await this.#controller.run(spec, [live.listener, progress]);
      const other = live.finished();
      if (other && other.manifest.result.status === 'complete') {
        await this.#compare.show(
          { backend: reference.manifest.backend.name, record: reference },
          { backend: name, record: other },
        );
        this.#runBar.progress(
          steps,
          steps,
          `done on ${reference.manifest.backend.name} and ${name}`,
        );
      } else {
        this.#compare.clear();
      }
      document.body.dataset.comparisons = String(
        Number(document.body.dataset.comparisons ?? 0) + 1,
      );
    } catch (e) {
      this.#messages.error(`The run on ${name} failed: ${messageOf(e)}`);
    } finally {
      this.#comparing = false;
      this.#showPhase(this.#controller.phase);
    }
  }

  #reset(): void {
    if (this.#busy()) {
      this.#controller.reset();
      return;
    }
    this.#releasePlaces?.();
    this.#table.clear();
    this.#verdict.clear();
    this.#board.clear();
    this.#compare.clear();
    this.#shown = null;
    this.#runBar.progress(0, 1, '');
    this.#showPhase('idle');
  }

  async #import(file: File): Promise<void> {
    if (this.#busy()) return;
    try {
      const record = parseRunBundle(await file.text(), file.name);
      this.#update({ base: record.spec, preset: null, mitigations: [] });
      this.#compare.clear();
      this.#finish(record, this.#previous);
      this.#runBar.progress(
        record.manifest.result.stepsCompleted,
        record.spec.training.steps,
        `imported ${file.name}: a run on ${record.manifest.backend.name}`,
      );
      this.#showPhase('finished');
    } catch (e) {
      const message = `${file.name} could not be imported: ${messageOf(e)}`;
      this.#messages.error(message);
      // Also beside the Import button, where the eyes are; the page above is left as it was.
      this.#share.say(message);
    }
  }
}
