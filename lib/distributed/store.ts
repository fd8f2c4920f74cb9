// torch.distributed's key-value stores (c10d): the rendezvous every process group starts from.
// Values are bytes (a Buffer); set() also takes a string, as Python's takes str. Every call blocks,
// as Python's do: get() and wait() until the key is there or the store's timeout passes.
import type { StoreHandle } from '../native';
import { Call, signature } from '../keywords';
import { c10d } from './native-c10d';
import { DEFAULT_STORE_TIMEOUT, Timedelta, toMillis } from './timeout';

/** torch.distributed.Store: the methods every store has. */
export class Store {
  /** @internal */
  constructor(readonly _h: StoreHandle) {}

  private call(method: string, ...args: unknown[]): unknown {
    return c10d().storeCall(this._h, method, ...args);
  }
  set(key: string, value: string | Uint8Array): void {
    this.call('set', key, typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  get(key: string): Buffer {
    return this.call('get', key) as Buffer;
  }
  add(key: string, amount: number): number {
    return this.call('add', key, amount) as number;
  }
  /** Sets desired if the key holds expected (or is missing and expected is empty); returns the value now. */
  compareSet(key: string, expected: string | Uint8Array, desired: string | Uint8Array): Buffer {
    const bytes = (v: string | Uint8Array) => (typeof v === 'string' ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    return this.call('compareSet', key, bytes(expected), bytes(desired)) as Buffer;
  }
  /** Blocks until every key is set (or the timeout, by default the store's, passes). */
  wait(keys: string[], timeout?: Timedelta): void {
    this.call('wait', keys, timeout === undefined ? undefined : toMillis(timeout));
  }
  check(keys: string[]): boolean {
    return this.call('check', keys) as boolean;
  }
  deleteKey(key: string): boolean {
    return this.call('deleteKey', key) as boolean;
  }
  numKeys(): number {
    return this.call('numKeys') as number;
  }
  setTimeout(timeout: Timedelta): void {
    this.call('setTimeout', toMillis(timeout));
  }
  /** The store's timeout in seconds. */
  get timeout(): number {
    return (this.call('timeout') as number) / 1000;
  }
}

/** TCPStore's parameters by name: TCPStore(host_name, port, world_size=None, is_master=False, timeout=300 s, wait_for_workers=True, multi_tenant=False). */
export interface TCPStoreArgs {
  hostName: string;
  port: number;
  worldSize?: number | null;
  isMaster?: boolean;
  timeout?: Timedelta;
  waitForWorkers?: boolean;
  multiTenant?: boolean;
}
const TCP_STORE = signature<TCPStoreArgs>()(['hostName', 'port'], ['worldSize', 'isMaster', 'timeout', 'waitForWorkers', 'multiTenant']);

/** A store served over TCP by the process with isMaster (port 0: any free port; read it from .port). */
export class TCPStore extends Store {
  readonly host: string;
  constructor(...args: Call<TCPStoreArgs, ['hostName', 'port'], ['worldSize', 'isMaster', 'timeout', 'waitForWorkers', 'multiTenant']>) {
    const a = TCP_STORE.bind('TCPStore', args) as TCPStoreArgs;
    super(
      c10d().tcpStore(a.hostName, a.port, a.worldSize ?? null, a.isMaster ?? false, toMillis(a.timeout ?? DEFAULT_STORE_TIMEOUT), a.waitForWorkers ?? true, a.multiTenant ?? false),
    );
    this.host = a.hostName;
  }
  get port(): number {
    return c10d().tcpStorePort(this._h);
  }
}

/** A store in a file that every process can reach (a shared file system). */
export class FileStore extends Store {
  constructor(readonly path: string, numWorkers = -1) {
    super(c10d().fileStore(path, numWorkers));
  }
}

/** A store in this process's memory (for one-process groups and tests). */
export class HashStore extends Store {
  constructor() {
    super(c10d().hashStore());
  }
}

/** Another store's keys under `prefix/`: one store shared by several process groups. */
export class PrefixStore extends Store {
  constructor(readonly prefix: string, readonly underlyingStore: Store) {
    super(c10d().prefixStore(prefix, underlyingStore._h));
  }
}
