// utils.drawSegmentationMasks, utils.drawBoundingBoxes and utils.drawKeypoints against torchvision 0.14 (Pillow 9 draws
// its boxes) on the same images: pixels exactly, for random boxes (inside, overshooting, degenerate,
// fractional, widths past half the box), filled and not, grayscale and RGB, every colour form;
// random keypoints (radii 0-6, in and out of the image) joined by lines 0-8 wide; the
// colour strings as PIL's ImageColor.getrgb reads them; the errors with Python's messages.
import * as torch from '../lib';
import { utils } from '../lib/vision';
import { getrgb } from '../lib/vision/utils/colors';
import { runPython } from './helpers/python';

jest.setTimeout(120_000);

type Img = torch.Tensor;
type Color = utils.Color;

/** A small deterministic generator for the box cases (the oracle gets the same numbers as JSON). */
function lcg(seed: number) {
  let s = seed;
  return (lo: number, hi: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return lo + (s % (hi - lo + 1));
  };
}
const next = lcg(7);
/** [boxes, width, fill] for an image 24 high, 30 wide */
const BOX_CASES: [number[][], number, boolean][] = Array.from({ length: 40 }, (_, k) => {
  const n = next(1, 4);
  const boxes = Array.from({ length: n }, () => {
    const x0 = next(-6, 32), y0 = next(-6, 26);
    // some fractional corners: torchvision truncates them
    const frac = k % 3 === 0 ? 0.75 : 0;
    return [x0 + frac, y0, x0 + next(0, 14) + frac, y0 + next(0, 12)];
  });
  return [boxes, next(0, 7), k % 2 === 0];
});

/** [keypoints [N, K, 2], connectivity, colors, radius, width] */
const KEYPOINT_CASES: [number[][][], [number, number][] | null, Color | null, number, number][] = Array.from({ length: 30 }, (_, k) => {
  const n = next(1, 2);
  const kpts = Array.from({ length: n }, () => Array.from({ length: 4 }, () => [next(-4, 33) + (k % 4 === 1 ? 0.6 : 0), next(-4, 27)]));
  const pairs: [number, number][] = [[0, 1], [1, 2], [2, 3], [3, 0], [0, 2], [-1, 1]].filter(() => next(0, 2) > 0) as [number, number][];
  const colors: (Color | null)[] = ['red', [10, 200, 30], null, '#abcdef'];
  return [kpts, k % 5 === 0 ? null : pairs, colors[k % 4], next(0, 6), next(0, 8)];
});

/** [Python arguments after (image, boxes), image name, the same call here] */
const COLOR_CASES: [string, 'rgb' | 'gray', (img: Img, boxes: Img) => Img][] = [
  ["colors='red'", 'rgb', (i, b) => utils.drawBoundingBoxes(i, b, { colors: 'red' })],
  ["colors=(240, 10, 157), width=3", 'rgb', (i, b) => utils.drawBoundingBoxes(i, b, { colors: [240, 10, 157], width: 3 })],
  ["colors=['#0f0', 'hsl(200, 50%, 40%)', (1, 2, 3)], fill=True", 'rgb', (i, b) => utils.drawBoundingBoxes(i, b, { colors: ['#0f0', 'hsl(200, 50%, 40%)', [1, 2, 3]], fill: true })],
  ['None, None, True, 2', 'gray', (i, b) => utils.drawBoundingBoxes(i, b, null, null, true, 2)],
  ['labels=[None, None, None], width=0, fill=True', 'rgb', (i, b) => utils.drawBoundingBoxes(i, b, { labels: [null, null, null], width: 0, fill: true })],
];
const COLOR_BOXES = [[2, 3, 20, 15], [10.5, 0, 29, 23], [0, 12, 6, 12]];

/** [Python arguments after (image, masks), the same call here] */
const MASK_CASES: [string, (img: Img, masks: Img) => Img][] = [
  ['', (i, m) => utils.drawSegmentationMasks(i, m)],
  ['alpha=0.3', (i, m) => utils.drawSegmentationMasks(i, m, { alpha: 0.3 })],
  ["0.5, ['red', (10, 200, 30), '#123456']", (i, m) => utils.drawSegmentationMasks(i, m, 0.5, ['red', [10, 200, 30], '#123456'])],
  ["colors='blue'", (i, m) => utils.drawSegmentationMasks(i, m, { colors: 'blue' })],
  ['colors=(7, 8, 9), alpha=1.0', (i, m) => utils.drawSegmentationMasks(i, m, { colors: [7, 8, 9], alpha: 1.0 })],
  ["colors=['rgb(10%, 50%, 90%)', 'hsv(120, 40%, 70%)', 'DarkOliveGreen', 'red'], alpha=0.65", (i, m) => utils.drawSegmentationMasks(i, m, { colors: ['rgb(10%, 50%, 90%)', 'hsv(120, 40%, 70%)', 'DarkOliveGreen', 'red'], alpha: 0.65 })],
];

