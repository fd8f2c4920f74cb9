// The file object FileOpener yields (Python's StreamWrapper over open()): read(n) gives the next n
// bytes (binary mode, a Buffer) or characters (text mode, a string); read() the rest.
import * as fs from 'fs';
import { inspect } from 'util';
import { ValueError } from '../../../errors';

export class FileStream {
  private fd: number | null;
  private text: string | null = null;
  private pos = 0;
  readonly binary: boolean;
  constructor(
    readonly name: string,
    mode: string,
    readonly encoding: BufferEncoding | null = null,
  ) {
    this.binary = mode.includes('b');
    this.fd = fs.openSync(name, 'r');
  }
  get closed(): boolean {
    return this.fd === null;
  }
  read(size: number | null = null): Buffer | string {
    if (this.fd === null) throw new ValueError('I/O operation on closed file.');
    const all = size === null || size < 0;
    if (!this.binary) {
      // text mode: decoded once, universal newlines as Python's open() translates them
      this.text ??= fs.readFileSync(this.fd, { encoding: this.encoding ?? 'utf8' }).replace(/\r\n?/g, '\n');
      const end = all ? this.text.length : Math.min(this.text.length, this.pos + size);
      const out = this.text.slice(this.pos, end);
      this.pos = end;
      return out;
    }
    if (all) {
      const out = fs.readFileSync(this.fd);
      return out;
    }
    const buf = Buffer.alloc(size);
    const n = fs.readSync(this.fd, buf, 0, size, null);
    return buf.subarray(0, n);
  }
  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
  toString(): string {
    return `StreamWrapper<<_io.${this.binary ? 'BufferedReader' : 'TextIOWrapper'} name='${this.name}'>>`;
  }
  [inspect.custom](): string {
    return this.toString();
  }
}
