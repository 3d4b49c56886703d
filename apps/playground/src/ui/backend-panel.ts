import type { BackendStatus } from '@gradlab/core';
import { h } from './dom.js';

/** A sentence of its own: capital first letter, one full stop at the end. */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return capital.endsWith('.') ? capital : `${capital}.`;
}

/**
 * What the page says beside a backend this browser cannot run: the probe's reason, then its
 * hint, which the probes write as a lowercase clause, as a sentence of its own.
 */
export function unavailableNote(reason: string, hint: string): string {
  const why = reason.trim().replace(/\.$/, '');
  return hint.trim() === '' ? `unavailable: ${why}.` : `unavailable: ${why}. ${sentence(hint)}`;
}

/**
 * The backend to run on, and an optional second one to run the same experiment on for a side
 * by side comparison. Backends this browser cannot run are greyed out with the reason.
 */
export class BackendPanel {
  readonly #list: HTMLElement;
  readonly #compare: HTMLSelectElement;
  #statuses: readonly BackendStatus[] = [];

  constructor(
    root: HTMLElement,
    readonly onChange: (backend: string, compareWith: string | null) => void,
  ) {
    this.#list = root.querySelector('.backend-list') as HTMLElement;
    this.#compare = root.querySelector('#compare-with') as HTMLSelectElement;
    this.#compare.addEventListener('change', () => this.#emit());
  }

  #emit(): void {
    const checked = this.#list.querySelector<HTMLInputElement>('input:checked');
    if (checked) this.onChange(checked.value, this.#compare.value || null);
  }

  /** The probes' answers: one radio button per backend, disabled with the reason where unavailable. */
  setStatuses(statuses: readonly BackendStatus[]): void {
    this.#statuses = statuses;
    this.#list.replaceChildren(
      ...statuses.map((s) => {
        const id = `backend-${s.name}`;
        const note = s.probe.available
          ? s.probe.detail
          : unavailableNote(s.probe.reason, s.probe.hint);
        const input = h('input', {
          type: 'radio',
          name: 'backend',
          id,
          value: s.name,
          disabled: !s.probe.available,
          'aria-describedby': `${id}-note`,
        });
        input.addEventListener('change', () => this.#emit());
        return h(
          'div',
          { class: `backend${s.probe.available ? '' : ' unavailable'}`, 'data-backend': s.name },
          [
            input,
            h('label', { for: id }, [s.name]),
            h('span', { class: 'backend-note', id: `${id}-note` }, [note]),
          ],
        );
      }),
    );
    this.#compare.replaceChildren(
      h('option', { value: '' }, ['no second backend']),
      ...statuses.map((s) =>
        h('option', { value: s.name, disabled: !s.probe.available }, [
          s.probe.available ? s.name : `${s.name} (unavailable)`,
        ]),
      ),
    );
  }

  available(name: string): boolean {
    return this.#statuses.some((s) => s.name === name && s.probe.available);
  }

  reasonUnavailable(name: string): string {
    const s = this.#statuses.find((x) => x.name === name);
    return s && !s.probe.available ? s.probe.reason : 'it is not a backend of the playground';
  }

  show(backend: string, compareWith: string | null): void {
    const radio = this.#list.querySelector<HTMLInputElement>(`input[value="${backend}"]`);
    if (radio) radio.checked = true;
    this.#compare.value = compareWith ?? '';
  }

  setDisabled(disabled: boolean): void {
    for (const input of this.#list.querySelectorAll<HTMLInputElement>('input')) {
      input.disabled = disabled || !this.available(input.value);
    }
    this.#compare.disabled = disabled;
  }
}
