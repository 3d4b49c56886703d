import './styles.css';
import { Playground } from './app/playground.js';
import { registerPlaygroundBackends } from './backends/register.js';

registerPlaygroundBackends();
const playground = new Playground();
playground.start().catch((e: unknown) => {
  // The page cannot work without this: say so on the page itself, not only in the console.
  const box = document.getElementById('messages');
  if (box)
    box.textContent = `The playground could not start: ${e instanceof Error ? e.message : String(e)}`;
  throw e;
});
