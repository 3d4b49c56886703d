import type { ExperimentSpec } from '@gradlab/core';
import {
  applyMitigations,
  categories,
  isGradlabError,
  listMitigations,
  type Mitigation,
  type MitigationCategory,
} from '@gradlab/mitigations';
import { h } from './dom.js';

/** Categories whose strategies replace each other (one activation, one optimiser, ...). */
const EXCLUSIVE: ReadonlySet<MitigationCategory> = new Set([
  'activation',
  'initialisation',
  'normalisation',
  'gradient-clipping',
  'optimiser',
  'recurrent-cell',
]);

interface Toggle {
  readonly mitigation: Mitigation;
  readonly box: HTMLInputElement;
  readonly args: HTMLInputElement | null;
  readonly why: HTMLElement;
}

const argsOf = (token: string): string => token.split(':').slice(1).join(':');

/**
 * Why a strategy does not apply, split for the page: its first clause, shown beside the toggle,
 * and the rest (the detail and what to do instead), for screen readers and the tooltip.
 */
export function inapplicableReason(name: string, message: string): { short: string; rest: string } {
  const why = message.replace(new RegExp(`^${name} does not apply here: `), '').trim();
  const end = why.search(/;|\.(\s|$)/);
  if (end < 0) return { short: why, rest: '' };
  return { short: why.slice(0, end), rest: why.slice(end + 1).trim() };
}

/**
 * One toggle per mitigation of @gradlab/mitigations' catalogue, by category. Toggling gives the
 * list of tokens ("relu", "clip-global-norm:1") to apply to the experiment, in catalogue order;
 * within an exclusive category (activations, initialisers, ...) turning one on turns the others
 * off. A strategy that does not apply to the network (batchnorm on an RNN) is disabled, with
 * the reason.
 */
export class MitigationPanel {
  readonly #toggles: Toggle[] = [];
  #applicability = '';

  constructor(
    root: HTMLElement,
    readonly onChange: (tokens: string[]) => void,
  ) {
    for (const category of categories) {
      const group = h('fieldset', { class: 'mitigation-group' }, [
        h('legend', {}, [category.replace('-', ' ')]),
      ]);
      for (const m of listMitigations(category)) group.append(this.#toggle(m));
      root.append(group);
    }
  }

  #toggle(m: Mitigation): HTMLElement {
    const id = `m-${m.name}`;
    const box = h('input', {
      type: 'checkbox',
      id,
      'data-mitigation': m.name,
      'aria-describedby': `${id}-why`,
    });
    const args = m.params.length
      ? h('input', {
          type: 'text',
          class: 'mitigation-args',
          value: argsOf(m.example),
          size: 7,
          'aria-label': `${m.name} arguments (${m.usage})`,
          title: m.params.map((p) => `${p.name}: ${p.description}`).join('\n'),
        })
      : null;
    const why = h('span', { class: 'why', id: `${id}-why` });
    const toggle = { mitigation: m, box, args, why };
    this.#toggles.push(toggle);
    box.addEventListener('change', () => {
      if (box.checked && EXCLUSIVE.has(m.category)) {
        for (const t of this.#toggles) {
          if (t !== toggle && t.mitigation.category === m.category) t.box.checked = false;
        }
      }
      this.onChange(this.tokens());
    });
    args?.addEventListener('change', () => {
      if (box.checked) this.onChange(this.tokens());
    });
    return h('div', { class: 'mitigation', title: `${m.title}: ${m.how}` }, [
      box,
      h('label', { for: id }, [m.name]),
      ...(args ? [args] : []),
      why,
    ]);
  }

  #token(t: Toggle): string {
    const args = t.args?.value.trim() ?? '';
    return args ? `${t.mitigation.name}:${args}` : t.mitigation.name;
  }

  /** The checked strategies as tokens, in catalogue order. */
  tokens(): string[] {
    return this.#toggles.filter((t) => t.box.checked).map((t) => this.#token(t));
  }

  /** Shows which tokens are on, and which strategies apply to `base`. */
  show(base: ExperimentSpec, tokens: readonly string[]): void {
    const byName = new Map(tokens.map((t) => [t.split(':')[0], t]));
    for (const t of this.#toggles) {
      const token = byName.get(t.mitigation.name);
      t.box.checked = token !== undefined;
      if (token !== undefined && t.args) t.args.value = argsOf(token);
    }
    const key = JSON.stringify(base);
    if (key === this.#applicability) return;
    this.#applicability = key;
    for (const t of this.#toggles) {
      let reason = '';
      try {
        applyMitigations(base, [t.mitigation.example]);
      } catch (e) {
        reason = isGradlabError(e) ? e.message : String(e);
      }
      t.box.disabled = reason !== '' && !t.box.checked;
      // Visible, not only a tooltip: keyboard and touch users read it too (aria-describedby).
      t.why.replaceChildren();
      if (reason) {
        const { short, rest } = inapplicableReason(t.mitigation.name, reason);
        t.why.append(`does not apply: ${short}`);
        if (rest) t.why.append(h('span', { class: 'visually-hidden' }, [`; ${rest}`]));
      }
      t.why.title = reason;
      t.box.closest('.mitigation')?.classList.toggle('inapplicable', reason !== '');
    }
  }

  setDisabled(disabled: boolean): void {
    for (const t of this.#toggles) {
      t.box.disabled = disabled || (t.why.textContent !== '' && !t.box.checked);
      if (t.args) t.args.disabled = disabled;
    }
  }
}
