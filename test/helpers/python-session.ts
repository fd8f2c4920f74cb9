// runPython's twin that keeps ONE Python process for the whole test file: importing torch costs
// about a CPU second, paid once instead of once per snippet. Each snippet still runs as if in a
// fresh `python3 -c` (see python_session.py); the process ends after the file's last test.
// Synchronous like runPython: requests and replies go through two FIFOs read with blocking reads.
import { execFileSync, spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { oraclePython, PRELUDE } from './python';

interface Session {
  child: ChildProcess;
  requests: number;
  replies: number;
  log: string;
  exited: Promise<void>;
}

let session: Session | undefined;

/** Blocks this thread for `ms` (no event loop turn: callers are synchronous). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function start(): Session {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-py-'));
  const [requestPath, replyPath, log] = ['requests', 'replies', 'log'].map((n) => path.join(dir, n));
  execFileSync('mkfifo', [requestPath, replyPath]);
  const logFd = fs.openSync(log, 'w');
  const child = spawn(oraclePython(), [path.join(__dirname, 'python_session.py'), requestPath, replyPath, PRELUDE], { stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // Opening a FIFO blocks until the other end opens it: poll without blocking, so that a Python
  // that dies while starting is an error, not a hang.
  let probe = -1;
  for (const deadline = Date.now() + 120_000; probe < 0; pause(20)) {
    try {
      probe = fs.openSync(requestPath, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
      if (Date.now() > deadline) throw new Error(`Python session did not start:\n${fs.readFileSync(log, 'utf8')}`);
    }
  }
  const requests = fs.openSync(requestPath, 'w'); // a blocking twin, now that Python reads
  fs.closeSync(probe);
  const replies = fs.openSync(replyPath, 'r');
  return { child, requests, replies, log, exited };
}

function readExact(fd: number, n: number): Buffer | null {
  const buf = Buffer.alloc(n);
  for (let got = 0; got < n; ) {
    const r = fs.readSync(fd, buf, got, n - got, null);
    if (r === 0) return null;
    got += r;
  }
  return buf;
}

/**
 * Like runPython (same prelude: torch, json, err(f), one thread): runs `code`, which must assign
 * a JSON-serialisable value to `result`, and returns it; a Python exception throws its traceback.
 */
export function runPythonShared<T = unknown>(code: string): T {
  session ??= start();
  const body = Buffer.from(code, 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length);
  const request = Buffer.concat([head, body]);
  for (let sent = 0; sent < request.length; ) sent += fs.writeSync(session.requests, request, sent);
  const replyHead = readExact(session.replies, 4);
  const reply = replyHead && readExact(session.replies, replyHead.readUInt32LE());
  if (!reply) {
    const log = fs.readFileSync(session.log, 'utf8');
    closeSharedPython();
    throw new Error(`The Python session died:\n${log}`);
  }
  const { ok, error } = JSON.parse(reply.toString('utf8')) as { ok?: string; error?: string };
  if (error !== undefined) throw new Error(`Python failed:\n${error}`);
  return JSON.parse(ok!) as T;
}

/** Ends the session (its process exits on end of input); resolves once it has exited. */
export function closeSharedPython(): Promise<void> {
  if (!session) return Promise.resolve();
  const { requests, replies, log, exited } = session;
  session = undefined;
  fs.closeSync(requests);
  fs.closeSync(replies);
  return exited.then(() => fs.rmSync(path.dirname(log), { recursive: true, force: true }));
}

// Every test file that imports this ends its session after its last test.
if (typeof afterAll === 'function') afterAll(() => closeSharedPython());
