// Python's torch.save(obj, f) also takes a file object or io.BytesIO: here any object with a
// write(chunk) method (fs.createWriteStream, a socket, a custom sink). The archive is written end
// to end in chunks; the stream is left open, as Python leaves the file object open.
import { Writable } from 'stream';
import { TorchError } from '../errors';

/** What torch.save can write to besides a path: anything with write(chunk) (a Node Writable, ...). */
export interface WritableTarget {
  write(chunk: Uint8Array, ...rest: never[]): unknown;
}

export function isWritableTarget(f: unknown): f is WritableTarget {
  return typeof f === 'object' && f !== null && typeof (f as { write?: unknown }).write === 'function';
}

/** Writes every chunk in order now (a Node stream buffers what it cannot flush yet). */
export function writeChunksSync(target: WritableTarget, chunks: Iterable<Uint8Array>): void {
  for (const chunk of chunks) target.write(chunk);
}

/** Resolves when a full stream has drained (or failed, or closed: reported by the caller). */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done).off('error', done).off('close', done);
      resolve();
    };
    stream.on('drain', done).on('error', done).on('close', done);
  });
}

/**
 * Writes every chunk in order, waiting for 'drain' when a Node stream asks to; resolves when a Node
 * stream has taken the last chunk (its write callback), rejects on the stream's error.
 */
export async function writeChunks(target: WritableTarget, chunks: Iterable<Uint8Array>): Promise<void> {
  if (!(target instanceof Writable)) {
    for (const chunk of chunks) await target.write(chunk);
    return;
  }
  let failure: Error | undefined;
  const onError = (e: Error) => (failure = e);
  target.on('error', onError);
  try {
    let last: Promise<void> = Promise.resolve();
    for (const chunk of chunks) {
      if (failure) break;
      let ready = true;
      last = new Promise<void>((resolve, reject) => {
        ready = target.write(chunk, (e) => (e ? reject(e) : resolve()));
      });
      last.catch(() => undefined); // reported below, once
      if (!ready) await drained(target);
    }
    await last.catch((e: Error) => {
      throw failure ?? e; // the stream's own error, not a later 'write after destroy'
    });
    if (failure) throw failure;
  } catch (e) {
    throw new TorchError(`cannot write to the stream: ${(e as Error).message}`);
  } finally {
    target.off('error', onError);
  }
}
