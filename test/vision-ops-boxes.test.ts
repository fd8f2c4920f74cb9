// vision.ops box utilities and nms against torchvision.ops 0.14: values and gradients of the IoU
// family, box_area, box_convert, clip_boxes_to_image; remove_small_boxes, masks_to_boxes; nms and
// batched_nms keep exactly torchvision's indices in its order (ties, float32 thresholds, 10k boxes,
// both batched_nms paths), with its error messages.
import * as torch from '../lib';
import { Tensor } from '../lib';
import { ops } from '../lib/vision';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';

jest.setTimeout(300_000);
const close = closeWithin(1e-12);

type Pair = [string, string, (a: Tensor, b: Tensor) => Tensor];
// [label, Python expression over a, b, the same in JS]
const PAIRS: Pair[] = [
  ['box_iou', 'box_iou(a, b)', (a, b) => ops.boxIou(a, b)],
  ['generalized_box_iou', 'generalized_box_iou(a, b)', (a, b) => ops.generalizedBoxIou(a, b)],
  ['distance_box_iou', 'distance_box_iou(a, b)', (a, b) => ops.distanceBoxIou(a, b)],
  ['distance_box_iou eps', 'distance_box_iou(a, b, eps=1e-3)', (a, b) => ops.distanceBoxIou(a, b, { eps: 1e-3 })],
  ['complete_box_iou', 'complete_box_iou(a, b)', (a, b) => ops.completeBoxIou(a, b)],
  ['complete_box_iou positional eps', 'complete_box_iou(a, b, 0.01)', (a, b) => ops.completeBoxIou(a, b, 0.01)],
  ['box_area', 'box_area(a)', (a) => ops.boxArea(a)],
  ['clip_boxes_to_image', 'clip_boxes_to_image(a * 3 - 2, (2, 3))', (a) => ops.clipBoxesToImage(a.mul(3).sub(2), [2, 3])],
];
const FORMATS = ['xyxy', 'xywh', 'cxcywh'] as const;
for (const i of FORMATS) {
  for (const o of FORMATS) PAIRS.push([`box_convert ${i} -> ${o}`, `box_convert(a, '${i}', '${o}')`, (a) => ops.boxConvert(a, i, o)]);
}
PAIRS.push(['box_convert keywords', "box_convert(a, in_fmt='cxcywh', out_fmt='xywh')", (a) => ops.boxConvert(a, { inFmt: 'cxcywh', outFmt: 'xywh' })]);

interface Grads {
  out: number[][] | number[];
  ga: number[][];
  gb: number[][] | null;
}
interface Py {
  a: number[][];
  b: number[][];
  w: number[][];
  cases: Grads[];
  iouF32: number[][];
  areaU8: { values: number[]; dtype: string };
  small: number[];
  masks: number[][][];
  maskBoxes: number[][];
  convertError: string;
}

let py: Py;
beforeAll(() => {
  py = runPython<Py>(`
from torchvision.ops import *
torch.manual_seed(0)
def boxes(n):
    xy = torch.rand(n, 2, dtype=torch.float64)
    return torch.cat([xy, xy + torch.rand(n, 2, dtype=torch.float64) * 0.8 + 0.05], 1)
a0, b0 = boxes(5), boxes(6)
b0[2] = a0[1]  # a coincident pair: IoU 1, max/min ties
w = torch.randn(5, 6, dtype=torch.float64)
cases = []
for expr in ${JSON.stringify(PAIRS.map((p) => p[1]))}:
    a, b = a0.clone().requires_grad_(), b0.clone().requires_grad_()
    o = eval(expr)
    o.mul(w[: o.shape[0], : o.shape[1]] if o.dim() == 2 else w[0, : o.shape[0]]).sum().backward()
    cases.append({'out': o.tolist(), 'ga': a.grad.tolist(), 'gb': None if b.grad is None else b.grad.tolist()})
masks = torch.zeros(3, 5, 7, dtype=torch.uint8)
masks[0, 1:3, 2:6] = 1; masks[1, 4, 0] = 3; masks[2, 0:5, 6] = 1; masks[2, 2, 1] = 1
result = {
  'a': a0.tolist(), 'b': b0.tolist(), 'w': w.tolist(), 'cases': cases,
  'iouF32': box_iou(a0.float(), b0.float()).tolist(),
  'areaU8': {'values': box_area((a0 * 50).to(torch.uint8)).tolist(), 'dtype': str(box_area((a0 * 50).to(torch.uint8)).dtype)},
  'small': remove_small_boxes(a0, 0.4).tolist(),
  'masks': masks.tolist(), 'maskBoxes': masks_to_boxes(masks).tolist(),
  'convertError': err(lambda: box_convert(a0, 'xyxy', 'yxyx')),
}
`);
});

