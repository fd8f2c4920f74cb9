// torchvision.datasets.Flickr8k / Flickr30k: images in root with their captions, from Flickr8k's
// HTML annotation page (parsed as its HTMLParser subclass sees it: a link's text names the image,
// the list items after it are its captions, inside the table only) or Flickr30k's tab-separated
// token file ("<image>#<n>\t<caption>"). Items are [RGB uint8 [3, H, W], the list of captions],
// in the sorted order of the image ids.
import * as path from 'path';
import { Tensor } from '../../tensor/tensor';
import { keysOf } from '../../keywords';
import type { Rest } from '../../keywords';
import { TorchError, ValueError } from '../../errors';
import { readImage } from '../io';
import { bindDatasetArgs } from './bind';
import { VisionDataset, listIndex, expandUser } from './vision-dataset';
import { listDir, byCodePoint, readLines } from './readers/file-listing';
import { recordConstruction, registerLibraryExports } from '../../data/library-ref';

export interface FlickrOptions {
  root?: string;
  annFile?: string;
  transform?: ((img: Tensor) => unknown) | null;
  targetTransform?: ((target: string[]) => unknown) | null;
}
const FLICKR_ARGS = ['transform', 'targetTransform'] as const;
keysOf<FlickrOptions>()('root', 'annFile', ...FLICKR_ARGS);

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** html.unescape for the character references the pages use (named ones of XML, nbsp; numeric). */
function unescapeHtml(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') return String.fromCodePoint(ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    return NAMED[ref] ?? whole;
  });
}

type HtmlEvent = { kind: 'start' | 'end'; tag: string } | { kind: 'data'; text: string };

/**
 * HTMLParser.feed's events (convert_charrefs=True): start and end tags (names lowercased; <x/> is a
 * start then an end), and the text between tags as one unescaped chunk; comments and declarations
 * are skipped, and text after the last tag stays unreported, as feed() without close() leaves it.
 */
function htmlEvents(html: string): HtmlEvent[] {
  const events: HtmlEvent[] = [];
  let at = 0;
  let text = '';
  const flushText = () => {
    if (text) events.push({ kind: 'data', text: unescapeHtml(text) });
    text = '';
  };
  while (at < html.length) {
    const lt = html.indexOf('<', at);
    if (lt < 0) break;
    text += html.slice(at, lt);
    const next = html[lt + 1] ?? '';
    if (html.startsWith('<!--', lt)) {
      flushText();
      const end = html.indexOf('-->', lt + 4);
      if (end < 0) break;
      at = end + 3;
    } else if (next === '!' || next === '?') {
      flushText();
      const end = html.indexOf('>', lt);
      if (end < 0) break;
      at = end + 1;
    } else if (/[A-Za-z/]/.test(next)) {
      const end = html.indexOf('>', lt);
      if (end < 0) break;
      flushText();
      const body = html.slice(lt + 1, end);
      const closing = body.startsWith('/');
      const tag = (closing ? body.slice(1) : body).trim().split(/[\s/]/)[0].toLowerCase();
      if (closing) events.push({ kind: 'end', tag });
      else {
        events.push({ kind: 'start', tag });
        if (body.endsWith('/')) events.push({ kind: 'end', tag });
      }
      at = end + 1;
    } else {
      text += '<';
      at = lt + 1;
    }
  }
  return events;
}

/** Flickr8kParser: image file -> captions, in the order the page names them. */
function parseFlickr8k(html: string, root: string): Map<string, string[]> {
  const annotations = new Map<string, string[]>();
  let inTable = false;
  let currentTag: string | null = null;
  let currentImg: string | null = null;
  for (const e of htmlEvents(html)) {
    if (e.kind === 'start') {
      currentTag = e.tag;
      if (e.tag === 'table') inTable = true;
    } else if (e.kind === 'end') {
      currentTag = null;
      if (e.tag === 'table') inTable = false;
    } else if (e.kind === 'data' && inTable) {
      if (e.text === 'Image Not Found') currentImg = null;
      else if (currentTag === 'a') {
        const parts = e.text.split('/');
        const id = parts.length >= 2 ? parts[parts.length - 2] : undefined;
        if (id === undefined) throw new TorchError('list index out of range');
        // glob(root/<id>_*.jpg)[0], in the directory's own order
        const match = listDir(root).find((f) => f.startsWith(`${id}_`) && f.endsWith('.jpg') && !f.startsWith('.'));
        if (match === undefined) throw new TorchError('list index out of range');
        currentImg = path.join(root, match);
        annotations.set(currentImg, []);
      } else if (currentTag === 'li' && currentImg) annotations.get(currentImg)!.push(e.text.trim());
    }
  }
  return annotations;
}