const COLOR_STRINGS = ['red', 'ReD', 'lightgoldenrodyellow', '#abc', '#abcd', '#A0B1C2', '#a0b1c2d3', 'rgb(1, 2,3)', 'rgb( 10% ,20%, 33%)',
  'hsl(0, 100%, 50%)', 'hsl(359.5, 20%, 80%)', 'hsl(720, 0%, 30%)', 'hsv(90, 100%, 50%)', 'hsb(300.25, 33%, 66%)', 'rgba(1,2,3,4)', 'grey', 'rebeccapurple'];

const u8 = (shape: number[]) => torch.zeros(shape, { dtype: torch.uint8 });
const B = (rows: number[][]) => torch.tensor(rows);
/** [Python expression, the same call here]: the same exception class and message */
const ERRORS: [string, () => unknown][] = [
  ['U.draw_bounding_boxes(img.float(), torch.tensor([[0, 0, 1, 1]]))', () => utils.drawBoundingBoxes(images.rgb.float(), B([[0, 0, 1, 1]]))],
  ['U.draw_bounding_boxes(img[None], torch.tensor([[0, 0, 1, 1]]))', () => utils.drawBoundingBoxes(images.rgb.unsqueeze(0), B([[0, 0, 1, 1]]))],
  ['U.draw_bounding_boxes(torch.zeros(2, 4, 4, dtype=torch.uint8), torch.tensor([[0, 0, 1, 1]]))', () => utils.drawBoundingBoxes(u8([2, 4, 4]), B([[0, 0, 1, 1]]))],
  ['U.draw_bounding_boxes(img, torch.tensor([[3, 0, 1, 1]]))', () => utils.drawBoundingBoxes(images.rgb, B([[3, 0, 1, 1]]))],
  ['U.draw_bounding_boxes(img, torch.tensor([[0, 2.5, 1, 2.2]]))', () => utils.drawBoundingBoxes(images.rgb, B([[0, 2.5, 1, 2.2]]))],
  ["U.draw_bounding_boxes(img, torch.tensor([[0, 0, 1, 1]]), labels=['a', 'b'])", () => utils.drawBoundingBoxes(images.rgb, B([[0, 0, 1, 1]]), { labels: ['a', 'b'] })],
  ["U.draw_bounding_boxes(img, torch.tensor([[0, 0, 1, 1], [1, 1, 2, 2]]), colors=['red'])", () => utils.drawBoundingBoxes(images.rgb, B([[0, 0, 1, 1], [1, 1, 2, 2]]), { colors: ['red'] })],
  ["U.draw_bounding_boxes(img, torch.tensor([[0, 0, 1, 1]]), colors='nocolour')", () => utils.drawBoundingBoxes(images.rgb, B([[0, 0, 1, 1]]), { colors: 'nocolour' })],
  ['U.draw_segmentation_masks(img.float(), masks)', () => utils.drawSegmentationMasks(images.rgb.float(), images.masks)],
  ['U.draw_segmentation_masks(img[None], masks)', () => utils.drawSegmentationMasks(images.rgb.unsqueeze(0), images.masks)],
  ['U.draw_segmentation_masks(img[:1], masks)', () => utils.drawSegmentationMasks(images.rgb.narrow(0, 0, 1), images.masks)],
  ['U.draw_segmentation_masks(img, masks[None])', () => utils.drawSegmentationMasks(images.rgb, images.masks.unsqueeze(0))],
  ['U.draw_segmentation_masks(img, masks.to(torch.uint8))', () => utils.drawSegmentationMasks(images.rgb, images.masks.to(torch.uint8))],
  ['U.draw_segmentation_masks(img, masks[:, 1:])', () => utils.drawSegmentationMasks(images.rgb, images.masks.narrow(1, 1, 23))],
  ["U.draw_segmentation_masks(img, masks, colors=['red', 'blue'])", () => utils.drawSegmentationMasks(images.rgb, images.masks, { colors: ['red', 'blue'] })],
  ["U.draw_segmentation_masks(img, masks, colors='re')", () => utils.drawSegmentationMasks(images.rgb, images.masks, { colors: 're' })],
  ['U.draw_segmentation_masks(img, masks, colors=[(1, 2, 3, 4)] * 3)', () => utils.drawSegmentationMasks(images.rgb, images.masks, { colors: [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]] })],
  ['U.draw_keypoints(img.float(), kpts)', () => utils.drawKeypoints(images.rgb.float(), KPTS)],
  ['U.draw_keypoints(img[None], kpts)', () => utils.drawKeypoints(images.rgb.unsqueeze(0), KPTS)],
  ['U.draw_keypoints(img[:1], kpts)', () => utils.drawKeypoints(images.rgb.narrow(0, 0, 1), KPTS)],
  ['U.draw_keypoints(img, kpts[0])', () => utils.drawKeypoints(images.rgb, KPTS.select(0, 0))],
  ['U.draw_keypoints(img, kpts, [(0, 5)])', () => utils.drawKeypoints(images.rgb, KPTS, [[0, 5]])],
  ["ImageColor.getrgb('rgb(1, 2)')", () => getrgb('rgb(1, 2)')],
  ["ImageColor.getrgb('x' * 101)", () => getrgb('x'.repeat(101))],
];

