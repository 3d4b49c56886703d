import { describe, expect, test } from 'vitest';
import { linkBackends } from './link-backends.js';

const browser = {
  available: (name: string) => name === 'cpu' || name === 'wasm',
  reasonUnavailable: (name: string) => `no ${name} here`,
};

describe('the backends a link asks for', () => {
  test('runnable ones are kept, without a word', () => {
    expect(linkBackends({ backend: 'wasm', compareWith: 'cpu' }, 'cpu', browser)).toEqual({
      backend: 'wasm',
      compareWith: 'cpu',
      refusals: [],
    });
    expect(linkBackends({ backend: 'wasm', compareWith: null }, 'cpu', browser).refusals).toEqual(
      [],
    );
  });

  test('an unavailable main backend falls back, and says so', () => {
    expect(linkBackends({ backend: 'webgpu', compareWith: null }, 'cpu', browser)).toEqual({
      backend: 'cpu',
      compareWith: null,
      refusals: [
        'The link asks for the webgpu backend, which this browser cannot run (no webgpu here); running on cpu instead.',
      ],
    });
  });

  test('an unavailable second backend is left out, and says so too', () => {
    expect(linkBackends({ backend: 'webgpu', compareWith: 'webgl' }, 'wasm', browser)).toEqual({
      backend: 'wasm',
      compareWith: null,
      refusals: [
        'The link asks for the webgpu backend, which this browser cannot run (no webgpu here); running on wasm instead.',
        'The link asks to compare with the webgl backend, which this browser cannot run (no webgl here); running on wasm alone.',
      ],
    });
  });
});
