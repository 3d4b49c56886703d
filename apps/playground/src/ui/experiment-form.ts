import { type ExperimentSpec, isGradlabError, parseSpecJson } from '@gradlab/core';
import { listPresets, presetSpec } from '@gradlab/experiments';
import { applyField, type SpecField, specFields } from '../experiment/fields/index.js';
import { type ExperimentState, effectiveSpec, isPresetSpec } from '../experiment/state.js';
import { byId, h, idOf } from './dom.js';

const SECTIONS: Record<SpecField['section'], string> = {
  data: 'Data',
  model: 'Network',
  training: 'Training',
  run: 'Run',
};

const CUSTOM = '(custom)';

interface FieldControl {
  readonly field: SpecField;
  readonly row: HTMLElement;
  readonly input: HTMLInputElement | HTMLSelectElement;
  readonly error: HTMLElement;
  /** Says that a mitigation sets the field, and what the spec's own value is. */
  readonly note: HTMLElement;
}

const messageOf = (e: unknown): string =>
  isGradlabError(e) ? (e.details.length ? e.details.join('; ') : e.message) : String(e);

/**
 * The experiment form: a preset, one control per spec field (those that do not apply to the
 * network at hand are hidden), the spec as editable JSON for everything else, and the spec that
 * will run. A change is validated at once; a bad value stays in its control, marked invalid,
 * with the reason beside it.
 */
export class ExperimentForm {
  readonly #preset: HTMLSelectElement;
  readonly #controls: FieldControl[] = [];
  readonly #json: HTMLTextAreaElement;
  readonly #jsonError: HTMLElement;
  readonly #effective: HTMLElement;
  #state: ExperimentState | null = null;
  /** Controls showing a value a mitigation sets: read-only until the mitigation is off. */
  readonly #mitigated = new Set<FieldControl>();
  #disabled = false;

