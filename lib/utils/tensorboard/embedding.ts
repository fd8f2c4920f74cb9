// SummaryWriter.add_embedding's files for TensorBoard's projector: <step>/<tag>/tensors.tsv (the
// points), metadata.tsv (their labels), sprite.png (their thumbnails in a square grid), and the
// run's projector_config.pbtxt listing every embedding written.
import * as fs from 'fs';
import * as path from 'path';
import { AssertionError, TorchError } from '../../errors';
import { pyFloat, pyList, pyStr } from '../../py-format';
import { Tensor } from '../../tensor/tensor';
import { withAtomicFileSync } from '../../serialization/atomic-write';
import { encodePngBytes } from '../../vision/png';
import { makeGrid, transpose } from './image';
import { toTextFormat } from './text-format';
import { ValuesLike, toValues } from './values';

export type MetadataRow = string | number | boolean;

function writeFile(file: string, bytes: Uint8Array | string): void {
  withAtomicFileSync(file, (fd) => fs.writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes));
}

/** make_tsv: one label per line, or with a header, tab-separated columns. */
function makeTsv(metadata: readonly (MetadataRow | readonly MetadataRow[])[], savePath: string, header: readonly string[] | null): void {
  let rows: string[];
  // a row without a header prints as Python's list repr
  if (!header || header.length === 0) rows = metadata.map((x) => (Array.isArray(x) ? pyList(x) : pyStr(x)));
  else {
    const first = metadata[0] as readonly MetadataRow[];
    if (header.length !== (Array.isArray(first) ? first.length : String(first).length)) throw new AssertionError('len of header must be equal to the number of columns in metadata');
    rows = [header, ...(metadata as (readonly MetadataRow[])[])].map((r) => r.map(pyStr).join('\t'));
  }
  writeFile(path.join(savePath, 'metadata.tsv'), rows.join('\n') + '\n');
}

/** make_sprite: the images tiled ceil(sqrt(n)) to a row on a square canvas, scaled by 255. */
function makeSprite(labelImg: ValuesLike, savePath: string): void {
  const v = toValues(labelImg);
  const n = v.shape[0];
  const grid = makeGrid(v.data, v.shape, Math.ceil(Math.sqrt(n)));
  const hwc = transpose(grid.data, grid.shape, [1, 2, 0]);
  const [h, w] = hwc.shape;
  if (h > w) throw new TorchError(`the sprite's ${h} rows do not fit its square of side ${w}`);
  const pixels = new Uint8Array(w * w * 3);
  for (let i = 0; i < hwc.data.length; i++) pixels[i] = Math.trunc(Math.min(Math.max(hwc.data[i] * 255, 0), 255));
  writeFile(path.join(savePath, 'sprite.png'), encodePngBytes(pixels, w, w, 3, 6));
}

/** make_mat: one point per line, its values as Python prints floats (ints for integer tensors). */
function makeMat(mat: Tensor | ValuesLike, savePath: string): void {
  const v = toValues(mat);
  const integral = mat instanceof Tensor ? !mat.isFloatingPoint() : false;
  const [rows, cols] = v.shape;
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row = v.data.subarray(r * cols, (r + 1) * cols);
    lines.push(Array.from(row, (x) => (integral ? String(x) : pyFloat(x))).join('\t') + '\n');
  }
  writeFile(path.join(savePath, 'tensors.tsv'), lines.join(''));
}

/** SummaryWriter._encode: a tag as one path component. */
function encodeTag(tag: string): string {
  return tag.replace(/%/g, '%25').replace(/\//g, '%2f').replace(/\\/g, '%5c');
}

export interface EmbeddingArgs {
  mat: ValuesLike;
  metadata: readonly (MetadataRow | readonly MetadataRow[])[] | null;
  labelImg: ValuesLike | null;
  globalStep: number;
  tag: string;
  metadataHeader: readonly string[] | null;
}

/** Writes one embedding under logdir; returns its projector config entry. */
export function writeEmbedding(logdir: string, a: EmbeddingArgs): Record<string, unknown> {
  const shape = toValues(a.mat).shape;
  const subdir = `${String(a.globalStep).padStart(5, '0')}/${encodeTag(a.tag)}`;
  const savePath = path.join(logdir, subdir);
  if (fs.existsSync(savePath)) {
    if (!fs.statSync(savePath).isDirectory()) throw new TorchError(`Path: \`${savePath}\` exists, but is a file. Cannot proceed.`);
    console.log('warning: Embedding dir exists, did you set global_step for add_embedding()?');
  } else fs.mkdirSync(savePath, { recursive: true });
  if (a.metadata !== null) {
    if (a.metadata.length !== shape[0]) throw new AssertionError('#labels should equal with #data points');
    makeTsv(a.metadata, savePath, a.metadataHeader);
  }
  let sprite: Record<string, unknown> | undefined;
  if (a.labelImg !== null) {
    const imgShape = toValues(a.labelImg).shape;
    if (imgShape[0] !== shape[0]) throw new AssertionError('#images should equal with #data points');
    makeSprite(a.labelImg, savePath);
    sprite = { image_path: path.join(subdir, 'sprite.png'), single_image_dim: [imgShape[3], imgShape[2]] };
  }
  if (shape.length !== 2) throw new AssertionError('mat should be 2D, where mat.size(0) is the number of data points');
  makeMat(a.mat, savePath);
  return {
    tensor_name: `${a.tag}:${String(a.globalStep).padStart(5, '0')}`,
    tensor_path: path.join(subdir, 'tensors.tsv'),
    ...(a.metadata !== null ? { metadata_path: path.join(subdir, 'metadata.tsv') } : {}),
    ...(sprite ? { sprite } : {}),
  };
}

/** projector_config.pbtxt with every embedding of this writer. */
export function writeProjectorConfig(logdir: string, embeddings: Record<string, unknown>[]): void {
  writeFile(path.join(logdir, 'projector_config.pbtxt'), toTextFormat('tensorboard.ProjectorConfig', { embeddings }));
}
