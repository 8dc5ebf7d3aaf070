// A pool worker for the pool's own tests: answers each batch of numbers with the numbers and
// the worker that saw them, after a random short delay so batches finish out of order.
import { parentPort, workerData } from 'node:worker_threads';

parentPort.on('message', (tasks) => {
  const delay = tasks.length && workerData.jitter ? Math.floor(Math.random() * workerData.jitter) : 0;
  setTimeout(() => parentPort.postMessage(tasks.map((task) => ({ task, worker: workerData.worker }))), delay);
});
