// The XML of VOC annotations read as xml.etree.ElementTree reads it (elements, their tags and
// .text; attributes, comments and processing instructions are read past), and torchvision's
// VOCDetection.parse_voc_xml, which turns the tree into its nested dict.
import { TorchError } from '../../../errors';

/** An ElementTree element: its tag, its .text (null when none) and its child elements. */
export interface XmlElement {
  tag: string;
  text: string | null;
  children: XmlElement[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Character data with its references (&amp; &#65; &#x41;) replaced. */
function decodeText(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') return String.fromCodePoint(ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    if (!(ref in ENTITIES)) throw new TorchError(`ParseError: undefined entity ${whole}`);
    return ENTITIES[ref];
  });
}

/** ElementTree.parse(file).getroot() of an XML document's text. */
export function parseXml(xml: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  // text seen since the last tag, which becomes the open element's .text while it has no child
  let pending: string | null = null;
  const flush = () => {
    const open = stack[stack.length - 1];
    if (pending !== null && open && open.children.length === 0) open.text = (open.text ?? '') + pending;
    pending = null;
  };
  let at = 0;
  while (at < xml.length) {
    const lt = xml.indexOf('<', at);
    const textEnd = lt < 0 ? xml.length : lt;
    if (textEnd > at && stack.length) pending = (pending ?? '') + decodeText(xml.slice(at, textEnd));
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) at = xml.indexOf('-->', lt) + 3;
    else if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt);
      if (stack.length) pending = (pending ?? '') + xml.slice(lt + 9, end);
      at = end + 3;
    } else if (xml.startsWith('<?', lt)) at = xml.indexOf('?>', lt) + 2;
    else if (xml.startsWith('<!', lt)) at = xml.indexOf('>', lt) + 1;
    else {
      const end = xml.indexOf('>', lt);
      if (end < 0) throw new TorchError('ParseError: unclosed token');
      const body = xml.slice(lt + 1, end);
      at = end + 1;
      if (body.startsWith('/')) {
        const tag = body.slice(1).trim();
        flush();
        const closed = stack.pop();
        if (!closed || closed.tag !== tag) throw new TorchError(`ParseError: mismatched tag </${tag}>`);
        continue;
      }
      const selfClosing = body.endsWith('/');
      const tag = body.replace(/\/$/, '').trim().split(/\s/)[0];
      flush();
      const element: XmlElement = { tag, text: null, children: [] };
      if (stack.length) stack[stack.length - 1].children.push(element);
      else if (root) throw new TorchError('ParseError: junk after document element');
      else root = element;
      if (!selfClosing) stack.push(element);
    }
    if (at <= lt) throw new TorchError('ParseError: unclosed token');
  }
  if (!root || stack.length) throw new TorchError('ParseError: no element found');
  return root;
}

/** A value of parse_voc_xml's dict: text, a nested dict, or a list of them for repeated tags. */
export type VocValue = string | VocDict | VocValue[];
export interface VocDict {
  [tag: string]: VocValue;
}

/**
 * VOCDetection.parse_voc_xml: {tag: text} for a leaf with text, {tag: {child tag: value}} for a
 * node with children, the values of repeated tags in a list; the annotation's `object` is always a
 * list of the objects (wrapped once more, then unwrapped as a single entry); an element without
 * text or children gives {}.
 */
export function parseVocXml(node: XmlElement): VocDict {
  let out: VocDict = {};
  if (node.children.length) {
    const grouped = new Map<string, VocValue[]>();
    for (const child of node.children.map(parseVocXml)) {
      for (const [tag, v] of Object.entries(child)) {
        if (!grouped.has(tag)) grouped.set(tag, []);
        grouped.get(tag)!.push(v);
      }
    }
    if (node.tag === 'annotation') grouped.set('object', [grouped.get('object') ?? []]);
    const inner: VocDict = {};
    for (const [tag, v] of grouped) inner[tag] = v.length === 1 ? v[0] : v;
    out = { [node.tag]: inner };
  }
  if (node.text && node.children.length === 0) out[node.tag] = node.text.trim();
  return out;
}
