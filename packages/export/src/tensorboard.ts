import { type FileHandle, open } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { MetricsRow } from '@gradlab/core';
import { encodeEvent, FILE_VERSION } from './event-proto.js';
import { stepScalars } from './step-scalars.js';
import { frameRecord } from './tfrecord.js';

/** TensorBoard finds event files by this prefix; the time and host keep two writers apart. */
export function eventFileName(wallTimeSeconds: number, host = hostname()): string {
  return `events.out.tfevents.${Math.floor(wallTimeSeconds)}.${host}`;
}

export interface TensorBoardWriter {
  readonly path: string;
  /** Appends one step's scalars as one Event. */
  writeRow(row: MetricsRow, wallTimeSeconds?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * An event file in `dir` (which must exist), opened for appending: the file_version event
 * first, then one Event per step. Each record is written whole, so TensorBoard can read the
 * file while training still adds to it (the callback writes as it measures).
 */
export async function openTensorBoardWriter(
  dir: string,
  wallTimeSeconds = Date.now() / 1000,
): Promise<TensorBoardWriter> {
  const path = join(dir, eventFileName(wallTimeSeconds));
  let file: FileHandle | null = await open(path, 'wx');
  await file.write(
    frameRecord(encodeEvent({ wallTime: wallTimeSeconds, step: 0, fileVersion: FILE_VERSION })),
  );
  return {
    path,
    async writeRow(row, wallTime = Date.now() / 1000) {
      if (!file) throw new Error(`${path} is closed`);
      const value = stepScalars(row).map((s) => ({ tag: s.tag, simpleValue: s.value }));
      await file.write(frameRecord(encodeEvent({ wallTime, step: row.step, summary: { value } })));
    },
    async close() {
      await file?.close();
      file = null;
    },
  };
}
