// `node --conditions=@gradlab/source --import ./test-ts-register.mjs child.ts`
import { register } from 'node:module';

register('./test-ts-hooks.mjs', import.meta.url);
