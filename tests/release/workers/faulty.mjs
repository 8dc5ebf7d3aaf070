// A pool worker for the pool's own tests that fails on the tasks that say so: `{ fault: 'hang' }`
// never ends, `'crash'` exits the thread, `'oom'` allocates until the heap limit stops it. Every
// other task is answered with its number and the worker's. It says when it starts each task,
// and sends as checkpoint the tasks it has answered so far, as the parse workers do.
import { parentPort, workerData } from 'node:worker_threads';

const answered = [];
const hoard = [];

parentPort.on('message', (tasks) => {
  const results = [];
  for (const task of tasks) {
    parentPort.postMessage({ started: true });
    if (task.fault === 'hang') for (;;);
    if (task.fault === 'crash') process.exit(7);
    if (task.fault === 'oom') for (;;) hoard.push(new Array(100_000).fill({ task }));
    results.push({ task: task.n, worker: workerData.worker });
  }
  answered.push(...results.map((r) => r.task));
  parentPort.postMessage({ results, checkpoint: [...answered] });
});
