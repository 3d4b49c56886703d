/**
 * The setup module of `gradlab sweep`'s worker processes: importing it registers the backends
 * the command knows, exactly as the command's own process did when it checked the sweep, so a
 * backend the check accepted is there when a cell asks for it.
 */
import { registerKnownBackends } from './backends.js';

await registerKnownBackends();
