// The addon loads and works in several worker_threads at once (per-environment state).
import * as path from 'path';
import { Worker } from 'worker_threads';
import * as torch from '../lib';

const LIB = path.join(__dirname, '..', 'dist', 'lib');

function runWorker(seed: number): Promise<{ sum: number; error: string; live: number }> {
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const torch = require(workerData.lib);
    let sum = 0;
    for (let i = 0; i < 200; i++) sum += torch.arange(4096).float().view(64, 64).div(i + workerData.seed).matmul(torch.ones(64, 1)).sum().item();
    let error = '';
    try { torch.ones(2).add(torch.ones(3)); } catch (e) { error = e.constructor.name + ': ' + e.message; }
    parentPort.postMessage({ sum, error, live: torch.memory().liveTensors });
  `;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { lib: LIB, seed } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

test('two workers compute at once, each with its own TorchError class and memory accounting', async () => {
  const [a, b] = await Promise.all([runWorker(1), runWorker(2)]);
  // The same computation on the main thread gives the same numbers.
  const expected = (seed: number) => {
    let sum = 0;
    for (let i = 0; i < 200; i++) {
      sum += torch.arange(4096).float().view(64, 64).div(i + seed).matmul(torch.ones(64, 1)).sum().item() as number;
    }
    return sum;
  };
  expect(a.sum).toBe(expected(1));
  expect(b.sum).toBe(expected(2));
  expect(a.error).toMatch(/^TorchError: The size of tensor a \(2\) must match/);
  expect(b.error).toMatch(/^TorchError: /);
});

test('workers can start and stop repeatedly without leaking or crashing', async () => {
  for (let i = 0; i < 4; i++) await runWorker(i);
  expect(torch.ones(1).add(1).item()).toBe(2);
});

test('a worker that ends frees the tensors it still holds', async () => {
  // V8 runs no weak callbacks when a worker's isolate goes away; the addon frees what is left then.
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const torch = require(workerData.lib);
    const held = [];
    for (let i = 0; i < 20; i++) held.push(torch.ones(1024, 1024));  // 80 MB, alive at exit
    parentPort.postMessage(held.length);
  `;
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 10; i++) {
    const w = new Worker(code, { eval: true, workerData: { lib: LIB } });
    // Both listeners first: a worker that ends before this thread reads its message gets 'message'
    // and 'exit' emitted in one go, and an 'exit' listener added after the message missed it (the
    // test then hung to its timeout on loaded machines).
    const exited = new Promise((r) => w.once('exit', r));
    await new Promise((r) => w.once('message', r));
    await exited;
  }
  // 800 MB if nothing were freed; each worker's own heap and the allocator's caches stay well under.
  expect(process.memoryUsage().rss - before).toBeLessThan(400e6);
});

test('terminating workers in the middle of native ops and errors never aborts the process', async () => {
  const code = `
    const { parentPort, workerData } = require('worker_threads');
    const torch = require(workerData.lib);
    parentPort.postMessage('ready');
    const a = torch.randn(128, 128);
    for (;;) {
      a.matmul(a).relu().sum();
      try { torch.ones(2).add(torch.ones(3)); } catch (e) { /* TorchError while terminating */ }
    }
  `;
  for (let i = 0; i < 12; i++) {
    const w = new Worker(code, { eval: true, workerData: { lib: LIB } });
    await new Promise((r) => w.once('message', r));
    await new Promise((r) => setTimeout(r, 5 + (i % 4) * 7));
    await w.terminate();
  }
  expect(torch.ones(1).add(1).item()).toBe(2); // still alive
});
