import { GradlabError, isGradlabError, parseSpec } from '@gradlab/core';
import { presetSpec } from '@gradlab/experiments';
import { parseVariant } from '@gradlab/mitigations';
import { decompressFromUrl } from './compress.js';
import { paramText, paramValue } from './param-value.js';
import { applySpecChanges, type SpecChange, specChanges } from './spec-changes.js';
import { DEFAULT_PRESET, type ExperimentState, effectiveSpec } from './state.js';

/**
 * The experiment in the URL's fragment, so a link shares it whole and no server sees it, in
 * words a reader can follow: the preset it started from and each field changed from it,
 * `#v=2&preset=tiny&model.depth=12&model.activation=elu&mitigations=relu%2Bhe-init&backend=wasm`.
 * Parameters: preset; one per changed spec field (its dotted path; see param-value.ts for how a
 * value is written); mitigations ("+"-joined tokens), backend, compare (a second backend). A
 * spec that came from no preset (imported, pasted as JSON) is written as its changes from the
 * default preset. Links of version 1 held the spec as `spec=<deflated JSON, base64url>`; they
 * still open.
 */
export const URL_FORMAT_VERSION = '2';

/** The versions this page reads: 1 (the spec deflated) and 2 (the spec as its changes). */
const READABLE_VERSIONS = ['1', URL_FORMAT_VERSION];

/** The parameters that are not spec fields. */
const STATE_PARAMS = new Set(['v', 'preset', 'spec', 'mitigations', 'backend', 'compare']);

/** Longer than any real link needs; a bound on what a hostile link can make us parse. */
const MAX_FIELD_PARAMS = 200;

/** Longer than any real spec needs; a bound on what a hostile link can make us inflate. */
const MAX_SPEC_PARAM = 20_000;

/** The preset a spec is written against: the one it came from, else the default. */
function originOf(state: ExperimentState): string {
  if (state.preset) {
    try {
      presetSpec(state.preset);
      return state.preset;
    } catch {
      // A preset this page no longer has: the default stands in.
    }
  }
  return DEFAULT_PRESET;
}

export async function encodeState(state: ExperimentState): Promise<string> {
  const params = new URLSearchParams({ v: URL_FORMAT_VERSION });
  const origin = originOf(state);
  params.set('preset', origin);
  for (const [path, value] of specChanges(presetSpec(origin), state.base)) {
    params.append(path, paramText(value));
  }
  if (state.mitigations.length > 0) params.set('mitigations', state.mitigations.join('+'));
  params.set('backend', state.backend);
  if (state.compareWith) params.set('compare', state.compareWith);
  return params.toString();
}

export type DecodedState =
  | { readonly kind: 'empty' }
  | { readonly kind: 'state'; readonly state: ExperimentState }
  | { readonly kind: 'error'; readonly message: string };

function backendName(value: string, param: string, known: readonly string[]): string {
  if (!known.includes(value)) {
    throw new GradlabError(
      'UNKNOWN_BACKEND',
      `${param} "${value}" is not a backend of the playground; it knows ${known.join(', ')}`,
    );
  }
  return value;
}

async function specParam(text: string) {
  if (text.length > MAX_SPEC_PARAM) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `the spec in the link is ${text.length} characters long, more than the ${MAX_SPEC_PARAM} a spec can take`,
    );
  }
  let json: string;
  try {
    json = await decompressFromUrl(text);
  } catch (e) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `the spec in the link is damaged (${e instanceof Error ? e.message : String(e)}): copy the whole link again`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `the spec in the link is not JSON (${(e as Error).message})`,
    );
  }
  return parseSpec(raw, 'the spec in the link');
}

/**
 * Reads a fragment (with or without its "#"). Nothing to read is `empty`; anything wrong is an
 * `error` whose message says what and why, and the page keeps the experiment it has.
 */
export async function decodeState(
  fragment: string,
  backends: readonly string[],
): Promise<DecodedState> {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  if (![...params.keys()].length) return { kind: 'empty' };
  try {
    const version = params.get('v');
    if (version !== null && !READABLE_VERSIONS.includes(version)) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `the link is of format version ${version}; this playground reads versions ${READABLE_VERSIONS.join(' and ')}`,
      );
    }
    const preset = params.get('preset');
    const spec = params.get('spec');
    if (preset === null && spec === null) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        'the link names no experiment: it has neither "preset" nor "spec"',
      );
    }
    const fields = fieldParams(params);
    if (spec !== null && fields.length > 0) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `the link holds both a whole spec and changed fields (${fields.map(([p]) => p).join(', ')})`,
      );
    }
    const base =
      spec !== null
        ? await specParam(spec)
        : fields.length > 0
          ? changedSpec(preset as string, fields)
          : presetSpec(preset as string);
    const mitigationsText = params.get('mitigations') ?? '';
    const mitigations = mitigationsText ? parseVariant(mitigationsText).map((t) => t.token) : [];
    const state: ExperimentState = {
      base,
      preset: spec === null ? preset : null,
      mitigations,
      backend: backendName(params.get('backend') ?? backends[0] ?? 'cpu', 'backend', backends),
      compareWith: params.has('compare')
        ? backendName(params.get('compare') as string, 'compare', backends)
        : null,
    };
    effectiveSpec(state); // a mitigation that does not apply to the spec is an error now
    return { kind: 'state', state };
  } catch (e) {
    const message = isGradlabError(e) ? e.message : `unexpected: ${String(e)}`;
    return { kind: 'error', message: `This link's experiment could not be loaded: ${message}` };
  }
}

/** The parameters that change spec fields, in the link's order. */
function fieldParams(params: URLSearchParams): SpecChange[] {
  const fields = [...params].filter(([name]) => !STATE_PARAMS.has(name));
  if (fields.length > MAX_FIELD_PARAMS) {
    throw new GradlabError(
      'INVALID_ARGUMENT',
      `the link changes ${fields.length} fields, more than the ${MAX_FIELD_PARAMS} a spec has`,
    );
  }
  const seen = new Set<string>();
  for (const [name] of fields) {
    if (seen.has(name)) {
      throw new GradlabError('INVALID_ARGUMENT', `the link sets ${name} twice`);
    }
    seen.add(name);
  }
  return fields.map(([name, text]) => [name, paramValue(text)]);
}

/** The preset with the link's changes, checked as any spec is (unknown fields, bad values). */
function changedSpec(preset: string, changes: readonly SpecChange[]) {
  const names = changes.map(([p]) => p).join(', ');
  return parseSpec(
    applySpecChanges(presetSpec(preset), changes),
    `the spec in the link (preset ${preset}, changed: ${names})`,
  );
}
