import { z } from 'zod';
import { ExperimentSpec } from './schema.js';

/** JSON Schema of the spec as a user writes it (defaults optional), for editors and other tools. */
export function experimentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ExperimentSpec, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://gradlab.dev/schema/experiment-1.json',
    title: 'gradlab experiment spec, version 1',
  };
}
