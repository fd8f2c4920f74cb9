// Starting a set of processes that live and fail together: the launcher's ranks and
// multiprocessing.spawn's workers. When one ends badly, the others are stopped (SIGTERM).
import { spawn, ChildProcess } from 'child_process';

export interface ProcessSpec {
  file: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
}

/** One process's exit: its index among the set, and its code (or the signal that ended it). */
export interface ProcessExit {
  index: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export const failedExit = (e: ProcessExit): boolean => e.code !== 0 || e.signal !== null;

/** Starts every process (stdio inherited); resolves with their exits once all have ended. */
export function runTogether(specs: ProcessSpec[]): Promise<ProcessExit[]> {
  const children: ChildProcess[] = [];
  let failed = false;
  return Promise.all(
    specs.map((spec, index) => {
      const child = spawn(spec.file, spec.argv, { env: spec.env, stdio: 'inherit' });
      children.push(child);
      return new Promise<ProcessExit>((resolve) => {
        const done = (code: number | null, signal: NodeJS.Signals | null) => {
          const exit = { index, code, signal };
          if (failedExit(exit) && !failed) {
            failed = true;
            for (const other of children) if (other !== child && other.exitCode === null && other.signalCode === null) other.kill('SIGTERM');
          }
          resolve(exit);
        };
        child.once('exit', done);
        child.once('error', () => done(127, null));
      });
    }),
  );
}
