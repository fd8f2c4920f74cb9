// torchvision's VisionDataset for the datasets read from local files (VOC, the optical flow sets,
// CelebA, ...): root with ~ expanded, `transforms` or `transform` / `targetTransform` (wrapped in a
// StandardTransform, as torchvision does; both kinds at once is its ValueError), the repr, and
// verify_str_arg's checks. Items whose files decode asynchronously are finished in the order getItem
// was called (as ImageFolder's), so random transforms draw from torch's generator in Python's order.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Dataset } from '../../data/dataset';
import { IndexError, TorchError, ValueError, pyType } from '../../errors';
import { visionDatasetRepr } from './vision-repr';

/** A joint transform of an item's parts, (img, target) => [img, target] as Python's tuple. */
export type JointTransform = (...parts: any[]) => any[];

/** torchvision's StandardTransform: transform on the input, targetTransform on the target. */
export class StandardTransform {
  constructor(readonly transform?: (input: any) => unknown, readonly targetTransform?: (target: any) => unknown) {}
  call(input: unknown, target: unknown): [unknown, unknown] {
    return [this.transform ? this.transform(input) : input, this.targetTransform ? this.targetTransform(target) : target];
  }
}

export { FileNotFoundError } from '../../errors';

/** VisionDataset's os.path.expanduser(root). */
export function expandUser(root: string): string {
  return root === '~' || root.startsWith('~/') ? path.join(os.homedir(), root.slice(1)) : root;
}

/** [file name, md5] as torchvision lists them; a null md5 only checks that the file exists. */
export type FileCheck = readonly [string, string | null];

/** os.path.isfile(fpath) and, given an md5, the file's md5 equals it (torchvision's check_integrity). */
export function checkIntegrity(fpath: string, md5: string | null = null): boolean {
  if (!fs.existsSync(fpath) || !fs.statSync(fpath).isFile()) return false;
  if (md5 === null) return true;
  return createHash('md5').update(fs.readFileSync(fpath)).digest('hex') === md5;
}

/** torchvision's verify_str_arg: a str among `valid` (its ValueErrors, word for word, or `customMsg`). */
export function verifyStrArg(value: unknown, arg: string, valid?: readonly string[], customMsg?: string): string {
  if (typeof value !== 'string') throw new ValueError(`Expected type str for argument ${arg}, but got type ${pyType(value)}.`);
  if (valid && !valid.includes(value)) {
    if (customMsg !== undefined) throw new ValueError(customMsg);
    throw new ValueError(`Unknown value '${value}' for argument ${arg}. Valid values are {${valid.map((v) => `'${v}'`).join(', ')}}.`);
  }
  return value;
}

/** Python's list[index]: negative indexes from the end, else IndexError. */
export function listIndex(index: number, n: number): number {
  const i = index < 0 ? index + n : index;
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new IndexError('list index out of range');
  return i;
}

/** torchvision's download=True: nothing is downloaded here, so a clear error unless the files are there. */
export function noDownload(name: string, what: string): never {
  throw new TorchError(`${name}: download=True cannot download here (torch-node downloads nothing). ${what}`);
}

export interface VisionDatasetInit {
  root: string;
  transforms?: JointTransform | null;
  transform?: ((input: any) => unknown) | null;
  targetTransform?: ((target: any) => unknown) | null;
}

export abstract class VisionDataset<Item> extends Dataset<Item> {
  readonly root: string;
  readonly transform?: (input: any) => unknown;
  readonly targetTransform?: (target: any) => unknown;
  /** the joint transform: the one given, or the StandardTransform of transform / targetTransform */
  readonly transforms?: JointTransform | StandardTransform;
  /** settles when the last getItem's transforms have run (see the file comment) */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(init: VisionDatasetInit) {
    super();
    this.root = expandUser(init.root);
    const separate = init.transform != null || init.targetTransform != null;
    if (init.transforms != null && separate) throw new ValueError('Only transforms or transform/target_transform can be passed as argument');
    this.transform = init.transform ?? undefined;
    this.targetTransform = init.targetTransform ?? undefined;
    this.transforms = separate ? new StandardTransform(this.transform, this.targetTransform) : init.transforms ?? undefined;
  }

  /** self.transforms(*parts) when there is one, else the parts as they are. */
  protected applyTransforms(...parts: unknown[]): unknown[] {
    const t = this.transforms;
    if (!t) return parts;
    return t instanceof StandardTransform ? t.call(parts[0], parts[1]) : t(...parts);
  }

  /**
   * An item whose files load concurrently with other items' (`load`), finished by `finish` (the
   * transforms) only after the previous getItem's item was finished.
   */
  protected inTurn<R>(load: () => Promise<R>, finish: (raw: R) => Item): Promise<Item> {
    let loaded: Promise<R>;
    try {
      loaded = load();
    } catch (e) {
      loaded = Promise.reject(e);
    }
    // a failed load is reported at its turn; until then it must not count as unhandled
    loaded.catch(() => undefined);
    const item = this.turn.then(() => loaded).then(finish);
    this.turn = item.catch(() => undefined);
    return item;
  }

  /** VisionDataset.extra_repr(): lines after the root */
  extraRepr(): string {
    return '';
  }

  toString(): string {
    const extra = this.extraRepr();
    const parts = { length: this.len(), root: this.root, extra: extra ? extra.split('\n') : [] };
    if (this.transforms instanceof StandardTransform || !this.transforms) {
      return visionDatasetRepr(this.constructor.name, { ...parts, transform: this.transform, targetTransform: this.targetTransform });
    }
    return `${visionDatasetRepr(this.constructor.name, parts)}\n    ${String(this.transforms)}`;
  }
}