const KPTS = torch.tensor([[[1, 2], [5, 6]]]);

let py: {
  negativeRadius: number[];
  keypoints: number[][];
  boxes: number[][];
  colorBoxes: number[][];
  masks: number[][];
  colors: number[][];
  errors: [string, string][];
  empty: boolean[];
};
const images = {} as { rgb: Img; gray: Img; masks: Img };

beforeAll(() => {
  py = runPython(`
import warnings
warnings.filterwarnings('ignore')
import torchvision.utils as U
from PIL import ImageColor
torch.manual_seed(0)
img = torch.randint(0, 256, (3, 24, 30), dtype=torch.uint8)
gray = torch.randint(0, 256, (1, 24, 30), dtype=torch.uint8)
masks = torch.rand(3, 24, 30) < 0.4
kpts = torch.tensor([[[1, 2], [5, 6]]])
images = dict(rgb=img, gray=gray)
flat = lambda t: t.flatten().tolist()
boxes = [flat(U.draw_bounding_boxes(img, torch.tensor(b), width=w, fill=f)) for b, w, f in json.loads(${JSON.stringify(JSON.stringify(BOX_CASES))})]
color_boxes = []
for args, name in ${JSON.stringify(COLOR_CASES.map(([a, n]) => [a, n]))}:
    color_boxes.append(flat(eval('U.draw_bounding_boxes(images[name], torch.tensor(${JSON.stringify(COLOR_BOXES)}), ' + args + ')')))
mask_out = []
for i, args in enumerate(${JSON.stringify(MASK_CASES.map(([a]) => a))}):
    m = masks[0] if i == 1 else masks
    mask_out.append(flat(eval('U.draw_segmentation_masks(img, m, ' + args + ')')))
m4 = torch.cat([masks, masks[:1].flip(-1)])
mask_out.append(flat(U.draw_segmentation_masks(img, m4)))
def error(code):
    try:
        eval(code)
        return ['', 'no error']
    except Exception as e:
        return [type(e).__name__, str(e)]
empty = [U.draw_bounding_boxes(img, torch.zeros(0, 4)) is img, U.draw_segmentation_masks(img, masks[:0]) is img]
keypoints = [flat(U.draw_keypoints(img, torch.tensor(k), c if c is None else [tuple(p) for p in c], tuple(col) if isinstance(col, list) else col, r, w))
             for k, c, col, r, w in json.loads(${JSON.stringify(JSON.stringify(KEYPOINT_CASES))})]
result = {'negativeRadius': flat(U.draw_keypoints(img, torch.tensor([[[3, 4], [6, 6]]]), colors='red', radius=-1)), 'keypoints': keypoints, 'boxes': boxes, 'colorBoxes': color_boxes, 'masks': mask_out,
          'colors': [list(ImageColor.getrgb(c)) for c in ${JSON.stringify(COLOR_STRINGS)}],
          'errors': [error(c) for c in ${JSON.stringify(ERRORS.map(([c]) => c))}], 'empty': empty}
`);
  torch.manualSeed(0);
  images.rgb = torch.randint(0, 256, [3, 24, 30], { dtype: torch.uint8 });
  images.gray = torch.randint(0, 256, [1, 24, 30], { dtype: torch.uint8 });
  images.masks = torch.rand(3, 24, 30).lt(0.4);
});

