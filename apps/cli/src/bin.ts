#!/usr/bin/env node
import { main } from './main.js';

// A reader that goes away (`gradlab sweep --json | head -1`) must not crash the command with an
// EPIPE stack trace: the work goes on and its records are written; output nobody reads is
// dropped.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}

process.exitCode = await main(process.argv);
