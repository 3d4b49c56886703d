import type { BackendAdapter } from '@gradlab/core';
import type { KitContext } from '../context.js';
import type { RegisterTest } from './register.js';

/** What each group of conformance tests is given to register its tests with. */
export interface GroupContext {
  readonly register: RegisterTest;
  readonly ctx: KitContext;
  readonly adapter: BackendAdapter;
}
