// The bracketed contents of a non-empty tensor (PyTorch's _tensor_str): read the shown elements,
// pick one formatter for all of them, then lay them out.
import type { Tensor } from '../tensor';
import { planGrid, readElements } from './data';
import { FloatFormatter, TextFormatter } from './formatter';
import { renderBody } from './layout';
import { PrintOptions } from './options';

// Complex values are 'real+imagj'; the imaginary part keeps its own sign and loses its padding.
function complexText(real: string, imag: string): string {
  const im = `${imag}j`.trimStart();
  return im[0] === '+' || im[0] === '-' ? real + im : `${real}+${im}`;
}

export function tensorBody(t: Tensor, indent: number, options: PrintOptions): string {
  const shape = t.shape;
  const summarize = t.numel() > options.threshold;
  const grid = planGrid(shape, summarize, options.edgeitems);
  const elements = readElements(t, grid);
  let cells: string[];
  let elementLength: number;
  if (elements.kind === 'text') {
    const f = new TextFormatter(elements.texts);
    cells = elements.texts.map((s) => f.format(s));
    elementLength = f.width + 2;
  } else if (elements.kind === 'float') {
    const f = new FloatFormatter(elements.values, options);
    cells = Array.from(elements.values, (v) => f.format(v));
    elementLength = f.width + 2;
  } else {
    const { re, im } = elements;
    const fr = new FloatFormatter(re, options);
    const fi = new FloatFormatter(im, options);
    cells = re.map((r, i) => complexText(fr.format(r), fi.format(im[i])));
    // real, ', ', imaginary and its 'j'
    elementLength = fr.width + 2 + fi.width + 1;
  }
  return renderBody({ grid, cells, elementLength, linewidth: options.linewidth }, indent);
}
