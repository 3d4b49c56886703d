import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { useCpu } from '@gradlab/testkit/helpers';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

/**
 * Runs every ```ts block of the package README for real: each is written to a temporary module
 * beside this file and imported. `console.log(x); // expected` lines become checks that x equals
 * the expected value (JSON, numbers within 1e-6), and no block may leave a tensor behind.
 */

const src = fileURLToPath(new URL('./', import.meta.url));
const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);

interface Harness {
  check(expected: string, ...args: unknown[]): void;
  log(...args: unknown[]): void;
  checked: number;
}
const harness: Harness = {
  checked: 0,
  check(expected, ...args) {
    harness.checked += 1;
    let value: unknown;
    try {
      value = JSON.parse(expected);
    } catch {
      expect(format(...args)).toBe(expected);
      return;
    }
    expect(args).toHaveLength(1);
    expectApprox(args[0], value, expected);
  },
  log() {},
};
(globalThis as { __readme?: Harness }).__readme = harness;

function expectApprox(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, where).toBe('number');
    const ok = Math.abs((actual as number) - expected) <= 1e-6 * Math.abs(expected) + 1e-7;
    if (!ok) expect.fail(`README: expected ${actual} to be ${where}`);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), where).toBe(true);
    expect((actual as unknown[]).length, where).toBe(expected.length);
    expected.forEach((e, i) => {
      expectApprox((actual as unknown[])[i], e, where);
    });
  } else if (expected !== null && typeof expected === 'object') {
    expect(Object.keys(actual as object).sort(), where).toEqual(Object.keys(expected).sort());
    for (const [k, e] of Object.entries(expected)) {
      expectApprox((actual as Record<string, unknown>)[k], e, where);
    }
  } else {
    expect(actual, where).toEqual(expected);
  }
}

/** The block as a module: console.log lines become checks, and imports resolve. */
function instrument(code: string, selfReference: boolean): { code: string; checks: number } {
  let checks = 0;
  const lines = code.split('\n').map((line) => {
    const m = /^(\s*)console\.log\((.*)\);\s*\/\/\s*(.+)$/.exec(line);
    if (m) {
      checks += 1;
      return `${m[1]}__readme.check(${JSON.stringify((m[3] as string).trim())}, ${m[2]});`;
    }
    return line.replace(/console\.log\(/g, '__readme.log(');
  });
  let out = `const __readme = (globalThis as any).__readme;\n${lines.join('\n')}\nexport {};\n`;
  if (!selfReference) out = out.replace(/from '@gradlab\/mitigations'/g, "from './index.js'");
  return { code: out, checks };
}

let selfReference = false;
const temporary: string[] = [];

beforeAll(async () => {
  await useCpu();
  try {
    await import('@gradlab/mitigations');
    selfReference = true;
  } catch {
    selfReference = false; // the package's own name does not resolve here: import the source
  }
});

afterEach(() => {
  for (const f of temporary.splice(0)) rmSync(f, { force: true });
});

describe('README', () => {
  it('has a ts example for every standalone function and for applyMitigations', () => {
    for (const name of [
      'clipGradsByGlobalNorm(',
      'clipGradsByValue(',
      'clipGradsByNorm(',
      'clipGradsByGlobalNormChecked(',
      'createLrScheduler(',
      'weightPenalty(',
      'clipWeights(',
      'applyMitigations(',
    ]) {
      expect(
        blocks.some((b) => b.includes(name)),
        name,
      ).toBe(true);
    }
  });

  blocks.forEach((block, i) => {
    const title = block.split('\n').find((l) => l.startsWith('import {')) ?? `block ${i + 1}`;
    it(`block ${i + 1} runs, says what it prints, and leaks no tensor (${title})`, async () => {
      const { code, checks } = instrument(block, selfReference);
      const file = `${src}readme-block-${i + 1}-${randomBytes(4).toString('hex')}.tmp.ts`;
      temporary.push(file);
      writeFileSync(file, code);
      const before = tf.memory().numTensors;
      const checkedBefore = harness.checked;
      await import(/* @vite-ignore */ file);
      expect(harness.checked - checkedBefore).toBe(checks);
      expect(tf.memory().numTensors, 'tensors left behind by the block').toBe(before);
    });
  });
});
