// Build step: writes dist/experiment.schema.json, exported as "@gradlab/core/schema.json".
import { writeFileSync } from 'node:fs';
import { experimentJsonSchema } from '../spec/json-schema.js';

const target = new URL('../experiment.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`);
