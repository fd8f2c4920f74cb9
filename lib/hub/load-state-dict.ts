// torch.hub.load_state_dict_from_url: the file is downloaded once into <hub dir>/checkpoints (or
// modelDir) under its URL's file name, then read by torch.load; a cached file is read without any
// request. A zip holding one file (weights zipped by hand before torch 1.6) is unpacked first.
import * as fs from 'fs';
import * as path from 'path';
import { warn } from '../errors';
import { ArgsOf, signature } from '../keywords';
import { load, MapLocation } from '../serialization/load';
import { FileSource, runPlanAsync } from '../serialization/io';
import { looksLikeZip, readDirectory, readRecord, ZipEntry } from '../serialization/zip-reader';
import { withAtomicFile } from '../serialization/atomic-write';
import { checkpointsDir, pyJoin } from './dir';
import { downloadUrlToFile } from './download';

export interface LoadStateDictFromUrlArgs {
  url: string;
  /** where the file is kept (default <hub dir>/checkpoints) */
  modelDir?: string | null;
  /** as torch.load's mapLocation */
  mapLocation?: MapLocation | null;
  /** a progress line on stderr while downloading (default true) */
  progress?: boolean;
  /** the file name's `-<sha256 prefix>.` part must match the file's SHA256 (default false) */
  checkHash?: boolean;
  /** the name to keep the file under (default: the URL's last path part) */
  fileName?: string | null;
}
const LOAD = signature<LoadStateDictFromUrlArgs>()(['url'], ['modelDir', 'mapLocation', 'progress', 'checkHash', 'fileName']);

/** Python's HASH_REGEX: the hex digits between '-' and '.' in resnet18-bfd8deac.pth. */
const HASH_REGEX = /-([a-f0-9]*)\./;

/** The URL's path's last part, as os.path.basename(urlparse(url).path). */
function urlFileName(url: string): string {
  const afterScheme = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/, '');
  const urlPath = afterScheme.split(/[?#]/)[0];
  return urlPath.slice(urlPath.lastIndexOf('/') + 1);
}

/** The one member of a zip that holds exactly one file (not a folder), else null (torch.save's own zips hold many). */
async function legacyZipMember(file: string): Promise<{ entry: ZipEntry; source: FileSource } | null> {
  const source = await FileSource.open(file);
  let keep = false;
  try {
    const head = await runPlanAsync((function* () {
      return (yield { offset: 0, length: Math.min(source.size, 4) }) as Uint8Array;
    })(), source);
    if (!looksLikeZip(head)) return null;
    const entries = [...(await runPlanAsync(readDirectory(source.size), source)).values()];
    if (entries.length !== 1 || entries[0].name.endsWith('/')) return null;
    keep = true;
    return { entry: entries[0], source };
  } catch {
    return null; // not a readable zip: torch.load says what it is
  } finally {
    if (!keep) await source.close();
  }
}

/** Python's _legacy_zip_load: the member extracted into modelDir, then loaded. */
async function loadLegacyZip(member: { entry: ZipEntry; source: FileSource }, modelDir: string, mapLocation: MapLocation | undefined): Promise<any> {
  warn(
    'Falling back to the old format < 1.6. This support will be deprecated in favor of default zipfile format introduced in 1.6. ' +
      'Please redo torch.save() to save it in the new zipfile format.',
  );
  const { entry, source } = member;
  let bytes: Uint8Array;
  try {
    bytes = await runPlanAsync(readRecord(entry, source.size), source);
  } finally {
    await source.close();
  }
  const extracted = pyJoin(modelDir, entry.name);
  await fs.promises.mkdir(path.dirname(extracted), { recursive: true });
  await withAtomicFile(extracted, async (handle) => {
    await handle.write(bytes);
  });
  return load(extracted, mapLocation === undefined ? {} : { mapLocation });
}

/**
 * torch.hub.load_state_dict_from_url(url, { modelDir, mapLocation, progress, checkHash, fileName }):
 * what torch.load reads from the file at url, downloaded into the cache unless already there.
 */
export async function loadStateDictFromUrl(...args: ArgsOf<typeof LOAD>): Promise<any> {
  const { url, modelDir, mapLocation, progress = true, checkHash = false, fileName } = LOAD.bind('hub.load_state_dict_from_url', args);
  if (process.env.TORCH_MODEL_ZOO) warn('TORCH_MODEL_ZOO is deprecated, please use env TORCH_HOME instead');
  const dir = modelDir ?? checkpointsDir();
  await fs.promises.mkdir(dir, { recursive: true });
  const name = fileName ?? urlFileName(url);
  const cachedFile = pyJoin(dir, name);
  if (!fs.existsSync(cachedFile)) {
    process.stderr.write(`Downloading: "${url}" to ${cachedFile}\n`);
    const hashPrefix = checkHash ? (HASH_REGEX.exec(name)?.[1] ?? null) : null;
    await downloadUrlToFile(url, cachedFile, hashPrefix, progress);
  }
  const location = mapLocation ?? undefined;
  const member = await legacyZipMember(cachedFile);
  if (member) return loadLegacyZip(member, dir, location);
  return load(cachedFile, location === undefined ? {} : { mapLocation: location });
}
