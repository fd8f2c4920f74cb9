// Test worlds kept for a whole test file: the Python ranks start once (importing torch costs about
// a CPU second each) and run one program after another, each in a fresh default gloo group, where
// helpers/distributed.ts starts new processes for every world. Programs and results are those of
// distributed.ts: functions of distributed_programs*.py called with (rank, world, **args).
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import * as dist from '../../lib/distributed';
import { oraclePython } from './python';

const POLL_MS = 10;
const RESULT_TIMEOUT_MS = 150_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ranks `firstRank`.. of `size` ranks in Python, served by a TCPStore of this process. */
class Session {
  private readonly store = new dist.TCPStore('127.0.0.1', 0, null, true, 60, false);
  private readonly ranks: { child: ChildProcess; stderr: string; exit: number | null }[];
  private nextCase = 0;
  // Node's finished groups, kept until the end: collecting one would close sockets a Python rank may still read
  private readonly groups: unknown[] = [];

  constructor(readonly firstRank: number, readonly size: number) {
    const script = path.join(__dirname, 'distributed_session.py');
    this.ranks = Array.from({ length: size - firstRank }, (_, i) => {
      const child = spawn(oraclePython(), [script, String(firstRank + i), String(this.store.port)], { stdio: ['ignore', 'ignore', 'pipe'] });
      const rank = { child, stderr: '', exit: null as number | null };
      child.stderr!.on('data', (d: Buffer) => (rank.stderr += d.toString()));
      child.on('exit', (code) => (rank.exit = code ?? -1));
      return rank;
    });
  }

  /** Posts `program` for ranks below `world`; returns the case number (its store prefix is `case<n>`). */
  post(program: string, world: number, args: object): number {
    if (world > this.size) throw new Error(`a world of ${world} ranks in a session of ${this.size}`);
    const n = this.nextCase++;
    this.store.set(`cmd/${n}`, JSON.stringify({ program, world, args }));
    return n;
  }

  caseStore(n: number): dist.Store {
    return new dist.PrefixStore(`case${n}`, this.store);
  }

  keep(group: unknown): void {
    this.groups.push(group);
  }

  /** What the Python ranks below `world` returned for case `n`. */
  async results<T>(n: number, program: string, world: number): Promise<T[]> {
    const wanted = Array.from({ length: world - this.firstRank }, (_, i) => i);
    const deadline = Date.now() + RESULT_TIMEOUT_MS;
    for (;;) {
      for (const i of wanted) {
        const rank = this.ranks[i];
        if (rank.exit !== null) throw new Error(`Python rank ${this.firstRank + i} exited (${rank.exit}) before finishing ${program}:\n${rank.stderr}`);
      }
      if (this.store.check(wanted.map((i) => `result/${n}/${this.firstRank + i}`))) break;
      if (Date.now() > deadline) throw new Error(`no result of ${program} from the Python ranks in ${RESULT_TIMEOUT_MS} ms`);
      await sleep(POLL_MS);
    }
    return wanted.map((i) => {
      const reply = JSON.parse(this.store.get(`result/${n}/${this.firstRank + i}`).toString('utf8')) as { ok?: T; error?: string };
      if (reply.error !== undefined) throw new Error(`Python rank ${this.firstRank + i} of ${program} failed:\n${reply.error}`);
      return reply.ok as T;
    });
  }

  async close(): Promise<void> {
    this.store.set(`cmd/${this.nextCase++}`, 'null');
    await Promise.all(this.ranks.map((r) => (r.exit !== null ? undefined : new Promise((resolve) => r.child.on('exit', resolve)))));
    void this.groups;
  }
}

const sessions = new Map<string, Session>();

function session(firstRank: number, size: number): Session {
  const key = `${firstRank}/${size}`;
  let s = sessions.get(key);
  if (!s) sessions.set(key, (s = new Session(firstRank, size)));
  return s;
}

/**
 * runPythonWorld's twin: runs `program` on `world` Python ranks alone; resolves with each rank's
 * result. `size`: the most ranks any world of the file has (the ranks are shared by its worlds).
 */
export async function runPythonWorldShared<T = unknown>(program: string, world: number, args: object = {}, size = world): Promise<T[]> {
  const s = session(0, size);
  const n = s.post(program, world, args);
  return s.results<T>(n, program, world);
}

/**
 * withNodeRank0's twin: this process is rank 0 of `world` (gloo, 60 s timeouts), Python ranks 1..
 * run `program`; `node` runs inside the initialized default group, destroyed after it. `size` as above.
 */
export async function withNodeRank0Shared<R, P = R>(program: string, world: number, node: () => R, args: object = {}, size = world): Promise<[R, P[]]> {
  const s = session(1, size);
  const n = s.post(program, world, args);
  dist.initProcessGroup('gloo', { store: s.caseStore(n), rank: 0, worldSize: world, timeout: 60 });
  s.keep(dist.GroupMember.WORLD);
  let mine: R;
  try {
    mine = node();
  } finally {
    dist.destroyProcessGroup();
  }
  return [mine, await s.results<P>(n, program, world)];
}

/** Ends every session of this file; resolves once their processes have exited. */
export async function closeSessions(): Promise<void> {
  const all = [...sessions.values()];
  sessions.clear();
  await Promise.all(all.map((s) => s.close()));
}

// Every test file that imports this ends its sessions after its last test.
if (typeof afterAll === 'function') afterAll(() => closeSessions());