describe('box utilities', () => {
  test.each(PAIRS.map((p, i) => [p[0], i] as const))('%s: values and gradients', (_label, i) => {
    const a = torch.tensor(py.a, { dtype: torch.float64, requiresGrad: true });
    const b = torch.tensor(py.b, { dtype: torch.float64, requiresGrad: true });
    const o = PAIRS[i][2](a, b);
    const w = torch.tensor(py.w, { dtype: torch.float64 });
    o.mul(o.dim() === 2 ? w.narrow(0, 0, o.size(0)).narrow(1, 0, o.size(1)) : w.index(0).narrow(0, 0, o.size(0))).sum().backward();
    const want = py.cases[i];
    close(o.tolist(), want.out);
    close(a.grad!.tolist(), want.ga);
    if (want.gb === null) expect(b.grad).toBeNull();
    else close(b.grad!.tolist(), want.gb);
  });

  test('float32 IoU, uint8 areas upcast to int32, remove_small_boxes, masks_to_boxes, errors', () => {
    const a = torch.tensor(py.a, { dtype: torch.float64 });
    const b = torch.tensor(py.b, { dtype: torch.float64 });
    closeWithin(1e-7)(ops.boxIou(a.float(), b.float()).tolist(), py.iouF32);
    const area = ops.boxArea(a.mul(50).to(torch.uint8));
    expect([area.tolist(), String(area.dtype)]).toEqual([py.areaU8.values, py.areaU8.dtype]);
    expect(ops.removeSmallBoxes(a, 0.4).tolist()).toEqual(py.small);
    expect(ops.removeSmallBoxes(a, { minSize: 0.4 }).tolist()).toEqual(py.small);
    const masks = torch.tensor(py.masks, { dtype: torch.uint8 });
    const boxes = ops.masksToBoxes(masks);
    expect([boxes.tolist(), boxes.dtype]).toEqual([py.maskBoxes, torch.float32]);
    expect(ops.masksToBoxes(torch.zeros([0, 4, 4])).shape).toEqual([0, 4]);
    expect(() => ops.boxConvert(a, 'xyxy', 'yxyx' as 'xyxy')).toThrow(py.convertError);
    expect(() => ops.boxConvert(a, 'xyxy', 'yxyx' as 'xyxy')).toThrow(expect.objectContaining({ name: 'ValueError' }));
  });
});

interface NmsPy {
  boxes: number[][];
  scores: number[];
  idxs: number[];
  keep: Record<string, number[]>;
  seconds: number;
  errors: string[];
}

