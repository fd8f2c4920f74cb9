// Rasterisation as Pillow 9's ImageDraw does it on an RGB image (what torchvision 0.14's draw_*
// functions call), reproduced from its outputs: rectangles with outline widths, filled ellipses,
// one-pixel (Bresenham) lines and wide lines (filled quadrilaterals, with Pillow's float32
// scanline arithmetic). Pixels outside the canvas are clipped.
import { Tensor } from '../../tensor/tensor';
import { uint8 } from '../../tensor/dtype';
import { tensor as tensorOf } from '../../tensor/create';

/** An RGB image as PIL holds it: height x width pixels, 3 bytes each. */
export interface Canvas {
  pixels: Uint8Array;
  height: number;
  width: number;
}
/** A [3, H, W] uint8 image as a canvas (a copy, on the CPU), as Image.fromarray makes it. */
export function toCanvas(rgb: Tensor): Canvas {
  const [, height, width] = rgb.shape;
  return { pixels: Uint8Array.from(rgb.permute([1, 2, 0]).to('cpu').contiguous().toTypedArray() as Uint8Array), height, width };
}

/** The canvas as a [3, H, W] uint8 CPU tensor, as torch.from_numpy(np.array(img)).permute(2, 0, 1). */
export function fromCanvas(c: Canvas): Tensor {
  return tensorOf(c.pixels, { dtype: uint8 }).view([c.height, c.width, 3]).permute([2, 0, 1]).contiguous();
}

/** Paints the pixel at (x, y), known to be on the canvas. */
export type Paint = (canvas: Canvas, x: number, y: number) => void;

/** An opaque colour (its first 3 components). */
export const solid = (rgb: readonly number[]): Paint => (c, x, y) => {
  const at = (y * c.width + x) * 3;
  for (let k = 0; k < 3; k++) c.pixels[at + k] = rgb[k];
};

/** PIL's blend of an RGBA ink over RGB: (old * (255 - a) + ink * a) / 255, rounded as PIL divides by 255. */
export const blended = (rgb: readonly number[], alpha: number): Paint => (c, x, y) => {
  const at = (y * c.width + x) * 3;
  for (let k = 0; k < 3; k++) {
    const v = c.pixels[at + k] * (255 - alpha) + rgb[k] * alpha + 128;
    c.pixels[at + k] = ((v >> 8) + v) >> 8;
  }
};

function point(c: Canvas, x: number, y: number, paint: Paint): void {
  if (x >= 0 && x < c.width && y >= 0 && y < c.height) paint(c, x, y);
}

/** A horizontal run x0..x1 (inclusive, either order) on row y. */
export function hline(c: Canvas, x0: number, y: number, x1: number, paint: Paint): void {
  if (y < 0 || y >= c.height) return;
  if (x0 > x1) [x0, x1] = [x1, x0];
  for (let x = Math.max(x0, 0); x <= Math.min(x1, c.width - 1); x++) paint(c, x, y);
}

/** A vertical run on column x from row y0 towards y1, y1 itself excluded (as PIL's line steps). */
function vlineOpen(c: Canvas, x: number, y0: number, y1: number, paint: Paint): void {
  const step = y1 >= y0 ? 1 : -1;
  for (let y = y0; y !== y1; y += step) point(c, x, y, paint);
}

/**
 * ImageDraw.rectangle([x0, y0, x1, y1], outline, fill, width) on integer corners: the fill covers
 * rows y0..y1 and columns x0..x1; the outline is `width` rows at the top and bottom and `width`
 * columns each side between them, drawn as PIL draws them even when they overlap or overshoot.
 */
export function rectangle(c: Canvas, [x0, y0, x1, y1]: readonly number[], width: number, outline: Paint, fill: Paint | null): void {
  if (y0 > y1) [y0, y1] = [y1, y0];
  if (fill) for (let y = Math.max(y0, 0); y <= Math.min(y1, c.height - 1); y++) hline(c, x0, y, x1, fill);
  for (let i = 0; i < width; i++) {
    hline(c, x0, y0 + i, x1, outline);
    hline(c, x0, y1 - i, x1, outline);
    vlineOpen(c, x1 - i, y0 + width, y1 - width + 1, outline);
    vlineOpen(c, x0 + i, y0 + width, y1 - width + 1, outline);
  }
}

/** A one-pixel line from (x0, y0) to (x1, y1), both ends included (Bresenham, as PIL steps it). */
export function line(c: Canvas, x0: number, y0: number, x1: number, y1: number, paint: Paint): void {
  const xs = x1 < x0 ? -1 : 1;
  const ys = y1 < y0 ? -1 : 1;
  const dx = Math.abs(x1 - x0);
  const dy = Math.abs(y1 - y0);
  // one pixel a step along the longer axis (y when they are equal); the error term moves the other
  const xMajor = dx > dy;
  const [major, minor] = xMajor ? [dx, dy] : [dy, dx];
  let e = 2 * minor - major;
  for (let i = 0; i <= major; i++) {
    point(c, x0, y0, paint);
    if (e >= 0) {
      if (xMajor) y0 += ys;
      else x0 += xs;
      e -= 2 * major;
    }
    e += 2 * minor;
    if (xMajor) x0 += xs;
    else y0 += ys;
  }
}

