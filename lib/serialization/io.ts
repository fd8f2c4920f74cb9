// One parsing logic for sync and async loading: a format reader is a generator ("plan") that yields
// the byte ranges it needs and receives their bytes; a sync driver serves them with fs.readSync, an
// async one with FileHandle.read on the libuv pool (several at once). Large ranges ("fresh") land
// in their own ArrayBuffer, so a storage is read straight into the memory its tensor will use.
import * as fs from 'fs';
import { TorchError } from '../errors';

export interface ReadRequest {
  offset: number;
  length: number;
  /** the bytes get their own ArrayBuffer (kept by a tensor); otherwise they may be a transient view */
  fresh?: boolean;
}

/** A plan yields one request (gets its bytes) or several (gets an array of bytes, same order). */
export type Plan<T> = Generator<ReadRequest | ReadRequest[], T, Uint8Array | Uint8Array[]>;

/** Where a plan's bytes come from: a file or an in-memory buffer. */
export interface ByteSource {
  readonly size: number;
  readSync(req: ReadRequest): Uint8Array;
  read(req: ReadRequest): Promise<Uint8Array>;
  close(): Promise<void> | void;
}

const CHUNK = 1 << 30; // one read call moves at most 1 GiB (Linux caps a pread near 2 GiB)

function check(source: ByteSource, req: ReadRequest): void {
  if (!Number.isSafeInteger(req.offset) || !Number.isSafeInteger(req.length) || req.offset < 0 || req.length < 0) {
    throw new TorchError(`invalid read of ${req.length} bytes at offset ${req.offset}`);
  }
  if (req.offset + req.length > source.size) {
    throw new TorchError(`file is truncated: needs bytes ${req.offset}..${req.offset + req.length} but has ${source.size}`);
  }
}

function allocate(length: number): Uint8Array {
  try {
    // own memory, not Buffer's shared pool: a tensor will keep (and align to) exactly this
    return new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
  } catch {
    throw new TorchError(`cannot allocate ${length} bytes for a record`);
  }
}

export class FileSource implements ByteSource {
  private constructor(
    readonly size: number,
    private readonly fd: number | null,
    private readonly handle: fs.promises.FileHandle | null,
  ) {}

  static openSync(file: string): FileSource {
    const fd = fs.openSync(file, 'r');
    try {
      return new FileSource(fs.fstatSync(fd).size, fd, null);
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  static async open(file: string): Promise<FileSource> {
    const handle = await fs.promises.open(file, 'r');
    try {
      return new FileSource((await handle.stat()).size, null, handle);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  readSync(req: ReadRequest): Uint8Array {
    check(this, req);
    const out = allocate(req.length);
    for (let done = 0; done < req.length; ) {
      const n = fs.readSync(this.fd!, out, done, Math.min(CHUNK, req.length - done), req.offset + done);
      if (n === 0) throw new TorchError('file is truncated (changed while reading?)');
      done += n;
    }
    return out;
  }

  async read(req: ReadRequest): Promise<Uint8Array> {
    check(this, req);
    const out = allocate(req.length);
    for (let done = 0; done < req.length; ) {
      const { bytesRead } = await this.handle!.read(out, done, Math.min(CHUNK, req.length - done), req.offset + done);
      if (bytesRead === 0) throw new TorchError('file is truncated (changed while reading?)');
      done += bytesRead;
    }
    return out;
  }

  close(): Promise<void> | void {
    if (this.fd !== null) fs.closeSync(this.fd);
    else return this.handle!.close();
  }
}

export class BufferSource implements ByteSource {
  readonly size: number;
  constructor(private readonly bytes: Uint8Array) {
    this.size = bytes.length;
  }
  readSync(req: ReadRequest): Uint8Array {
    check(this, req);
    const view = this.bytes.subarray(req.offset, req.offset + req.length);
    if (!req.fresh) return view;
    const out = allocate(req.length); // tensors never alias the caller's buffer
    out.set(view);
    return out;
  }
  read(req: ReadRequest): Promise<Uint8Array> {
    return Promise.resolve(this.readSync(req));
  }
  close(): void {}
}

export function runPlanSync<T>(plan: Plan<T>, source: ByteSource): T {
  let step = plan.next(undefined as unknown as Uint8Array);
  while (!step.done) {
    const req = step.value;
    step = plan.next(Array.isArray(req) ? req.map((r) => source.readSync(r)) : source.readSync(req));
  }
  return step.value;
}

const PARALLEL_READS = 4;

export async function runPlanAsync<T>(plan: Plan<T>, source: ByteSource): Promise<T> {
  let step = plan.next(undefined as unknown as Uint8Array);
  while (!step.done) {
    const req = step.value;
    if (!Array.isArray(req)) {
      step = plan.next(await source.read(req));
      continue;
    }
    const out: Uint8Array[] = new Array(req.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < req.length) {
        const i = next++;
        out[i] = await source.read(req[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, req.length) }, worker));
    step = plan.next(out);
  }
  return step.value;
}
