#!/usr/bin/env node
// torchrun for Node (torch.distributed.run without the elastic agent): starts nprocPerNode
// processes of a script on this node with the environment env:// rendezvous reads (RANK,
// LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT), so the script calls
// initProcessGroup('gloo') with nothing else. The global rank 0 serves the TCPStore. When one
// process fails, the others are stopped and the launcher exits with the failure's code.
// CLI: torchrun-node [--nnodes N --node-rank K --master-addr A --master-port P] --nproc-per-node N script.js [args]
import { parseArgs } from 'util';
import { ValueError } from '../errors';
import { freePort } from './free-port';
import { ProcessSpec, runTogether } from '../multiprocessing/processes';

export interface LaunchOptions {
  /** the script (a .js file run with this node; with noNode, the program to run) */
  script: string;
  args?: string[];
  nprocPerNode?: number;
  nnodes?: number;
  nodeRank?: number;
  masterAddr?: string;
  masterPort?: number;
  /** run `script` as a program of its own, not with node (torchrun's --no-python) */
  noNode?: boolean;
  /** extra environment for every process */
  env?: NodeJS.ProcessEnv;
}

/** One process's exit: its global rank, and its code (or the signal that ended it). */
export interface RankExit {
  rank: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Starts the processes; resolves with their exits once all have ended (after a failure, the others are stopped). */
export async function launch(options: LaunchOptions): Promise<RankExit[]> {
  const nproc = options.nprocPerNode ?? 1;
  const nnodes = options.nnodes ?? 1;
  const nodeRank = options.nodeRank ?? 0;
  if (!Number.isInteger(nproc) || nproc < 1) throw new ValueError(`nproc_per_node must be a positive integer, got ${nproc}`);
  if (!Number.isInteger(nodeRank) || nodeRank < 0 || nodeRank >= nnodes) throw new ValueError(`node_rank ${nodeRank} is not in [0, ${nnodes})`);
  const world = nproc * nnodes;
  const specs: ProcessSpec[] = Array.from({ length: nproc }, (_, local) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // torchrun's default: one thread per process unless told otherwise, so processes don't oversubscribe the cores
      ...(nproc > 1 && process.env.OMP_NUM_THREADS === undefined ? { OMP_NUM_THREADS: '1' } : {}),
      ...options.env,
      RANK: String(nodeRank * nproc + local),
      LOCAL_RANK: String(local),
      GROUP_RANK: String(nodeRank),
      WORLD_SIZE: String(world),
      LOCAL_WORLD_SIZE: String(nproc),
      MASTER_ADDR: options.masterAddr ?? '127.0.0.1',
      MASTER_PORT: String(options.masterPort ?? 29500),
    };
    const args = options.args ?? [];
    return options.noNode ? { file: options.script, argv: args, env } : { file: process.execPath, argv: [options.script, ...args], env };
  });
  const exits = await runTogether(specs);
  return exits.map((e) => ({ rank: nodeRank * nproc + e.index, code: e.code, signal: e.signal }));
}

const USAGE = `Usage: torchrun-node [options] script.js [script args...]
Starts --nproc-per-node processes of the script with torch.distributed's env:// variables set.
  --nproc-per-node N   processes on this node (default 1)
  --nnodes N           nodes (default 1)
  --node-rank K        this node's index (default 0)
  --master-addr A      address of the node of rank 0 (default 127.0.0.1)
  --master-port P      its TCPStore port (default 29500)
  --standalone         one node, a free port picked by the OS for the store
  --no-node            run the script as a program itself (e.g. python3 train.py), not with node`;

/** The command line: parses torchrun's options (dashes or underscores), launches, exits with the first failure's code. */
export async function main(argv: string[]): Promise<number> {
  // Our options come first, up to the script: `--nproc_per_node=2` and `--nproc-per-node 2` alike.
  let split = 0;
  while (split < argv.length && argv[split].startsWith('-')) split += VALUED.has(argv[split].replace(/_/g, '-')) ? 2 : 1;
  const ours = argv.slice(0, split).map((a) => a.replace(/^(--[^=]*)/, (name) => name.replace(/_/g, '-')));
  const { values } = parseArgs({
    args: ours,
    options: {
      'nproc-per-node': { type: 'string' }, nnodes: { type: 'string' }, 'node-rank': { type: 'string' },
      'master-addr': { type: 'string' }, 'master-port': { type: 'string' }, standalone: { type: 'boolean' },
      'no-node': { type: 'boolean' }, help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help || split >= argv.length) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const port = values.standalone ? await freePort() : Number(values['master-port'] ?? 29500);
  const exits = await launch({
    script: argv[split],
    args: argv.slice(split + 1),
    nprocPerNode: Number(values['nproc-per-node'] ?? 1),
    nnodes: values.standalone ? 1 : Number(values.nnodes ?? 1),
    nodeRank: Number(values['node-rank'] ?? 0),
    masterAddr: values['master-addr'],
    masterPort: port,
    noNode: values['no-node'],
  });
  const failures = exits.filter((e) => e.code !== 0 || e.signal !== null);
  for (const f of failures) console.error(`torchrun-node: rank ${f.rank} ${f.signal ? `was stopped by ${f.signal}` : `exited with code ${f.code}`}`);
  // The root cause: a rank that exited by itself, not one the launcher stopped.
  const cause = failures.find((f) => f.signal === null) ?? failures[0];
  return cause === undefined ? 0 : (cause.code ?? 1);
}

/** The options that take a value as the next argument. */
const VALUED = new Set(['--nproc-per-node', '--nnodes', '--node-rank', '--master-addr', '--master-port']);

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`torchrun-node: ${(e as Error).message}`);
      process.exit(2);
    },
  );
}
