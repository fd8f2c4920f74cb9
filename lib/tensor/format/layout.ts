// Nested brackets: rows wrapped to the line width, `...` where a dimension is summarised, and
// dim-1 blank lines between the blocks of a dim-dimensional slice.
import { Grid } from './data';

export interface Layout {
  readonly grid: Grid;
  /** formatted, width-aligned elements, row-major over grid.kept */
  readonly cells: string[];
  /** characters one element takes in a row, with its ', ' */
  readonly elementLength: number;
  readonly linewidth: number;
}

function withEllipsis(items: string[], cut: boolean, edgeitems: number, mark: string): string[] {
  return cut ? [...items.slice(0, edgeitems), mark, ...items.slice(edgeitems)] : items;
}

function vector(layout: Layout, offset: number, indent: number): string {
  const d = layout.grid.kept.length - 1;
  const items = layout.cells.slice(offset, offset + layout.grid.kept[d]);
  const shown = withEllipsis(items, layout.grid.cut[d], layout.grid.edgeitems, ' ...');
  const perLine = Math.max(1, Math.floor((layout.linewidth - indent) / layout.elementLength));
  const lines: string[] = [];
  for (let i = 0; i < shown.length; i += perLine) lines.push(shown.slice(i, i + perLine).join(', '));
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

function block(layout: Layout, d: number, offset: number, indent: number): string {
  const { kept, cut, edgeitems } = layout.grid;
  if (d === kept.length - 1) return vector(layout, offset, indent);
  const stride = kept.slice(d + 1).reduce((a, b) => a * b, 1);
  const slices: string[] = [];
  for (let i = 0; i < kept[d]; i++) slices.push(block(layout, d + 1, offset + i * stride, indent + 1));
  const remaining = kept.length - d;
  const separator = `,${'\n'.repeat(remaining - 1)}${' '.repeat(indent + 1)}`;
  return `[${withEllipsis(slices, cut[d], edgeitems, '...').join(separator)}]`;
}

/** The bracketed body of a non-empty tensor; `indent` is the column its first '[' sits at. */
export function renderBody(layout: Layout, indent: number): string {
  return layout.grid.kept.length === 0 ? layout.cells[0] : block(layout, 0, 0, indent);
}
