// c10d stores shared by Node and Python: a Node TCPStore server with a Python client, a Python
// server with a Node client, one FileStore used by both, and PrefixStore keys as the other side
// sees them. The protocol (distributed_programs_extra.store_*) is run with both sides in Python
// for the oracle; every value and error each side sees must equal it.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import type { Store } from '../lib/distributed';
import { errorLine, freePort } from './helpers/distributed';
import { oraclePython } from './helpers/python';
import { runPythonShared as runPython } from './helpers/python-session';

const dist = torch.distributed;
jest.setTimeout(120_000);

type Results = Record<string, unknown>;
const HELPERS = path.join(__dirname, 'helpers');
const IMPORT = `import sys\nsys.path.insert(0, ${JSON.stringify(HELPERS)})\nfrom distributed_programs_extra import *\n`;

const text = (b: Buffer): string => b.toString('utf8');

/** store_server_before, for a Node server. */
function serverBefore(store: Store): void {
  store.set('from_server', 'server value');
  store.set('binary', Uint8Array.from([0, 255, 10, 13]));
  store.add('counter', 2);
  store.set('cas', 'v1');
  store.set('to_delete', 'x');
  new dist.PrefixStore('scope', store).set('inner', 'scoped');
  store.set('ready', '1');
}

/** store_client, for a Node client. */
function client(store: Store): Results {
  const out: Results = {};
  store.wait(['ready']);
  out.get = [text(store.get('from_server')), [...store.get('binary')]];
  out.add = store.add('counter', 5);
  out.compare_set = [text(store.compareSet('cas', 'wrong', 'x')), text(store.compareSet('cas', 'v1', 'v2')), text(store.compareSet('cas_new', '', 'fresh'))];
  out.delete = [store.deleteKey('to_delete'), store.deleteKey('absent')];
  out.num_keys = store.numKeys();
  out.prefix = [text(store.get('scope/inner')), text(new dist.PrefixStore('scope', store).get('inner'))];
  new dist.PrefixStore('scope2', store).set('x', 'from client');
  store.set('from_client', 'h\u00e9llo');
  out.wait_timeout = errorLine(() => store.wait(['absent'], 0.3));
  store.setTimeout({ milliseconds: 300 });
  out.get_timeout = errorLine(() => store.get('absent'));
  store.setTimeout(60);
  store.set('client_done', '1');
  return out;
}

/** store_server_after, for a Node server. */
function serverAfter(store: Store): Results {
  return {
    from_client: text(store.get('from_client')), counter: store.add('counter', 0),
    cas: [text(store.get('cas')), text(store.get('cas_new'))], prefix: text(store.get('scope2/x')),
    deleted: errorLine(() => store.wait(['to_delete'], 0.2)), num_keys: store.numKeys(),
  };
}

/** A Python program run beside this process (runPython would block it); resolves with its `result`. */
function pythonBeside<T>(code: string): Promise<T> {
  const child = spawn(oraclePython(), ['-c', `${IMPORT}import json\n${code}\nprint(json.dumps(result))\n`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<T>((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split('\n').pop()!) as T) : reject(new Error(`Python failed (${code}):\n${stderr}`))));
  });
  done.catch(() => undefined);
  return done;
}

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'tn-store-'));

describe('torch.distributed stores shared by Node and Python', () => {
  if (!dist.isAvailable()) {
    test.skip('torch.distributed is not in this build', () => undefined);
    return;
  }

  let tcpOracle: Results;
  beforeAll(async () => {
    tcpOracle = runPython<Results>(`${IMPORT}result = store_oracle('tcp', ${await freePort()})`);
  });

  test('a Node TCPStore server with a Python client; get past the timeout is a TorchError', async () => {
    const port = await freePort();
    const server = new dist.TCPStore('127.0.0.1', port, null, true, 60, false);
    expect(server.port).toBe(port);
    serverBefore(server);
    // the server answers from its own thread while runPython blocks this one (the client store is
    // freed as the snippet returns, as a process's would be at its exit)
    const fromPython = runPython<Results>(`${IMPORT}result = store_client(tcp_store(${port}, False))`);
    expect({ client: fromPython, after: serverAfter(server) }).toEqual(tcpOracle);
    server.setTimeout(0.2);
    expect(() => server.get('absent')).toThrow(torch.TorchError);
    expect(() => server.get('absent')).toThrow(/^Socket Timeout$/);
  });

  test('a Python TCPStore server with a Node client', async () => {
    const port = await freePort();
    const python = pythonBeside<Results>(`result = store_server(${port})`);
    const store = new dist.TCPStore('127.0.0.1', port, null, false, 60);
    const mine = client(store);
    expect({ client: mine, after: await python }).toEqual(tcpOracle);
  });

  test('one FileStore used by Node and Python', () => {
    const oracle = runPython<Results>(`${IMPORT}result = store_oracle('file', ${JSON.stringify(path.join(tmp(), 'store'))})`);
    const file = path.join(tmp(), 'store');
    const store = new dist.FileStore(file, 2);
    serverBefore(store);
    const fromPython = runPython<Results>(`${IMPORT}result = store_client(dist.FileStore(${JSON.stringify(file)}, 2))`);
    expect({ client: fromPython, after: serverAfter(store) }).toEqual(oracle);
  });
});
