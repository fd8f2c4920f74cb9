// FileLister (dp.listFiles), FileOpener (dp.openFiles) and StreamReader (dp.readFromStream).
import * as fs from 'fs';
import * as path from 'path';
import { IterDataPipe, functionalDatapipe, isIterDataPipe } from '../datapipe';
import { FileNotFoundError, PyTypeError, ValueError, pyType, warn } from '../../../errors';
import { IterableWrapperIterDataPipe } from './utils';
import { FileStream } from './file-stream';
import { parse } from '../../../keywords';

/** fnmatch.fnmatch(name, pattern): shell-style * ? [seq] [!seq], matching the whole name. */
export function fnmatch(name: string, pattern: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = '^' + body.slice(1);
        else if (body.startsWith('^')) body = '\\' + body;
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${re})$`, 's').test(name);
}

function matchMasks(name: string, masks: string | string[]): boolean {
  if (masks.length === 0) return true;
  if (typeof masks === 'string') return fnmatch(name, masks);
  return masks.some((m) => fnmatch(name, m));
}

/** Python's FileNotFoundError (an OSError: errno 2). */
function notFound(name: string): FileNotFoundError {
  return Object.assign(new FileNotFoundError(`[Errno 2] No such file or directory: '${name}'`), { errno: 2 });
}

/** os.path.join(a, b) (no normalisation, unlike path.join) */
const pyJoin = (a: string, b: string): string => (a === '' || a.endsWith('/') ? a + b : `${a}/${b}`);

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** get_file_pathnames_from_root: os.walk's order (sorted unless nonDeterministic), top-down. */
function* pathnamesFromRoot(root: string, masks: string | string[], recursive: boolean, abspath: boolean, nonDeterministic: boolean): Generator<string> {
  if (fs.existsSync(root) && fs.statSync(root).isFile()) {
    const p = abspath ? path.resolve(root) : root;
    if (matchMasks(path.basename(p), masks)) yield p;
    return;
  }
  const walk = function* (dir: string): Generator<string> {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT') {
        warn(`${dir} : No such file or directory`);
        throw notFound(dir);
      }
      throw e;
    }
    const at = abspath ? path.resolve(dir) : dir;
    const files: string[] = [];
    const dirs: { name: string; link: boolean }[] = [];
    for (const e of entries) {
      const full = pyJoin(dir, e.name);
      if (e.isDirectory() || (e.isSymbolicLink() && isDir(full))) dirs.push({ name: e.name, link: e.isSymbolicLink() });
      else files.push(e.name);
    }
    if (!nonDeterministic) files.sort();
    for (const f of files) if (matchMasks(f, masks)) yield pyJoin(at, f);
    if (!recursive) return;
    if (!nonDeterministic) dirs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of dirs) if (!d.link) yield* walk(pyJoin(dir, d.name));
  };
  yield* walk(root);
}

export interface FileListerOptions {
  recursive?: boolean;
  abspath?: boolean;
  /** leave os.walk's order as the file system gives it */
  nonDeterministic?: boolean;
  /** what len() reports (-1: no valid length) */
  length?: number;
}

/** The paths of the files under each root (a path, paths, or a pipe of paths) whose names match masks. */
export class FileListerIterDataPipe extends IterDataPipe<string> {
  static readonly _params = ['root', 'masks', 'recursive', 'abspath', 'non_deterministic', 'length'];
  readonly datapipe: IterDataPipe<string>;
  readonly masks: string | string[];
  readonly recursive: boolean;
  readonly abspath: boolean;
  readonly nonDeterministic: boolean;
  readonly length: number;
  constructor(root: string | string[] | IterDataPipe<string> = '.', masks: string | string[] = '', options: FileListerOptions = {}) {
    super();
    const { recursive = false, abspath = false, nonDeterministic = false, length = -1 } = options;
    if (typeof root === 'string') root = [root];
    this.datapipe = isIterDataPipe(root) ? root : new IterableWrapperIterDataPipe(root);
    this.masks = masks;
    this.recursive = recursive;
    this.abspath = abspath;
    this.nonDeterministic = nonDeterministic;
    this.length = length;
  }
  *[Symbol.iterator](): Iterator<string> {
    for (const p of this.datapipe) yield* pathnamesFromRoot(p, this.masks, this.recursive, this.abspath, this.nonDeterministic);
  }
  len(): number {
    if (this.length === -1) throw new PyTypeError(`${this.constructor.name} instance doesn't have valid length`);
    return this.length;
  }
}
functionalDatapipe('listFiles')(FileListerIterDataPipe);

export interface FileOpenerOptions {
  /** 'r' / 't' / 'rt' (text), 'b' / 'rb' (binary) */
  mode?: string;
  encoding?: BufferEncoding | null;
  length?: number;
}

/** [path, stream] for each path: the file opened for reading. */
export class FileOpenerIterDataPipe extends IterDataPipe<[string, FileStream]> {
  static readonly _params = ['datapipe', 'mode', 'encoding', 'length'];
  readonly datapipe: Iterable<string>;
  readonly mode: string;
  readonly encoding: BufferEncoding | null;
  readonly length: number;
  constructor(datapipe: Iterable<string>, mode?: string, encoding?: BufferEncoding | null, length?: number);
  constructor(datapipe: Iterable<string>, options: FileOpenerOptions);
  constructor(datapipe: Iterable<string>, ...rest: unknown[]) {
    super();
    const { mode = 'r', encoding = null, length = -1 } = parse<FileOpenerOptions>('FileOpener', rest, ['mode', 'encoding', 'length']);
    this.datapipe = datapipe;
    this.mode = mode;
    this.encoding = encoding;
    if (!['b', 't', 'rb', 'rt', 'r'].includes(mode)) throw new ValueError(`Invalid mode ${mode}`);
    if (mode.includes('b') && encoding !== null) throw new ValueError("binary mode doesn't take an encoding argument");
    this.length = length;
  }
  *[Symbol.iterator](): Iterator<[string, FileStream]> {
    const names: Iterable<unknown> = typeof this.datapipe === 'string' ? [this.datapipe] : this.datapipe;
    for (const name of names) {
      if (typeof name !== 'string') throw new PyTypeError(`Expected string type for pathname, but got ${pyType(name)}`);
      if (!fs.existsSync(name)) throw notFound(name);
      yield [name, new FileStream(name, this.mode, this.encoding)];
    }
  }
  len(): number {
    if (this.length === -1) throw new PyTypeError(`${this.constructor.name} instance doesn't have valid length`);
    return this.length;
  }
}
functionalDatapipe('openFiles')(FileOpenerIterDataPipe);

/** [path, chunk] for each chunk of at most `chunk` bytes (or characters) of each stream (null: all at once). */
export class StreamReaderIterDataPipe extends IterDataPipe<[string, Buffer | string]> {
  static readonly _params = ['datapipe', 'chunk'];
  readonly datapipe: IterDataPipe<[string, FileStream]>;
  readonly chunk: number | null;
  constructor(datapipe: IterDataPipe<[string, FileStream]>, chunk: number | null = null) {
    super();
    this.datapipe = datapipe;
    this.chunk = chunk;
  }
  *[Symbol.iterator](): Iterator<[string, Buffer | string]> {
    for (const [furl, stream] of this.datapipe) {
      for (;;) {
        const d = stream.read(this.chunk);
        if (d.length === 0) {
          stream.close();
          break;
        }
        yield [furl, d];
      }
    }
  }
}
functionalDatapipe('readFromStream')(StreamReaderIterDataPipe);
