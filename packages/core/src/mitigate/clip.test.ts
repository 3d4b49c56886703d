import { describe, expect, it } from 'vitest';
import { GradlabError } from '../errors.js';
import { CLIP_TELEMETRY, clipTelemetryOf, clipTransform } from './clip.js';

const strict = clipTransform({ kind: 'global-norm', maxNorm: 1, errorIfNonFinite: true });

describe("clipping's check", () => {
  it('errorIfNonFinite stops on a NaN or infinite global norm, naming the norm and the step', () => {
    for (const norm of [Number.NaN, Number.POSITIVE_INFINITY]) {
      let e: unknown;
      try {
        strict.check?.({ [CLIP_TELEMETRY.preNorm]: norm, lr: 0.1 }, 7);
      } catch (err) {
        e = err;
      }
      expect(e).toBeInstanceOf(GradlabError);
      expect((e as GradlabError).code).toBe('NON_FINITE_GRADIENT');
      expect((e as Error).message).toContain(`the global gradient norm is ${norm} at step 7`);
    }
  });

  it('passes a finite norm, or a step without clipping telemetry', () => {
    expect(() => strict.check?.({ [CLIP_TELEMETRY.preNorm]: 1e30 }, 1)).not.toThrow();
    expect(() => strict.check?.({}, 1)).not.toThrow();
  });

  it('has no check unless global-norm clipping asks for one', () => {
    expect(
      clipTransform({ kind: 'global-norm', maxNorm: 1, errorIfNonFinite: false }).check,
    ).toBeUndefined();
    expect(clipTransform({ kind: 'norm', maxNorm: 1 }).check).toBeUndefined();
    expect(clipTransform({ kind: 'value', limit: 1 }).check).toBeUndefined();
  });
});

describe('clipTelemetryOf', () => {
  it("reads clipping's keys, which are the transform's name and its telemetry", () => {
    expect(CLIP_TELEMETRY).toEqual({
      preNorm: 'clip.preNorm',
      postNorm: 'clip.postNorm',
      clipped: 'clip.clipped',
    });
    expect(clipTelemetryOf({ lr: 0.1 })).toBeNull();
    expect(clipTelemetryOf({ 'clip.preNorm': 3, 'clip.postNorm': 1, 'clip.clipped': 1 })).toEqual({
      preNorm: 3,
      postNorm: 1,
      clipped: true,
    });
    expect(clipTelemetryOf({ 'clip.preNorm': 0.5, 'clip.clipped': 0 })).toEqual({
      preNorm: 0.5,
      postNorm: null,
      clipped: false,
    });
  });
});
