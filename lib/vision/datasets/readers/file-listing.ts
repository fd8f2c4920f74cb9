// The file system calls torchvision's datasets make, with Python's results: os.listdir (directory
// order, which Node's readdir sorts away), sorted(glob(...)) and open(...).readlines(), raising
// Python's FileNotFoundError text.
import * as fs from 'fs';
import * as path from 'path';
import { FileNotFoundError } from '../vision-dataset';

/** Python's sorted() on strings: by code point. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Python's "[Errno 2] No such file or directory: 'p'" for a path that is not there. */
export function notFound(p: string): FileNotFoundError {
  return new FileNotFoundError(`[Errno 2] No such file or directory: '${p}'`);
}

/** os.listdir(dir): the names in the directory's own order (readdir(3)'s, as Python lists them). */
export function listDir(dir: string): string[] {
  let handle: fs.Dir;
  try {
    handle = fs.opendirSync(dir);
  } catch {
    throw notFound(dir);
  }
  const names: string[] = [];
  try {
    for (let e = handle.readSync(); e !== null; e = handle.readSync()) names.push(e.name);
  } finally {
    handle.closeSync();
  }
  return names;
}

/** fnmatch's translation of one glob segment (*, ?, [...]) to a RegExp. */
function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[' && segment.indexOf(']', i + 2) > 0) {
      const end = segment.indexOf(']', i + 2);
      const body = segment.slice(i + 1, end);
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

/** sorted(glob(pattern)): wildcards in any segment; as glob, `*` skips names starting with a dot. */
export function sortedGlob(pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s) => s !== '');
  let paths = [absolute ? '/' : ''];
  for (const segment of segments) {
    const next: string[] = [];
    if (!/[*?[]/.test(segment)) {
      for (const p of paths) if (fs.existsSync(path.join(p, segment))) next.push(p === '' ? segment : path.join(p, segment));
    } else {
      const re = segmentRegExp(segment);
      for (const p of paths) {
        let names: string[];
        try {
          names = fs.readdirSync(p === '' ? '.' : p);
        } catch {
          continue;
        }
        for (const name of names) if (re.test(name) && (!name.startsWith('.') || segment.startsWith('.'))) next.push(p === '' ? name : path.join(p, name));
      }
    }
    paths = next;
  }
  return paths.sort(byCodePoint);
}

/** open(p).readlines(): the lines with their newlines (Python's universal newlines: \r\n, \r). */
export function readLines(p: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(p, 'utf8');
  } catch {
    throw notFound(p);
  }
  return text.replace(/\r\n?/g, '\n').split(/(?<=\n)/).filter((l) => l !== '');
}

/** Python's str.strip(): whitespace off both ends. */
export const strip = (s: string): string => s.trim();
