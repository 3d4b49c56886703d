import '@tensorflow/tfjs-backend-cpu';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunBundle, runExperiment, type StepDiagnostics } from '@gradlab/core';
import { readRunRecord } from '@gradlab/core/node';
import { presetSpec } from '@gradlab/experiments';
import { renderRunReport } from '@gradlab/report';
import * as tf from '@tensorflow/tfjs-core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compressToUrl } from './experiment/compress.js';
import {
  buildSite,
  chartsDrawn,
  chromiumPath,
  launchChromium,
  layerRows,
  openPlayground,
  resultsDir,
  runAndWait,
  serveSite,
} from './test-browser.js';

/**
 * The playground in a real browser: Debian's Chromium, headless, with SwiftShader standing in
 * for the GPU (WebGL, and WebGPU through --enable-unsafe-webgpu). CI installs Chromium
 * (.ci/run); without it these tests are skipped, and say so.
 */
const chromium = chromiumPath();
if (!chromium) {
  console.warn(
    'e2e.test.ts: skipping the browser tests: no Chromium found (apt-get install chromium, or set GRADLAB_CHROMIUM)',
  );
}

/** The reference small preset: `tiny`, a 4-layer tanh MLP, 20 steps (seconds on every backend). */
const REFERENCE = 'tiny';
const TOLERANCE = 1e-4;

let site: Awaited<ReturnType<typeof buildSite>>;
let server: Awaited<ReturnType<typeof serveSite>>;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
/** The CPU oracle, in Node: every step's per-layer gradient norms for the reference preset. */
const oracle: StepDiagnostics[] = [];

const relDiff = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));
const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(resultsDir, `${name}.png`), fullPage: true });