/** What Flickr8k and Flickr30k share: the ids, their captions, the items. */
abstract class FlickrBase<I, T> extends VisionDataset<[I, T]> {
  readonly annFile: string;
  readonly annotations: Map<string, string[]>;
  /** the image ids (file paths for Flickr8k, names for Flickr30k), sorted */
  readonly ids: string[];

  protected constructor(name: string, args: unknown[], read: (annFile: string, root: string) => Map<string, string[]>) {
    const o = bindDatasetArgs<FlickrOptions & { root: string; annFile: string }>(name, args, ['root', 'annFile'], FLICKR_ARGS);
    super(o);
    this.annFile = expandUser(o.annFile);
    this.annotations = read(this.annFile, this.root);
    this.ids = [...this.annotations.keys()].sort(byCodePoint);
  }

  protected abstract imagePath(id: string): string;

  len(): number {
    return this.ids.length;
  }

  getItem(index: number): Promise<[I, T]> {
    return this.inTurn(
      async () => {
        const id = this.ids[listIndex(index, this.ids.length)];
        return [await readImage(this.imagePath(id), 'RGB'), this.annotations.get(id)!] as const;
      },
      ([img, captions]): [I, T] => [
        (this.transform ? this.transform(img) : img) as I,
        (this.targetTransform ? this.targetTransform(captions) : captions) as T,
      ],
    );
  }
}

export class Flickr8k<I = Tensor, T = string[]> extends FlickrBase<I, T> {
  /** Python's Flickr8k(root, ann_file, transform=None, target_transform=None) */
  constructor(root: string, annFile: string, ...rest: Rest<FlickrOptions, typeof FLICKR_ARGS>);
  constructor(root: string, options: FlickrOptions & { annFile: string });
  constructor(options: FlickrOptions & { root: string; annFile: string });
  constructor(...args: unknown[]) {
    super('Flickr8k', args, (annFile, root) => parseFlickr8k(readLines(annFile).join(''), root));
    recordConstruction(this, Flickr8k, [{ root: this.root, annFile: this.annFile, transform: this.transform, targetTransform: this.targetTransform }]);
  }

  protected imagePath(id: string): string {
    return id;
  }
}

export class Flickr30k<I = Tensor, T = string[]> extends FlickrBase<I, T> {
  /** Python's Flickr30k(root, ann_file, transform=None, target_transform=None) */
  constructor(root: string, annFile: string, ...rest: Rest<FlickrOptions, typeof FLICKR_ARGS>);
  constructor(root: string, options: FlickrOptions & { annFile: string });
  constructor(options: FlickrOptions & { root: string; annFile: string });
  constructor(...args: unknown[]) {
    super('Flickr30k', args, (annFile) => {
      const annotations = new Map<string, string[]>();
      for (const line of readLines(annFile)) {
        const fields = line.trim().split('\t');
        if (fields.length !== 2) {
          throw new ValueError(fields.length < 2 ? `not enough values to unpack (expected 2, got ${fields.length})` : 'too many values to unpack (expected 2)');
        }
        const id = fields[0].slice(0, -2); // "<image>#<n>" less "#<n>"
        if (!annotations.has(id)) annotations.set(id, []);
        annotations.get(id)!.push(fields[1]);
      }
      return annotations;
    });
    recordConstruction(this, Flickr30k, [{ root: this.root, annFile: this.annFile, transform: this.transform, targetTransform: this.targetTransform }]);
  }

  protected imagePath(id: string): string {
    return path.join(this.root, id);
  }
}

// DataLoader worker threads rebuild these datasets by name (data/library-ref.ts).
registerLibraryExports(__filename, module.exports);
