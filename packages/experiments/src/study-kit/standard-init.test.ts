import { describe, expect, it } from 'vitest';
import { standardUniformInit } from './standard-init.js';

describe('standardUniformInit', () => {
  it('gives each dense layer the limit 1/sqrt(fan-in), the output layer included', () => {
    expect(standardUniformInit(784, [100, 25])).toEqual([
      { kind: 'uniform', limit: 1 / 28 },
      { kind: 'uniform', limit: 0.1 },
      { kind: 'uniform', limit: 0.2 },
    ]);
  });
});