describe.skipIf(!chromium)('the playground in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(resultsDir, { recursive: true });
    await tf.setBackend('cpu');
    const tensors = tf.memory().numTensors;
    await runExperiment(presetSpec(REFERENCE), {
      listeners: [(e) => void (e.type === 'step' && e.diagnostics && oracle.push(e.diagnostics))],
    });
    expect(tf.memory().numTensors).toBe(tensors);
    site = await buildSite();
    server = await serveSite(site.dir);
    browser = await launchChromium(chromium as string);
    context = browser.context;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await site?.dispose();
  });

  describe.each(['cpu', 'wasm', 'webgl', 'webgpu'])('on %s', (backend) => {
    test('runs the reference preset and shows per-layer gradient norms that agree with the CPU backend', async () => {
      const { page, errors } = await openPlayground(
        context,
        server.url,
        `#preset=${REFERENCE}&backend=${backend}`,
      );
      const note = await page.textContent(`[data-backend="${backend}"] .backend-note`);
      expect(
        await page.isEnabled(`#backend-${backend}`),
        `${backend} is unavailable: ${note}`,
      ).toBe(true);
      expect(await page.isChecked(`#backend-${backend}`)).toBe(true);
      const statusHeight = () => page.$eval('.run-status', (e) => e.getBoundingClientRect().height);
      const idleStatusHeight = await statusHeight();
      await runAndWait(page);
      expect(await page.textContent('.run-status')).toMatch(
        new RegExp(`^done: 20 of 20 steps, [\\d.]+ ms/step \\(median\\), on ${backend} `),
      );
      // A long device name (WebGL's, WebGPU's) must not wrap the status onto a second line.
      expect(await statusHeight()).toBe(idleStatusHeight);

      // The table shows the last step; it must agree with the CPU backend run in Node.
      const last = oracle[oracle.length - 1] as StepDiagnostics;
      expect(await page.getAttribute('#layer-table', 'data-step')).toBe(String(last.step));
      const rows = await layerRows(page);
      expect(rows.map((r) => r.layer)).toEqual(last.layers.map((l) => l.name));
      rows.forEach((r, i) => {
        const ref = last.layers[i]?.gradNorm as number;
        expect(relDiff(r.gradNorm, ref), `${r.layer}: ${r.gradNorm} vs ${ref}`).toBeLessThan(
          TOLERANCE,
        );
        expect(r.verdict).toBe(last.layers[i]?.verdict);
      });
      expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('healthy');

      // The exported run holds every step: all of them agree too, and `gradlab report` reads it.
      const download = page.waitForEvent('download');
      await page.click('[data-action="export"]');
      const file = join(resultsDir, `${REFERENCE}-${backend}.gradlab.json`);
      await (await download).saveAs(file);
      const record = parseRunBundle(readFileSync(file, 'utf8'), file);
      expect(record.manifest.backend.name).toBe(backend);
      expect(record.metrics).toHaveLength(oracle.length);
      const worst = Math.max(
        ...record.metrics.flatMap((m, s) =>
          m.layers.map((l, i) => relDiff(l.gradNorm, oracle[s]?.layers[i]?.gradNorm as number)),
        ),
      );
      expect(worst).toBeLessThan(TOLERANCE);
      const html = await renderRunReport(await readRunRecord(file));
      expect(html).toContain(`<h1>${REFERENCE}</h1>`);
      expect(html).toContain(`${backend} (tfjs ${backend})`);

      expect(
        await page.$$eval('.chart-figure[data-state="drawn"]', (f) => f.length),
      ).toBeGreaterThanOrEqual(3);
      await shot(page, `${REFERENCE}-${backend}`);
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  test('toggling relu and he-init on deep-sigmoid turns the verdict from vanishing to healthy', async () => {
    const { page, errors } = await openPlayground(
      context,
      server.url,
      '#preset=deep-sigmoid&backend=wasm',
    );
    await runAndWait(page);
    expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('vanishing');
    const firstLayer = (await layerRows(page))[0];
    expect(firstLayer?.verdict).toBe('vanishing');
    await page.check('#m-relu');
    await page.check('#m-he-init');
    await page.waitForFunction(() => location.hash.includes('mitigations=relu%2Bhe-init'));
    await chartsDrawn(page);
    // Every frame of the second run, until it ends: where the table and the charts are.
    const layouts = page.evaluate(
      (runs) =>
        new Promise<string[]>((resolve) => {
          const seen: string[] = [];
          const frame = () => {
            const boxes = ['#verdict', '.table-panel', '.chart-figure:not([hidden])'].flatMap((s) =>
              [...document.querySelectorAll(s)].map((e) => {
                const r = e.getBoundingClientRect();
                return `${s}@${Math.round(r.top + scrollY)}+${Math.round(r.height)}`;
              }),
            );
            const layout = boxes.join(' ');
            if (seen.at(-1) !== layout) seen.push(layout);
            if (document.body.dataset.runs === runs) requestAnimationFrame(frame);
            else resolve(seen);
          };
          frame();
        }),
      await page.getAttribute('body', 'data-runs'),
    );
    // The keyboard works too: r runs.
    await runAndWait(page, () => page.keyboard.press('r'));
    // The new run empties the table and charts and refills them in the same room: nothing moves.
    expect(await layouts).toHaveLength(1);
    expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('healthy');
    expect((await layerRows(page)).every((r) => r.verdict === 'healthy')).toBe(true);
    // The previous (sigmoid) run stays behind as a ghost in the gradient-flow chart.
    await chartsDrawn(page);
    expect(await page.textContent('#chart-flow')).toContain('previous run (deep-sigmoid)');
    // The form shows the spec of the run drawn in front of the ghost: relu, which the mitigation
    // sets, not the preset's sigmoid; read-only, with the spec's own value beside it.
    const ran = JSON.parse((await page.textContent('#effective-spec')) as string);
    expect(ran.model.activation).toBe('relu');
    expect(await page.inputValue('#f-model-activation')).toBe('relu');
    expect(await page.isDisabled('#f-model-activation')).toBe(true);
    expect(await page.textContent('#f-model-activation-note')).toBe(
      'set by a mitigation; without it: sigmoid',
    );
    // No text of a chart is cut off: each lies within what clips it (its SVG, or its place).
    const clipped = await page.$$eval('.chart svg text', (texts) =>
      texts.flatMap((t) => {
        const svg = (t as SVGTextElement).ownerSVGElement as SVGSVGElement;
        const clip = getComputedStyle(svg).overflow === 'visible' ? svg.closest('.chart') : svg;
        const c = (clip as Element).getBoundingClientRect();
        const r = t.getBoundingClientRect();
        const inside = r.left >= c.left - 0.5 && r.right <= c.right + 0.5;
        return r.width === 0 || inside ? [] : [t.textContent];
      }),
    );
    expect(clipped).toEqual([]);
    await shot(page, 'deep-sigmoid-relu-he-init');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a recurrent net: the signal through time vanishes in a plain RNN, and reaches far further back in an orthogonal LSTM', async () => {
    const { page, errors } = await openPlayground(
      context,
      server.url,
      '#preset=rnn-adding&backend=wasm',
    );
    // Why a strategy does not apply (prelu on a plain RNN cell) is shown, not only a tooltip,
    // and describes its toggle for screen readers.
    expect(await page.getAttribute('#m-prelu', 'aria-describedby')).toBe('m-prelu-why');
    expect(await page.isVisible('#m-prelu-why')).toBe(true);
    expect(await page.textContent('#m-prelu-why')).toMatch(/^does not apply: \w.+/);
    await page.fill('#f-training-steps', '10');
    await page.press('#f-training-steps', 'Tab');
    await runAndWait(page);
    expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('vanishing');
    expect(await page.textContent('#verdict .problems')).toContain(
      'the backpropagated signal vanished',
    );
    // The verdict names its evidence: ||dL/dh|| at t=1 over t=50.
    const signalRatio = async (): Promise<number> => {
      const text = (await page.textContent('#verdict .headline')) ?? '';
      const m = /backward signal \|\|dL\/dh\|\| first\/last (\S+) over 50 time steps/.exec(text);
      expect(m, text).not.toBeNull();
      return Number(m?.[1]);
    };
    const rnn = await signalRatio();
    // An LSTM cell with an orthogonal recurrent matrix (Hochreiter & Schmidhuber 1997; Saxe et al. 2014).
    await page.check('#m-lstm');
    await page.check('#m-orthogonal-init');
    await runAndWait(page);
    // After ten Adam steps the LSTM's signal through 50 steps is still below the 1e-3 threshold
    // (it learns the task after a few hundred steps), but it carries the gradient many orders
    // of magnitude further back than the plain RNN (measured: 1.3e-4 against 1.1e-18).
    expect(await signalRatio()).toBeGreaterThan(1e6 * rnn);
    await chartsDrawn(page);
    expect(await page.isVisible('#chart-signal svg')).toBe(true);
    await shot(page, 'rnn-adding-lstm');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a shared link opens the same experiment; a broken one says why and keeps the page working', async () => {
    const { page, errors } = await openPlayground(context, server.url, '#preset=tiny&backend=cpu');
    await page.fill('#f-model-depth', '5');
    await page.press('#f-model-depth', 'Tab');
    await page.selectOption('#f-model-activation', 'elu');
    await page.selectOption('#f-training-optimizer-kind', 'adam');
    await page.check('#m-clip-global-norm');
    await page.check('#backend-wasm');
    await page.selectOption('#compare-with', 'cpu');
    // The link follows each change (encoding it is asynchronous: it is compressed).
    await page.waitForFunction(() =>
      (document.querySelector('#share-link') as HTMLInputElement).value.includes('compare=cpu'),
    );
    const link = await page.inputValue('#share-link');
    // Readable: the preset and the fields changed from it.
    const hash = new URL(link).hash;
    expect(hash).toMatch(/^#v=2&preset=tiny&/);
    for (const p of ['model.depth=5', 'model.activation=elu', 'training.optimizer.kind=adam']) {
      expect(hash).toContain(`&${p}&`);
    }
    expect(hash).toMatch(/&mitigations=clip-global-norm%3A1&backend=wasm&compare=cpu$/);
    expect(hash).not.toContain('spec=');
    const spec = await page.textContent('#effective-spec');
    expect(JSON.parse(spec as string)).toMatchObject({
      model: { depth: 5, activation: 'elu' },
      training: { optimizer: { kind: 'adam' }, clip: { kind: 'global-norm', maxNorm: 1 } },
    });

    const opened = await openPlayground(context, link);
    expect(await opened.page.textContent('#effective-spec')).toBe(spec);
    expect(await opened.page.inputValue('#f-model-depth')).toBe('5');
    expect(await opened.page.inputValue('#f-model-activation')).toBe('elu');
    expect(await opened.page.isChecked('#m-clip-global-norm')).toBe(true);
    expect(await opened.page.isChecked('#backend-wasm')).toBe(true);
    expect(await opened.page.inputValue('#compare-with')).toBe('cpu');
    expect(opened.errors).toEqual([]);

    const broken = await openPlayground(
      context,
      server.url,
      '#preset=tiny&mitigations=relu%2Bmagic',
    );
    expect(await broken.page.textContent('#messages [role="alert"]')).toContain(
      'could not be loaded: unknown mitigation "magic"',
    );
    expect(await broken.page.isEnabled('[data-action="run"]')).toBe(true);
    await shot(broken.page, 'broken-link');
    const badField = await openPlayground(
      context,
      server.url,
      '#v=2&preset=tiny&model.colour=red&backend=cpu',
    );
    expect(await badField.page.textContent('#messages [role="alert"]')).toMatch(
      /could not be loaded: .*model\.colour/s,
    );
    expect(await badField.page.isEnabled('[data-action="run"]')).toBe(true);
    // A link of the first format (the spec deflated) still opens: depth 5 and elu on tiny.
    const tiny = presetSpec('tiny');
    const oldSpec = { ...tiny, model: { ...tiny.model, depth: 5, activation: 'elu' } };
    const oldLink = await openPlayground(
      context,
      server.url,
      `#v=1&spec=${await compressToUrl(JSON.stringify(oldSpec))}&backend=cpu`,
    );
    expect(await oldLink.page.inputValue('#f-model-depth')).toBe('5');
    expect(await oldLink.page.inputValue('#f-model-activation')).toBe('elu');
    expect(await oldLink.page.$$eval('#messages [role="alert"]', (m) => m.length)).toBe(0);
    expect(oldLink.errors).toEqual([]);
    for (const p of [page, opened.page, broken.page, badField.page, oldLink.page]) await p.close();
    expect(errors).toEqual([]);
  });

  test('pause, step, resume and reset; the page answers while it trains and nothing moves', async () => {
    const { page, errors } = await openPlayground(
      context,
      server.url,
      '#preset=deep-sigmoid&backend=wasm',
    );
    // Long enough that it cannot end before it is paused, however fast the machine.
    await page.fill('#f-training-steps', '5000');
    await page.press('#f-training-steps', 'Tab');
    // Step from idle: one step, then paused.
    await page.click('[data-action="step"]');
    await page.waitForSelector('body[data-run-phase="paused"]');
    await page.waitForSelector('#layer-table[data-step="1"]');
    await page.click('[data-action="step"]');
    await page.waitForSelector('#layer-table[data-step="2"]');
    expect(await page.getAttribute('body', 'data-run-phase')).toBe('paused');
    // Resume; pausing mid-run works, so input is handled while it trains.
    await page.click('[data-action="pause"]');
    await page.waitForFunction(
      () => Number(document.querySelector('#layer-table')?.getAttribute('data-step')) >= 30,
    );
    const box = async () =>
      page.$$eval('#layer-table, .chart-figure:not([hidden])', (els) =>
        els.map((e) => e.getBoundingClientRect().toJSON()),
      );
    const during = await box();
    await page.keyboard.press('p');
    await page.waitForSelector('body[data-run-phase="paused"]');
    const pausedAt = Number(await page.getAttribute('#layer-table', 'data-step'));
    expect(pausedAt).toBeLessThan(5000);
    expect(await box()).toEqual(during);
    // A link opened while it runs is refused, and the address goes back to this experiment.
    const address = await page.evaluate(() => location.hash);
    await page.evaluate(() => {
      location.hash = 'preset=tiny&backend=cpu';
    });
    await page.waitForSelector('#messages [role="alert"]');
    await page.waitForFunction((hash) => location.hash === hash, address);
    expect(await page.inputValue('#share-link')).toBe(await page.evaluate(() => location.href));
    await page.click('[data-action="reset"]');
    await page.waitForSelector('body[data-run-phase="finished"]');
    expect(await page.textContent('.run-status')).toMatch(
      new RegExp(`^cancelled: ${pausedAt} of 5000 steps`),
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  test('two backends side by side: step-1 agreement and drift of wasm from cpu, labelled', async () => {
    const { page, errors } = await openPlayground(
      context,
      server.url,
      '#preset=tiny&backend=cpu&compare=wasm',
    );
    await page.click('[data-action="run"]');
    await page.waitForSelector('body[data-comparisons="1"]', { timeout: 120_000 });
    const diffs = await page.$$eval('#compare tbody tr', (rows) =>
      rows.map((r) => ({
        step1: Number((r as HTMLElement).dataset.step1RelDiff),
        drift: Number((r as HTMLElement).dataset.maxRelDiff),
      })),
    );
    expect(diffs).toHaveLength(4);
    for (const d of diffs) {
      expect(d.step1).toBeLessThan(TOLERANCE);
      expect(d.drift).toBeLessThan(TOLERANCE);
    }
    // The two figures, each named for what it measures; no unlabelled "max relative difference".
    expect(await page.textContent('#compare .compare-summary p')).toBe(
      'wasm against cpu: the same spec, seed, initial weights and batches.',
    );
    expect(
      await page.$$eval('#compare .compare-figures dt', (dts) => dts.map((d) => d.textContent)),
    ).toEqual(['step-1 gradient agreement', 'drift after 20 steps']);
    const step1 = await page.textContent('#compare [data-figure="step1"]');
    expect(step1).toMatch(
      /^max relative difference \d(\.\d+)?e-\d+ \(\w+\): same weights, same batch, so the backends' arithmetic alone$/,
    );
    expect(Number(await page.getAttribute('#compare [data-figure="step1"]', 'data-value'))).toBe(
      Math.max(...diffs.map((d) => d.step1)),
    );
    const drift = await page.textContent('#compare [data-figure="drift"]');
    expect(drift).toMatch(
      /^max relative difference: loss \S+, gradient norms \S+; (stayed within 1e-3 over all 20 steps|diverged beyond 1e-3 at step \d+ \(.+\))\./,
    );
    expect(await page.getAttribute('#compare [data-figure="drift"]', 'data-diverged-at')).toMatch(
      /^(never|\d+)$/,
    );
    await chartsDrawn(page);
    expect(await page.$$eval('#compare svg', (svgs) => svgs.length)).toBe(2);
    // Number headers stand over their right-aligned numbers; names and verdicts stay left.
    const align = (table: string) =>
      page.$$eval(`${table} thead th`, (ths) =>
        ths.map((t) => `${t.textContent}: ${getComputedStyle(t).textAlign}`),
      );
    expect(await align('#layer-table')).toEqual([
      'layer: left',
      ...['grad norm', 'ratio to last', 'grad/weight', 'update/weight', 'act std'].map(
        (c) => `${c}: right`,
      ),
      'saturated: right',
      'dead: right',
      'verdict: left',
    ]);
    expect(await align('#compare')).toEqual([
      'layer: left',
      'cpu, step 1: right',
      'wasm, step 1: right',
      'step-1 rel. diff: right',
      'max rel. diff, 20 steps: right',
    ]);
    await shot(page, 'compare-cpu-wasm');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a backend the browser cannot run is greyed out with the reason, and a link to it falls back', async () => {
    const plain = await launchChromium(chromium as string, { webgpu: false });
    try {
      const { page, errors } = await openPlayground(
        plain.context,
        server.url,
        '#preset=tiny&backend=webgpu&compare=webgpu',
      );
      expect(await page.isDisabled('#backend-webgpu')).toBe(true);
      expect(await page.getAttribute('[data-backend="webgpu"]', 'class')).toContain('unavailable');
      expect(await page.textContent('[data-backend="webgpu"] .backend-note')).toMatch(
        // The hint is a sentence of its own: it starts with a capital.
        /^unavailable: .+\. [A-Z].+\.$/,
      );
      // Greyed out, but the reason stays readable: WCAG AA contrast (4.5:1) on its panel.
      const contrast = await page.$eval('[data-backend="webgpu"] .backend-note', (note) => {
        const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const luminance = (css: string) => {
          const [r, g, b] = rgb(css).map((v) => {
            const c = v / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          }) as [number, number, number];
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        // Its background: the nearest ancestor that paints one (the side column or a panel).
        let box: Element | null = note;
        while (box && /rgba\(0, 0, 0, 0\)|transparent/.test(getComputedStyle(box).backgroundColor))
          box = box.parentElement;
        const bg = box ? getComputedStyle(box).backgroundColor : 'rgb(255, 255, 255)';
        const fg = getComputedStyle(note).color;
        const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number];
        return (hi + 0.05) / (lo + 0.05);
      });
      expect(contrast).toBeGreaterThanOrEqual(4.5);
      const alerts = await page.$$eval('#messages [role="alert"]', (a) =>
        a.map((e) => e.textContent),
      );
      expect(alerts[0]).toMatch(
        /asks for the webgpu backend, which this browser cannot run \(.+\); running on \w+ instead/,
      );
      // The second backend of the link is not dropped silently either.
      expect(alerts[1]).toMatch(
        /asks to compare with the webgpu backend, which this browser cannot run \(.+\); running on \w+ alone/,
      );
      expect(await page.inputValue('#compare-with')).toBe('');
      expect(await page.isChecked('#backend-webgpu')).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  test('on a laptop screen (1366x768) the gradient-flow chart is in view without scrolling', async () => {
    // 20 layers, as the reference preset: a table of 20 rows once stood above the charts.
    const { page, errors } = await openPlayground(
      context,
      server.url,
      '#v=2&preset=tiny&model.depth=20&training.steps=5&backend=wasm',
    );
    await page.setViewportSize({ width: 1366, height: 768 });
    const flowTop = () =>
      page.evaluate(() => {
        const r = (document.querySelector('#chart-flow') as HTMLElement).getBoundingClientRect();
        return { top: r.top, scrolled: window.scrollY };
      });
    // Before a run (the place is kept for it) and after one, its verdict shown above it.
    expect(await flowTop()).toMatchObject({ scrolled: 0 });
    expect((await flowTop()).top).toBeLessThan(768 - 100);
    await runAndWait(page);
    await chartsDrawn(page);
    const after = await flowTop();
    expect(after.scrolled).toBe(0);
    // Its top and the start of its plot, not only its border, are on the screen.
    expect(after.top).toBeLessThan(768 - 100);
    await shot(page, 'laptop-1366x768');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a narrow window stacks the page without sideways scrolling', async () => {
    const { page, errors } = await openPlayground(
      context,
      server.url,
      '#preset=tiny&backend=wasm&compare=cpu',
    );
    await page.setViewportSize({ width: 420, height: 900 });
    await page.click('[data-action="run"]');
    // The side-by-side table is wider than the window: it scrolls in its panel.
    await page.waitForSelector('body[data-comparisons="1"]', { timeout: 120_000 });
    await chartsDrawn(page);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, 'narrow');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('an exported run imports back: table, verdict and charts', async () => {
    const { page, errors } = await openPlayground(context, server.url);
    // The file input hides behind its label, which shows the keyboard's focus instead.
    await page.focus('[data-action="copy-link"]');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('import-file');
    expect(await page.$eval('.file-button', (l) => getComputedStyle(l).outlineStyle)).not.toBe(
      'none',
    );
    await page.setInputFiles('#import-file', join(resultsDir, `${REFERENCE}-wasm.gradlab.json`));
    await page.waitForSelector('#verdict[data-final="true"]');
    expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('healthy');
    expect((await layerRows(page)).map((r) => r.layer)).toEqual([
      'dense1',
      'dense2',
      'dense3',
      'output',
    ]);
    expect(await page.textContent('.run-status')).toContain(
      `imported ${REFERENCE}-wasm.gradlab.json`,
    );
    await page.setInputFiles('#import-file', {
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"kind": "notes"}'),
    });
    expect(await page.textContent('#messages [role="alert"]')).toMatch(
      /notes\.json could not be imported: .*"kind" must be "gradlab-run"/,
    );
    expect(await page.textContent('.share-status')).toContain('notes.json could not be imported');
    expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('healthy');

    // Reset the moment an import is shown: its charts, still being drawn, must not come back.
    await page.keyboard.press('x');
    await page.waitForSelector('body[data-run-phase="idle"]');
    await page.evaluate(() => {
      const verdict = document.querySelector('#verdict') as HTMLElement;
      new MutationObserver((_, observer) => {
        if (verdict.dataset.final !== 'true') return;
        observer.disconnect();
        (document.querySelector('[data-action="reset"]') as HTMLButtonElement).click();
        document.body.dataset.resetAfterImport = 'true';
      }).observe(verdict, { attributes: true, attributeFilter: ['data-final'] });
    });
    await page.setInputFiles('#import-file', join(resultsDir, `${REFERENCE}-wasm.gradlab.json`));
    await page.waitForSelector('body[data-reset-after-import="true"][data-run-phase="idle"]');
    await chartsDrawn(page);
    expect(await page.$$eval('.chart-figure .chart > *', (drawn) => drawn.length)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
