import { listBackends } from '@gradlab/core';
import { describe, expect, it } from 'vitest';
import { KNOWN_BACKENDS } from './backend-names.js';
import { registerKnownBackends } from './backends.js';
import { gradlab } from './test-cli.js';

describe('the backends the help names', () => {
  it('are the ones the CLI registers, in the registry order', async () => {
    await registerKnownBackends();
    expect(listBackends().map((b) => b.name)).toEqual([...KNOWN_BACKENDS]);
  });

  it('every --backend help names them all, the same way', () => {
    for (const command of ['run', 'verify', 'compare']) {
      const help = gradlab([command, '--help']).stdout.replace(/\s+/g, ' ');
      expect(help, command).toContain(`${KNOWN_BACKENDS.join(', ')} or auto`);
    }
  });
});