const mismatches = (a: Img, values: number[]) => {
  const got = a.flatten().tolist() as number[];
  return got.length !== values.length ? -1 : got.filter((v, i) => v !== values[i]).length;
};

test.each(BOX_CASES.map((c, i) => [i, c] as const))('drawBoundingBoxes case %i equals torchvision pixel for pixel', (i, [boxes, width, fill]) => {
  const out = utils.drawBoundingBoxes(images.rgb, torch.tensor(boxes), { width, fill });
  expect(out.shape).toEqual([3, 24, 30]);
  expect(out.dtype).toBe(torch.uint8);
  expect(mismatches(out, py.boxes[i])).toBe(0);
});

test.each(KEYPOINT_CASES.map((c, i) => [i, c] as const))('drawKeypoints case %i equals torchvision pixel for pixel', (i, [kpts, connectivity, colors, radius, width]) => {
  const out = utils.drawKeypoints(images.rgb, torch.tensor(kpts), connectivity, colors, radius, width);
  expect(out.shape).toEqual([3, 24, 30]);
  expect(mismatches(out, py.keypoints[i])).toBe(0);
});

test.each(COLOR_CASES.map(([args, name, fn], i) => [args, name, fn, i] as const))('drawBoundingBoxes(%s) on %s equals torchvision', (_args, name, fn, i) => {
  const out = fn(images[name], torch.tensor(COLOR_BOXES));
  expect(out.shape).toEqual([3, 24, 30]);
  expect(mismatches(out, py.colorBoxes[i])).toBe(0);
});

test.each(MASK_CASES.map(([args, fn], i) => [args, fn, i] as const))('drawSegmentationMasks(%s) equals torchvision', (_args, fn, i) => {
  const masks = i === 1 ? images.masks.select(0, 0) : images.masks;
  const out = fn(images.rgb, masks);
  expect(out.dtype).toBe(torch.uint8);
  expect(mismatches(out, py.masks[i])).toBe(0);
});

test('drawSegmentationMasks with the default palette for 4 masks equals torchvision', () => {
  const m4 = torch.cat([images.masks, images.masks.narrow(0, 0, 1).flip([-1])]);
  expect(mismatches(utils.drawSegmentationMasks(images.rgb, m4), py.masks[MASK_CASES.length])).toBe(0);
});

test("colour strings read as PIL's ImageColor.getrgb reads them", () => {
  expect(COLOR_STRINGS.map((c) => [...getrgb(c)])).toEqual(py.colors);
});

test('no boxes or no masks: the image itself, as torchvision returns it', () => {
  expect([utils.drawBoundingBoxes(images.rgb, torch.zeros(0, 4)) === images.rgb, utils.drawSegmentationMasks(images.rgb, images.masks.narrow(0, 0, 0)) === images.rgb]).toEqual(py.empty);
});

test.each(ERRORS.map(([code, fn], i) => [code, fn, i] as const))('%s raises as torchvision', (_code, fn, i) => {
  const [cls, message] = py.errors[i];
  let caught: Error | undefined;
  try {
    fn();
  } catch (e) {
    caught = e as Error;
  }
  expect(caught).toBeInstanceOf(torch.TorchError);
  expect(caught!.message).toBe(message);
  expect(caught!.name).toBe(cls);
});

test('drawKeypoints with a negative radius equals torchvision (PIL draws no empty ellipse)', () => {
  const out = utils.drawKeypoints(images.rgb, torch.tensor([[[3, 4], [6, 6]]]), { colors: 'red', radius: -1 });
  expect(mismatches(out, py.negativeRadius)).toBe(0);
});

test('labels are refused with NotImplementedError: torch-node has no font to draw them', () => {
  expect(() => utils.drawBoundingBoxes(images.rgb, torch.tensor([[0, 0, 5, 5]]), { labels: ['cat'] })).toThrow(torch.NotImplementedError);
  // absent labels (null entries, or none at all) draw as torchvision does
  expect(utils.drawBoundingBoxes(images.rgb, torch.tensor([[0, 0, 5, 5]]), { labels: [null] }).shape).toEqual([3, 24, 30]);
});
