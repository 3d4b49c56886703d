#!/usr/bin/env node
import { main } from './main.js';

// A reader that goes away (`gradlab sweep --json | head -1`) must not crash the command with an
// EPIPE stack trace: the work goes on and its records are written; output nobody reads is
// dropped. A terminal closed under the command (SIGHUP) answers EIO: the same.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (!['EPIPE', 'EIO', 'ERR_STREAM_DESTROYED'].includes(e.code ?? '')) throw e;
  });
}

process.exitCode = await main(process.argv);