  constructor(
    root: HTMLElement,
    readonly onChange: (base: ExperimentSpec, preset: string | null) => void,
  ) {
    this.#preset = byId<HTMLSelectElement>('preset');
    this.#preset.append(
      ...listPresets().map((p) => h('option', { value: p.name }, [`${p.name}: ${p.title}`])),
      h('option', { value: CUSTOM, disabled: true }, ['custom']),
    );
    this.#preset.addEventListener('change', () => {
      const name = this.#preset.value;
      if (name !== CUSTOM) this.onChange(presetSpec(name), name);
    });
    const groups = new Map<SpecField['section'], HTMLElement>();
    for (const field of specFields) {
      let group = groups.get(field.section);
      if (!group) {
        group = h('fieldset', { class: 'field-group' }, [
          h('legend', {}, [SECTIONS[field.section]]),
        ]);
        groups.set(field.section, group);
        root.append(group);
      }
      this.#controls.push(this.#control(field, group));
    }
    this.#json = byId<HTMLTextAreaElement>('spec-json');
    this.#jsonError = byId('spec-json-error');
    this.#effective = byId('effective-spec');
    byId('spec-json-apply').addEventListener('click', () => this.#applyJson());
  }

  #control(field: SpecField, group: HTMLElement): FieldControl {
    const id = `f-${idOf(field.id)}`;
    const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    const note = h('p', { class: 'field-note', id: `${id}-note`, hidden: true });
    const help = field.help
      ? h('p', { class: 'field-help', id: `${id}-help` }, [field.help])
      : null;
    const describedBy = [error.id, note.id, help?.id].filter(Boolean).join(' ');
    const input =
      field.input === 'select'
        ? h('select', { id, name: field.id, 'aria-describedby': describedBy })
        : h('input', {
            id,
            name: field.id,
            type: field.input === 'number' ? 'number' : 'text',
            step: field.step,
            inputmode: field.input === 'number' ? 'decimal' : undefined,
            'aria-describedby': describedBy,
          });
    const row = h('div', { class: 'field', 'data-field': field.id }, [
      h('label', { for: id }, [field.label]),
      input,
      ...(help ? [help] : []),
      note,
      error,
    ]);
    group.append(row);
    const control = { field, row, input, error, note };
    input.addEventListener('change', () => this.#edit(control));
    return control;
  }

  #edit(c: FieldControl): void {
    if (!this.#state) return;
    try {
      const next = applyField(this.#state.base, c.field, c.input.value);
      this.#mark(c, null);
      this.onChange(next, this.#state.preset);
    } catch (e) {
      this.#mark(c, messageOf(e));
    }
  }

  #mark(c: FieldControl, error: string | null): void {
    c.error.hidden = error === null;
    c.error.textContent = error ?? '';
    c.input.toggleAttribute('aria-invalid', error !== null);
    c.row.classList.toggle('invalid', error !== null);
  }

  #applyJson(): void {
    try {
      const spec = parseSpecJson(this.#json.value, 'the JSON');
      this.#jsonError.hidden = true;
      this.#json.removeAttribute('aria-invalid');
      this.onChange(spec, this.#state?.preset ?? null);
    } catch (e) {
      this.#jsonError.hidden = false;
      this.#jsonError.textContent = isGradlabError(e) ? e.message : String(e);
      this.#json.setAttribute('aria-invalid', 'true');
    }
  }

  /**
   * Shows a state: every control's value, which controls apply, the JSON and the spec that runs.
   * A field a mitigation sets shows the value that runs (the activation relu sets, not the
   * preset's sigmoid), read-only with a note giving the spec's own value: the form then agrees
   * with the run the charts show, its ghost behind it being the run before.
   */
  show(state: ExperimentState): void {
    this.#state = state;
    const unchanged = isPresetSpec(state.base, state.preset);
    this.#preset.value = unchanged && state.preset ? state.preset : CUSTOM;
    let runs: ExperimentSpec | null = null;
    try {
      runs = effectiveSpec(state);
    } catch {
      // Mitigations that do not apply: the form shows the spec as it is (the error is shown).
    }
    this.#mitigated.clear();
    for (const c of this.#controls) {
      const applies = c.field.applies(state.base);
      c.row.hidden = !applies;
      if (!applies) continue;
      if (c.input instanceof HTMLSelectElement && c.field.options) {
        const options = c.field.options(state.base);
        const now = [...c.input.options].map((o) => o.value).join('|');
        if (now !== options.map((o) => o.value).join('|')) {
          c.input.replaceChildren(
            ...options.map((o) => h('option', { value: o.value }, [o.label])),
          );
        }
      }
      const own = c.field.get(state.base);
      const shown = runs && c.field.applies(runs) ? c.field.get(runs) : own;
      if (shown !== own) this.#mitigated.add(c);
      if (
        c.input instanceof HTMLSelectElement &&
        ![...c.input.options].some((o) => o.value === shown)
      ) {
        c.input.append(h('option', { value: shown }, [shown]));
      }
      c.input.value = shown;
      c.input.disabled = this.#disabled || shown !== own;
      c.row.classList.toggle('mitigated', shown !== own);
      c.note.hidden = shown === own;
      c.note.textContent =
        shown === own ? '' : `set by a mitigation; without it: ${own || '(none)'}`;
      this.#mark(c, null);
    }
    this.#json.value = JSON.stringify(state.base, null, 2);
    this.#jsonError.hidden = true;
    try {
      this.#effective.textContent = JSON.stringify(effectiveSpec(state), null, 2);
    } catch (e) {
      this.#effective.textContent = `The mitigations do not apply: ${messageOf(e)}`;
    }
  }

  setDisabled(disabled: boolean): void {
    this.#disabled = disabled;
    for (const c of this.#controls) c.input.disabled = disabled || this.#mitigated.has(c);
    this.#preset.disabled = disabled;
    this.#json.readOnly = disabled;
  }
}
