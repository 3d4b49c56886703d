import { GradlabError, isGradlabError, parseSpec } from '@gradlab/core';
import { presetSpec } from '@gradlab/experiments';
import { parseVariant } from '@gradlab/mitigations';
import { compressToUrl, decompressFromUrl } from './compress.js';
import { type ExperimentState, effectiveSpec, isPresetSpec } from './state.js';

/**
 * The experiment in the URL's fragment, so a link shares it whole and no server sees it:
 * `#preset=deep-sigmoid&mitigations=relu%2Bhe-init&backend=wasm` for a preset as it is, or
 * `#spec=<deflated JSON, base64url>&...` for any other spec. Parameters: preset, spec,
 * mitigations ("+"-joined tokens), backend, compare (a second backend).
 */
export const URL_FORMAT_VERSION = '1';

/** Longer than any real spec needs; a bound on what a hostile link can make us inflate. */
const MAX_SPEC_PARAM = 20_000;

export async function encodeState(state: ExperimentState): Promise<string> {
  const params = new URLSearchParams({ v: URL_FORMAT_VERSION });
  if (state.preset && isPresetSpec(state.base, state.preset)) params.set('preset', state.preset);
  else params.set('spec', await compressToUrl(JSON.stringify(state.base)));
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
    if (version !== null && version !== URL_FORMAT_VERSION) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `the link is of format version ${version}; this playground reads version ${URL_FORMAT_VERSION}`,
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
    const base = spec !== null ? await specParam(spec) : presetSpec(preset as string);
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