/** C's rounding of PIL's ROUND_UP / ROUND_DOWN: halves away from / towards zero, by magnitude. */
const roundUp = (f: number) => (f >= 0 ? Math.floor(f + 0.5) : -Math.floor(Math.abs(f) + 0.5));
const roundDown = (f: number) => (f >= 0 ? Math.ceil(f - 0.5) : -Math.ceil(Math.abs(f) - 0.5));

interface Edge {
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
  x0: number;
  y0: number;
  /** float32 x step per row */
  dx: number;
}

function edge(x0: number, y0: number, x1: number, y1: number): Edge {
  const f = Math.fround;
  return { xmin: Math.min(x0, x1), xmax: Math.max(x0, x1), ymin: Math.min(y0, y1), ymax: Math.max(y0, y1), x0, y0, dx: y0 === y1 ? 0 : f(f(x1 - x0) / f(y1 - y0)) };
}

/** PIL's polygon fill: horizontal edges as runs, then per row the spans between sorted crossings (float32). */
function fillPolygon(c: Canvas, edges: Edge[], paint: Paint): void {
  const f = Math.fround;
  const sloped = edges.filter((e) => e.ymin !== e.ymax);
  for (const e of edges) if (e.ymin === e.ymax) hline(c, e.xmin, e.ymin, e.xmax, paint);
  if (sloped.length === 0) return;
  const ymin = Math.min(...edges.map((e) => e.ymin));
  const ymax = Math.max(...edges.map((e) => e.ymax));
  for (let y = Math.max(ymin, -1); y <= Math.min(ymax, c.height); y++) {
    const xs: number[] = [];
    for (const e of sloped) {
      if (y < e.ymin || y > e.ymax) continue;
      xs.push(f(f(f(y - e.y0) * e.dx) + f(e.x0)));
      // an edge's last row counts twice (below the polygon's bottom), so corners join up
      if (y === e.ymax && y < ymax) xs.push(xs[xs.length - 1]);
    }
    xs.sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i += 2) hline(c, roundUp(xs[i - 1]), y, roundDown(xs[i]), paint);
  }
}

/** A line `width` (> 1) pixels wide: PIL's quadrilateral around the segment, filled. */
export function wideLine(c: Canvas, x0: number, y0: number, x1: number, y1: number, width: number, paint: Paint): void {
  const dx = x1 - x0;
  const dy = y1 - y0;
  if (dx === 0 && dy === 0) {
    point(c, x0, y0, paint);
    return;
  }
  const length = Math.hypot(dx, dy);
  const half = (width - 1) / 2;
  const ratioMax = roundUp(half) / length;
  const ratioMin = roundDown(half) / length;
  const [dxMin, dxMax] = [roundDown(ratioMin * dy), roundDown(ratioMax * dy)];
  const [dyMin, dyMax] = [roundDown(ratioMin * dx), roundDown(ratioMax * dx)];
  const v = [[x0 - dxMin, y0 + dyMax], [x1 - dxMin, y1 + dyMax], [x1 + dxMax, y1 - dyMin], [x0 + dxMax, y0 - dyMin]];
  fillPolygon(c, [0, 1, 2, 3].map((i) => edge(v[i][0], v[i][1], v[(i + 1) % 4][0], v[(i + 1) % 4][1])), paint);
}

/**
 * A filled ellipse in the box [x0, y0, x1, y1] (inclusive corners), as Pillow 9 traces it: one
 * quarter of the curve walked in half-pixel units from its right end to its top, each step to the
 * neighbour nearest the curve, then each row filled out to the traced x and mirrored.
 */
export function filledEllipse(c: Canvas, x0: number, y0: number, x1: number, y1: number, paint: Paint): void {
  const a = x1 - x0;
  const b = y1 - y0;
  if (a < 0 || b < 0 || (a === 0 && b === 0)) return;
  const [a2, b2] = [a * a, b * b];
  const miss = (x: number, y: number) => Math.abs(a2 * y * y + b2 * x * x - a2 * b2);
  let [x, y] = [a, b % 2];
  const [endX, endY] = [a % 2, b];
  const reach = new Map<number, number>([[y, x]]);
  while (x !== endX || y !== endY) {
    // on a tie the earlier candidate wins: up, then diagonal, then left
    let best: [number, number] | null = null;
    for (const [cx, cy] of [[x, y + 2], [x - 2, y + 2], [x - 2, y]] as const) {
      if (cx < endX || cy > endY) continue;
      if (best === null || miss(cx, cy) < miss(best[0], best[1])) best = [cx, cy];
    }
    [x, y] = best!;
    reach.set(y, Math.max(reach.get(y) ?? -Infinity, x));
  }
  for (const [ry, rx] of reach) {
    for (const yy of ry === 0 ? [0] : [ry, -ry]) hline(c, x0 + (a - rx) / 2, y0 + (yy + b) / 2, x0 + (rx + a) / 2, paint);
  }
}
