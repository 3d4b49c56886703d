import { describe, expect, test } from 'vitest';
import { unavailableNote } from './backend-panel.js';

describe('the note beside a backend this browser cannot run', () => {
  test('says the reason, then the hint as a sentence of its own, capitalised', () => {
    expect(
      unavailableNote(
        'navigator.gpu is missing',
        'open the page in a browser with WebGPU, or start Chrome with --enable-unsafe-webgpu',
      ),
    ).toBe(
      'unavailable: navigator.gpu is missing. Open the page in a browser with WebGPU, or start Chrome with --enable-unsafe-webgpu.',
    );
  });

  test('one full stop each, whether or not the probe wrote it', () => {
    expect(unavailableNote('no WebGL context.', 'turn hardware acceleration on.')).toBe(
      'unavailable: no WebGL context. Turn hardware acceleration on.',
    );
  });

  test('no hint: the reason alone', () => {
    expect(unavailableNote('not built in', ' ')).toBe('unavailable: not built in.');
  });
});
