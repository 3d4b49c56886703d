/**
 * @gradlab/sweep/queue: sweeps across machines on a BullMQ queue in Redis. The sweep's process
 * queues its cells and writes every record (runQueue, runSweepOnQueue); `gradlab worker`s on
 * any machine run them (startWorker) and send each record back through Redis, so no
 * filesystem is shared. See docs/sweeps.md, "Across machines (Redis)".
 */
export { checkQueueBackends } from './backends.js';
export { parseRedisUrl, type RedisTarget, redisOptions } from './connection.js';
export {
  type CellJobData,
  type CellJobResult,
  cellQueueName,
  JOB_VERSION,
  QUEUE_PREFIX,
} from './jobs.js';
export {
  type QueueOutcome,
  type QueueSweepOptions,
  type QueueSweepResult,
  runSweepOnQueue,
} from './producer.js';
export { type QueueOptions, runQueue } from './run-queue.js';
export {
  type RunningWorker,
  type StartWorkerOptions,
  type StopMode,
  startWorker,
  type WorkerEvent,
} from './worker.js';
