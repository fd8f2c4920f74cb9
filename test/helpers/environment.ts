// The jest environment of every test file: jest's own node environment, plus a prompt exit for the
// worker process that runs the files.
//
// Why: when a run ends, jest stops listening to each worker and gives it 500 ms to exit
// (jest-worker's FORCE_EXIT_DELAY) before killing it with "A worker process has failed to exit
// gracefully". Nothing of ours stays open: the event loop drains at once. But a process that loaded
// libtorch then spends its exit tearing down: V8 frees a heap of a few hundred MB, and libtorch's
// static destructors unregister every operator kernel from the dispatcher, rebuilding that
// operator's dispatch table each time. That is ~150 ms of CPU, and 300-600 ms of wall time when two
// workers exit together on a busy 2-core machine. A worker whose event loop has drained has nothing
// left to do, so it ends there, skipping the teardown. `beforeExit` fires only once the loop has
// drained: a handle that a test leaks still keeps the worker alive and still gets jest's warning.
import { TestEnvironment } from 'jest-environment-node';

const installed = Symbol.for('torch-node.test.promptWorkerExit');
const host = process as NodeJS.Process & { [installed]?: true };
const isJestWorker = /jest-worker[\\/].*processChild\.js$/.test(process.argv[1] ?? '');

if (isJestWorker && !host[installed]) {
  host[installed] = true;
  process.once('beforeExit', (code) => {
    // SIGKILL rather than exit(): exit() still runs the static destructors. jest-worker takes a
    // signal after its end message as a finished worker; a failure code is left to a normal exit.
    if (code === 0) process.kill(process.pid, 'SIGKILL');
  });
}

export default TestEnvironment;
