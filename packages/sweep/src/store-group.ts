import { GradlabError } from '@gradlab/core';
import type { Cell } from './expand.js';
import type { SweepStore } from './store.js';

/**
 * Several sweep directories served as one: their pending cells form one queue, so one pool of
 * workers (or one Redis queue) runs them all without idling at the end of each directory
 * (`gradlab verify all` keeps a directory per study). Each cell's outcome goes to the
 * directories that hold it; the same experiment in two of them runs once and is written to both.
 */
export function groupStores(stores: readonly SweepStore[]): SweepStore {
  if (stores.length === 0) {
    throw new GradlabError('INVALID_ARGUMENT', 'groupStores needs at least one sweep store');
  }
  const owners = new Map<string, SweepStore[]>();
  const pending: Cell[] = [];
  for (const store of stores) {
    for (const cell of store.pending) {
      const list = owners.get(cell.id);
      if (list) list.push(store);
      else {
        owners.set(cell.id, [store]);
        pending.push(cell);
      }
    }
  }
  const ownersOf = (cell: Cell): SweepStore[] => {
    const list = owners.get(cell.id);
    if (!list) {
      throw new GradlabError(
        'INVALID_ARGUMENT',
        `cell ${cell.id} is pending in no store of the group`,
      );
    }
    return list;
  };
  const all = async <T>(cell: Cell, f: (s: SweepStore) => Promise<T>): Promise<T> => {
    const results = await Promise.all(ownersOf(cell).map(f));
    return results[0] as T;
  };
  return {
    dir: stores[0]?.dir as string,
    pending,
    kept: stores.reduce((n, s) => n + s.kept, 0),
    keptCells: stores.flatMap((s) => s.keptCells),
    entries: () => stores.flatMap((s) => s.entries()),
    start: (cell) => all(cell, (s) => s.start(cell)),
    finish: (cell, bundle, files) => all(cell, (s) => s.finish(cell, bundle, files)),
    fail: (cell, error) => all(cell, (s) => s.fail(cell, error)),
    release: (cell) => all(cell, (s) => s.release(cell)),
    flush: async () => {
      await Promise.all(stores.map((s) => s.flush()));
    },
  };
}
