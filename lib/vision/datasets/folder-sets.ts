// The torchvision data sets that are an ImageFolder over a folder of their archive: EuroSAT
// (root/eurosat/2750) and Country211 (root/country211/<split>). As torchvision, `root` is the root
// given (expanded), not the image folder.
import * as fs from 'fs';
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { bind, keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError } from '../../errors';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';
import { ImageFolder } from './folder';
import { expandUser, verifyStrArg, noDownload } from './vision-dataset';

/** The folder exists and is a directory (os.path.exists / is_dir). */
const isDir = (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory();

export interface EuroSATOptions<I, T> {
  root?: string;
  transform?: ((img: Tensor) => I) | null;
  targetTransform?: ((target: number) => T) | null;
  /** true: use the files if they are there, else a clear error (nothing is downloaded) */
  download?: boolean;
}
const EUROSAT_ARGS = ['transform', 'targetTransform', 'download'] as const;
keysOf<EuroSATOptions<unknown, unknown>>()('root', ...EUROSAT_ARGS);

/** An ImageFolder over `folder`, after torchvision's existence check; its root set back to `root`. */
function checked(name: string, folder: string, what: string, download: boolean | undefined): string {
  if (!isDir(folder) && download) noDownload(name, what);
  if (!fs.existsSync(folder)) throw new TorchError('Dataset not found. You can use download=True to download it');
  return folder;
}

export class EuroSAT<I = Tensor, T = number> extends ImageFolder<I, T> {
  /** Python's EuroSAT(root, transform=None, target_transform=None, download=False). */
  constructor(root: string, ...rest: Rest<EuroSATOptions<I, T>, typeof EUROSAT_ARGS>);
  constructor(options: EuroSATOptions<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<EuroSATOptions<I, T> & { root: string }>('EuroSAT', args, ['root'], EUROSAT_ARGS);
    const root = expandUser(options.root);
    const base = path.join(root, 'eurosat');
    const folder = checked('EuroSAT', path.join(base, '2750'), `Fetch https://madm.dfki.de/files/sentinel/EuroSAT.zip and extract it into ${base}.`, options.download);
    super(folder, { transform: options.transform ?? undefined, targetTransform: options.targetTransform ?? undefined });
    (this as { root: string }).root = root;
    recordConstruction(this, new.target, [options]);
  }
}

export interface Country211Options<I, T> extends EuroSATOptions<I, T> {
  split?: 'train' | 'valid' | 'test';
}
const COUNTRY211_ARGS = ['split', ...EUROSAT_ARGS] as const;
keysOf<Country211Options<unknown, unknown>>()('root', ...COUNTRY211_ARGS);

export class Country211<I = Tensor, T = number> extends ImageFolder<I, T> {
  /** Python's Country211(root, split='train', transform=None, target_transform=None, download=False). */
  constructor(root: string, ...rest: Rest<Country211Options<I, T>, typeof COUNTRY211_ARGS>);
  constructor(options: Country211Options<I, T> & { root: string });
  constructor(...args: unknown[]) {
    const options = bind<Country211Options<I, T> & { root: string }>('Country211', args, ['root'], COUNTRY211_ARGS);
    const split = verifyStrArg(options.split ?? 'train', 'split', ['train', 'valid', 'test']);
    const root = expandUser(options.root);
    const base = path.join(root, 'country211');
    if (!isDir(base) && options.download) noDownload('Country211', `Fetch https://openaipublic.azureedge.net/clip/data/country211.tgz and extract it into ${root}.`);
    if (!isDir(base)) throw new TorchError('Dataset not found. You can use download=True to download it');
    super(path.join(base, split), { transform: options.transform ?? undefined, targetTransform: options.targetTransform ?? undefined });
    (this as { root: string }).root = root;
    recordConstruction(this, new.target, [options]);
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
