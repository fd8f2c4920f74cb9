// Writing files so that they appear whole or not at all: everything goes to a temp file beside the
// target, which is renamed over it at the end; a failure removes the temp file and leaves the old
// file intact.
import * as fs from 'fs';
import * as path from 'path';

const CHUNK = 1 << 30; // one write call moves at most 1 GiB (Linux caps a pwrite near 2 GiB)

/** Bytes to be written at a position of the file. */
export interface Piece {
  position: number;
  bytes: Uint8Array;
}

/** A temp name beside the target, so the final rename stays on one file system (atomic). */
export function tempPathFor(file: string): string {
  const rand = Math.random().toString(36).slice(2, 10);
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${rand}.tmp`);
}

/** Opens a temp file beside `file`, lets fill() write it, then renames it over `file` (or removes it). */
export function withAtomicFileSync(file: string, fill: (fd: number) => void): void {
  const tmp = tempPathFor(file);
  const fd = fs.openSync(tmp, 'w', 0o644);
  let closed = false;
  try {
    fill(fd);
    closed = true;
    fs.closeSync(fd);
    fs.renameSync(tmp, file);
  } catch (e) {
    if (!closed) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** withAtomicFileSync on the libuv pool. */
export async function withAtomicFile(file: string, fill: (handle: fs.promises.FileHandle) => Promise<void>): Promise<void> {
  const tmp = tempPathFor(file);
  const handle = await fs.promises.open(tmp, 'w', 0o644);
  let closed = false;
  try {
    await fill(handle);
    closed = true;
    await handle.close();
    await fs.promises.rename(tmp, file);
  } catch (e) {
    if (!closed) await handle.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}

export function writePiecesSync(fd: number, pieces: Iterable<Piece>): void {
  for (const { position, bytes } of pieces) {
    for (let done = 0; done < bytes.length; ) {
      done += fs.writeSync(fd, bytes, done, Math.min(CHUNK, bytes.length - done), position + done);
    }
  }
}

export async function writePieces(handle: fs.promises.FileHandle, pieces: Iterable<Piece>): Promise<void> {
  for (const { position, bytes } of pieces) {
    for (let done = 0; done < bytes.length; ) {
      const { bytesWritten } = await handle.write(bytes, done, Math.min(CHUNK, bytes.length - done), position + done);
      done += bytesWritten;
    }
  }
}

/** Chunks laid end to end from the start of the file. */
function* endToEnd(chunks: Iterable<Uint8Array>): Generator<Piece> {
  let position = 0;
  for (const bytes of chunks) {
    yield { position, bytes };
    position += bytes.length;
  }
}

export function writeAtomicSync(file: string, chunks: Iterable<Uint8Array>): void {
  withAtomicFileSync(file, (fd) => writePiecesSync(fd, endToEnd(chunks)));
}

export function writeAtomic(file: string, chunks: Iterable<Uint8Array>): Promise<void> {
  return withAtomicFile(file, (handle) => writePieces(handle, endToEnd(chunks)));
}
