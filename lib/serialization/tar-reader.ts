// A small, bounded tar reader for torch.save's tar format (torch < 0.4): 512-byte headers, octal
// (or base-256) sizes, ustar prefixes and pax extended headers (Python's tarfile writes one per member
// for the fractional mtime). Only regular files whose names the caller expects are accepted, each
// once; sizes are checked against the file, so nothing a header declares is read or allocated blindly.
import { TorchError } from '../errors';
import { Plan } from './io';

export interface TarMember {
  name: string;
  /** where the member's bytes start in the file */
  offset: number;
  size: number;
}

const BLOCK = 512;
/** headers one archive may hold: the expected members, each with a pax header, and a few globals */
const MAX_HEADERS = 32;
const MAX_PAX_BYTES = 64 * 1024;

function tarError(message: string): TorchError {
  return new TorchError(`corrupt tar-format torch file: ${message}`);
}

function text(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return new TextDecoder('utf-8').decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}

/** A numeric header field: octal digits (space/NUL padded), or GNU base-256 when the top bit is set. */
function number(field: Uint8Array, what: string): number {
  if (field[0] & 0x80) {
    if (field[0] !== 0x80) throw tarError(`${what} is negative or too large`);
    let v = 0;
    for (let i = 1; i < field.length; i++) v = v * 256 + field[i];
    if (!Number.isSafeInteger(v)) throw tarError(`${what} is too large`);
    return v;
  }
  const s = text(field).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw tarError(`${what} ${JSON.stringify(s)} is not an octal number`);
  const v = parseInt(s, 8);
  if (!Number.isSafeInteger(v)) throw tarError(`${what} is too large`);
  return v;
}

function checksumOk(header: Uint8Array): boolean {
  const stored = number(header.subarray(148, 156), 'header checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : header[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed; // as Python's tarfile, either sum is accepted
}

/** pax records "<length> <key>=<value>\n"; only path and size matter here. */
function paxRecords(bytes: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const s = new TextDecoder('utf-8').decode(bytes);
  let pos = 0;
  while (pos < s.length && s.charCodeAt(pos) !== 0) {
    const space = s.indexOf(' ', pos);
    const length = space < 0 ? NaN : Number(s.slice(pos, space));
    if (!Number.isSafeInteger(length) || length <= space - pos + 1 || pos + length > s.length) throw tarError('malformed pax extended header');
    const record = s.slice(space + 1, pos + length - 1);
    const eq = record.indexOf('=');
    if (eq < 0 || s[pos + length - 1] !== '\n') throw tarError('malformed pax extended header');
    out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += length;
  }
  return out;
}

const TYPE_NAMES: Record<string, string> = {
  '1': 'a hard link',
  '2': 'a symbolic link',
  '3': 'a character device',
  '4': 'a block device',
  '5': 'a directory',
  '6': 'a FIFO',
  L: 'a GNU long-name record',
  K: 'a GNU long-link record',
};

/**
 * Reads the archive's headers (one 512-byte read each) and returns its members by name. Every name
 * must be one of `expected` (optionally written "./name"), at most once, and a regular file.
 */
export function* readTar(size: number, expected: readonly string[]): Plan<Map<string, TarMember>> {
  const members = new Map<string, TarMember>();
  let pos = 0;
  let pax = new Map<string, string>();
  for (let headers = 0; pos < size; headers++) {
    if (headers >= MAX_HEADERS) throw tarError(`more than ${MAX_HEADERS} headers (a torch file has ${expected.length} members)`);
    if (pos + BLOCK > size) throw tarError(`truncated header at offset ${pos} (${size - pos} of ${BLOCK} bytes)`);
    const header = (yield { offset: pos, length: BLOCK }) as Uint8Array;
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    if (!checksumOk(header)) throw tarError(`bad header checksum at offset ${pos}`);
    const type = header[156] === 0 ? '0' : String.fromCharCode(header[156]);
    const ustar = text(header.subarray(257, 263)) === 'ustar' && header[262] === 0;
    const prefix = ustar ? text(header.subarray(345, 500)) : '';
    let name = pax.get('path') ?? (prefix ? `${prefix}/` : '') + text(header.subarray(0, 100));
    let memberSize = number(header.subarray(124, 136), `size of ${JSON.stringify(name)}`);
    const paxSize = pax.get('size');
    if (paxSize !== undefined) {
      memberSize = /^\d+$/.test(paxSize) ? Number(paxSize) : NaN;
      if (!Number.isSafeInteger(memberSize)) throw tarError(`pax size ${JSON.stringify(paxSize)} of ${JSON.stringify(name)} is not a size`);
    }
    pax = new Map();
    const dataAt = pos + BLOCK;
    if (memberSize > size - dataAt) {
      throw tarError(`member ${JSON.stringify(name)} of ${memberSize} bytes at offset ${dataAt} runs past the end of the file (${size} bytes)`);
    }
    pos = dataAt + Math.ceil(memberSize / BLOCK) * BLOCK;
    if (type === 'x' || type === 'g') {
      if (type === 'g') continue; // global defaults (uid, mtime, ...) change nothing that matters here
      if (memberSize > MAX_PAX_BYTES) throw tarError(`pax extended header of ${memberSize} bytes (cap ${MAX_PAX_BYTES})`);
      pax = paxRecords((yield { offset: dataAt, length: memberSize }) as Uint8Array);
      continue;
    }
    if (name.startsWith('./')) name = name.slice(2);
    if (!expected.includes(name)) {
      throw tarError(`unexpected member ${JSON.stringify(name)} (a torch file holds only ${expected.join(', ')})`);
    }
    if (type !== '0' && type !== '7') throw tarError(`member ${JSON.stringify(name)} is ${TYPE_NAMES[type] ?? `of type ${JSON.stringify(type)}`}, not a regular file`);
    if (members.has(name)) throw tarError(`duplicate member ${JSON.stringify(name)}`);
    members.set(name, { name, offset: dataAt, size: memberSize });
  }
  return members;
}
