// A sweep worker for the queue tests, on the built package: `node worker.mjs '<options JSON>'`.
// It prints its events as JSON lines; SIGTERM finishes the cells in flight, SIGINT releases them.
import { startWorker } from '../../../dist/queue/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const worker = await startWorker({
  setup: new URL('./cpu-setup.mjs', import.meta.url).href,
  backends: ['cpu'],
  ...options,
  onEvent: (e) => print({ ...e, cell: e.cell?.id }),
});
process.on('SIGTERM', () => worker.stop('finish'));
process.on('SIGINT', () => worker.stop('release'));
print({ type: 'ready', name: worker.name, queues: worker.queues });
await worker.closed;
print({ type: 'closed' });
