// torch.distributed.rendezvous: an init_method URL to (store, rank, world size), as Python's
// handlers do. env:// reads MASTER_ADDR, MASTER_PORT, RANK and WORLD_SIZE; tcp://host:port and
// file:///path take rank and world_size from the query; rank 0 serves the TCPStore.
import { AssertionError, TorchError, ValueError } from '../errors';
import { FileStore, Store, TCPStore } from './store';
import { DEFAULT_PG_TIMEOUT, Timedelta } from './timeout';

export interface Rendezvous {
  store: Store;
  rank: number;
  worldSize: number;
}
export type RendezvousHandler = (url: URL, query: Map<string, string>, timeout: Timedelta) => Rendezvous;

const handlers = new Map<string, RendezvousHandler>();

/** torch.distributed.rendezvous.register_rendezvous_handler: a handler for `scheme://` URLs. */
export function registerRendezvousHandler(scheme: string, handler: RendezvousHandler): void {
  if (handlers.has(scheme)) throw new TorchError(`Rendezvous handler for ${scheme}:// already registered`);
  handlers.set(scheme, handler);
}

function queryOf(url: URL): Map<string, string> {
  const query = new Map<string, string>();
  for (const pair of url.search.replace(/^\?/, '').split('&').filter(Boolean)) {
    const [key, value] = pair.split('=');
    query.set(key, value);
  }
  return query;
}

/** The store, rank and world size an init_method URL names; rank/worldSize -1: from the URL (or env). */
export function rendezvous(url: string, rank = -1, worldSize = -1, timeout: Timedelta = DEFAULT_PG_TIMEOUT): Rendezvous {
  if (typeof url !== 'string') throw new TorchError(`\`url\` must be a string. ${typeof url}: ${String(url)}`);
  if (!Number.isInteger(rank)) throw new TorchError(`\`rank\` must be an integer. ${rank}`);
  if (!Number.isInteger(worldSize)) throw new TorchError(`\`world_size\` must be an integer. ${worldSize}`);
  const parsed = new URL(url);
  const scheme = parsed.protocol.replace(/:$/, '');
  const query = queryOf(parsed);
  if (rank !== -1 || worldSize !== -1) {
    if (query.has('rank') || query.has('world_size')) {
      throw new AssertionError(`The url: ${url} has node-specific arguments(rank, world_size) already.`);
    }
    if (rank !== -1) query.set('rank', String(rank));
    if (worldSize !== -1) query.set('world_size', String(worldSize));
  }
  const handler = handlers.get(scheme);
  if (handler === undefined) throw new TorchError(`No rendezvous handler for ${scheme}://`);
  return handler(parsed, query, timeout);
}

const rendezvousError = (scheme: string, msg: string) => new ValueError(`Error initializing torch.distributed using ${scheme}:// rendezvous: ${msg}`);

function rankAndSize(scheme: string, query: Map<string, string>): [number, number] {
  if (!query.has('rank')) throw rendezvousError(scheme, 'rank parameter missing');
  if (!query.has('world_size')) throw rendezvousError(scheme, 'world size parameter missing');
  return [Number.parseInt(query.get('rank')!, 10), Number.parseInt(query.get('world_size')!, 10)];
}

/** Python's _create_c10d_store: rank 0 serves (multi-tenant), the others connect. */
function c10dStore(host: string, port: number, rank: number, worldSize: number, timeout: Timedelta): Store {
  if (!(port >= 0 && port < 2 ** 16)) throw new ValueError(`port must have value from 0 to 65535 but was ${port}.`);
  return new TCPStore(host, port, worldSize, rank === 0, timeout, true, true);
}

registerRendezvousHandler('tcp', (url, query, timeout) => {
  if (!url.port) throw rendezvousError('tcp', 'port number missing');
  const [rank, worldSize] = rankAndSize('tcp', query);
  return { store: c10dStore(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port), rank, worldSize, timeout), rank, worldSize };
});

registerRendezvousHandler('env', (_url, query, timeout) => {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw rendezvousError('env', `environment variable ${name} expected, but not set`);
    return value;
  };
  const rank = Number.parseInt(query.get('rank') ?? env('RANK'), 10);
  const worldSize = Number.parseInt(query.get('world_size') ?? env('WORLD_SIZE'), 10);
  const store = c10dStore(env('MASTER_ADDR'), Number.parseInt(env('MASTER_PORT'), 10), rank, worldSize, timeout);
  return { store, rank, worldSize };
});

registerRendezvousHandler('file', (url, query) => {
  const path = decodeURIComponent(url.pathname);
  if (!path) throw rendezvousError('file', 'path missing');
  const [rank, worldSize] = rankAndSize('file', query);
  return { store: new FileStore(path, worldSize), rank, worldSize };
});