describe('nms', () => {
  let p: NmsPy;
  beforeAll(() => {
    p = runPython<NmsPy>(`
import time
from torchvision.ops import nms, batched_nms
torch.manual_seed(0)
n = 10000
xy = torch.rand(n, 2) * 1000
boxes = torch.cat([xy, xy + torch.rand(n, 2) * 100 + 1], 1)
scores = (torch.rand(n) * 50).round() / 50   # many equal scores: the stable order decides
idxs = torch.randint(0, 5, (n,))
small = boxes[:800] / 4                      # 3200 coordinates: batched_nms's coordinate trick
keep = {
  'nms 0.5': nms(boxes, scores, 0.5),
  'nms 0.7 (not a float32)': nms(boxes, scores, 0.7),
  'nms 0.1 float64': nms(boxes.double(), scores.double(), 0.1),
  'nms 0': nms(small, scores[:800], 0.0),
  'batched per category': batched_nms(boxes, scores, idxs, 0.3),
  'batched coordinate trick': batched_nms(small, scores[:800], idxs[:800], 0.3),
  'duplicates': nms(torch.tensor([[0., 0, 1, 1]] * 4 + [[0, 0, 1, 2]]), torch.tensor([0.5, 0.9, 0.5, 0.9, 0.9]), 0.5),
  'empty': nms(torch.zeros(0, 4), torch.zeros(0), 0.5),
}
# IoU exactly float32(t): the kernel compares it with the double t (0.1, 0.2, 0.6 suppress; 0.7 keeps)
for t in (0.1, 0.2, 0.6, 0.7):
    keep[f'threshold {t}'] = nms(torch.tensor([[0, 0, 1, 1], [0, 0, 1, t]]), torch.tensor([0.9, 0.8]), t)
t = time.perf_counter(); nms(boxes, scores, 0.5); seconds = time.perf_counter() - t
b10, s10 = boxes[:10], scores[:10]
errors = [err(lambda: nms(b10[0], s10, 0.5)), err(lambda: nms(b10[:, :3], s10, 0.5)),
          err(lambda: nms(b10, s10[None], 0.5)), err(lambda: nms(b10, s10[:5], 0.5))]
result = {'boxes': boxes.tolist(), 'scores': scores.tolist(), 'idxs': idxs.tolist(),
          'keep': {k: v.tolist() for k, v in keep.items()}, 'seconds': seconds, 'errors': errors}
`);
  });

  test('the same indices in the same order as torchvision', () => {
    const boxes = torch.tensor(p.boxes, { dtype: torch.float32 });
    const scores = torch.tensor(p.scores, { dtype: torch.float32 });
    const idxs = torch.tensor(p.idxs, { dtype: torch.int64 });
    const small = boxes.narrow(0, 0, 800).div(4);
    const got: Record<string, Tensor> = {
      'nms 0.5': ops.nms(boxes, scores, 0.5),
      'nms 0.7 (not a float32)': ops.nms(boxes, scores, { iouThreshold: 0.7 }),
      'nms 0.1 float64': ops.nms(boxes.double(), scores.double(), 0.1),
      'nms 0': ops.nms(small, scores.narrow(0, 0, 800), 0),
      'batched per category': ops.batchedNms(boxes, scores, idxs, 0.3),
      'batched coordinate trick': ops.batchedNms(small, scores.narrow(0, 0, 800), idxs.narrow(0, 0, 800), 0.3),
      duplicates: ops.nms(torch.tensor([[0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 1, 2]]), torch.tensor([0.5, 0.9, 0.5, 0.9, 0.9]), 0.5),
      empty: ops.nms(torch.zeros(0, 4), torch.zeros(0), 0.5),
    };
    for (const t of [0.1, 0.2, 0.6, 0.7]) got[`threshold ${t}`] = ops.nms(torch.tensor([[0, 0, 1, 1], [0, 0, 1, t]]), torch.tensor([0.9, 0.8]), t);
    for (const [name, keep] of Object.entries(got)) {
      expect([name, keep.dtype, keep.tolist()]).toEqual([name, torch.int64, p.keep[name]]);
    }
    const t0 = performance.now();
    ops.nms(boxes, scores, 0.5);
    const seconds = (performance.now() - t0) / 1000;
    console.log(`nms of 10000 boxes (${p.keep['nms 0.5'].length} kept): torch-node ${seconds.toFixed(3)} s, torchvision ${p.seconds.toFixed(3)} s`);
    expect(seconds).toBeLessThan(10 * p.seconds + 1);
  });

  test("torchvision's errors", () => {
    const boxes = torch.tensor(p.boxes.slice(0, 10));
    const scores = torch.tensor(p.scores.slice(0, 10));
    const calls = [
      () => ops.nms(boxes.index(0), scores, 0.5),
      () => ops.nms(boxes.narrow(1, 0, 3), scores, 0.5),
      () => ops.nms(boxes, scores.unsqueeze(0), 0.5),
      () => ops.nms(boxes, scores.narrow(0, 0, 5), 0.5),
    ];
    calls.forEach((call, i) => expect(call).toThrow(p.errors[i]));
  });
});
