// bench/vision-ops: torchvision.ops' region and deformable ops at detector size on CPU (a [2, 256,
// 50, 68] stride-16 feature map, 512 regions, 7x7 bins; 5000 boxes for nms; a 64-channel 3x3
// deformable convolution over a [1, 64, 50, 68] map), torchvision's C++
// kernels vs torch-node's ATen compositions, in one run, same thread count, same seeded inputs.
// The two sides take turns one iteration at a time (bench/paired.ts); prints the fastest and median
// iteration of each side and the median of the per-pair ratios torch-node / torchvision with its
// 95% confidence interval. Run: npm run bench:vision-ops (BENCH_THREADS, BENCH_ITERS,
// BENCH_SECONDS; BENCH_ONLY=text runs the cases whose label contains it).
import * as torch from '../lib';
import { ops } from '../lib/vision';
import { pairedCase, pairedHeader, pairedRow } from './paired';

const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const ITERS = Number(process.env.BENCH_ITERS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

// The inputs, drawn in the same order on both sides from seed 0.
const PY_INPUTS = `
import torch
from torchvision.ops import roi_align, roi_pool, nms, ps_roi_align, deform_conv2d
from torch_threads import set_threads; set_threads(${THREADS})
torch.manual_seed(0)
x = torch.randn(2, 256, 50, 68)
xy = torch.rand(512, 2) * 800
rois = torch.cat([torch.randint(0, 2, (512, 1)).float(), xy, xy + (torch.rand(512, 2) * 300 + 16)], 1)
corner = torch.rand(5000, 2) * 800
boxes = torch.cat([corner, corner + (torch.rand(5000, 2) * 200 + 8)], 1)
scores = torch.rand(5000)
ps_x = torch.randn(2, 490, 50, 68)
dc_x = torch.randn(1, 64, 50, 68)
dc_w = torch.randn(64, 64, 3, 3) * 0.05
dc_offset = torch.randn(1, 18, 50, 68)
dc_mask = torch.rand(1, 9, 50, 68)
`;

function inputs() {
  torch.manualSeed(0);
  const x = torch.randn(2, 256, 50, 68);
  const xy = torch.rand(512, 2).mul(800);
  const rois = torch.cat([torch.randint(0, 2, [512, 1]).float(), xy, xy.add(torch.rand(512, 2).mul(300).add(16))], 1);
  const corner = torch.rand(5000, 2).mul(800);
  const boxes = torch.cat([corner, corner.add(torch.rand(5000, 2).mul(200).add(8))], 1);
  const scores = torch.rand(5000);
  const psX = torch.randn(2, 490, 50, 68);
  const dcX = torch.randn(1, 64, 50, 68);
  const dcW = torch.randn(64, 64, 3, 3).mul(0.05);
  const dcOffset = torch.randn(1, 18, 50, 68);
  const dcMask = torch.rand(1, 9, 50, 68);
  return { x, rois, boxes, scores, psX, dcX, dcW, dcOffset, dcMask };
}
type Inputs = ReturnType<typeof inputs>;

// [label, Python step body (inputs in scope), the same step here]
const CASES: [string, string, (v: Inputs) => () => void][] = [
  ['roi_align 7x7', 'with torch.no_grad(): roi_align(x, rois, 7, 1 / 16, 2)', (v) => () => void torch.noGrad(() => ops.roiAlign(v.x, v.rois, 7, 1 / 16, 2))],
  ['roi_pool 7x7', 'with torch.no_grad(): roi_pool(x, rois, 7, 1 / 16)', (v) => () => void torch.noGrad(() => ops.roiPool(v.x, v.rois, 7, 1 / 16))],
  ['roi_pool 7x7 fwd+bwd', 'xg = x.clone().requires_grad_(); roi_pool(xg, rois, 7, 1 / 16).sum().backward()', (v) => () => {
    const xg = v.x.clone().requiresGrad_();
    ops.roiPool(xg, v.rois, 7, 1 / 16).sum().backward();
  }],
  ['nms 5000', 'nms(boxes, scores, 0.7)', (v) => () => void ops.nms(v.boxes, v.scores, 0.7)],
  ['ps_roi_align 7x7', 'with torch.no_grad(): ps_roi_align(ps_x, rois, 7, 1 / 16, 2)', (v) => () => void torch.noGrad(() => ops.psRoiAlign(v.psX, v.rois, 7, 1 / 16, 2))],
  ['deform_conv2d 64ch 3x3', 'with torch.no_grad(): deform_conv2d(dc_x, dc_offset, dc_w, padding=1, mask=dc_mask)', (v) => () => void torch.noGrad(() => ops.deformConv2d(v.dcX, v.dcOffset, v.dcW, { padding: 1, mask: v.dcMask }))],
  ['deform_conv2d fwd+bwd', 'xg = dc_x.clone().requires_grad_(); deform_conv2d(xg, dc_offset, dc_w, padding=1, mask=dc_mask).sum().backward()', (v) => () => {
    const xg = v.dcX.clone().requiresGrad_();
    ops.deformConv2d(xg, v.dcOffset, v.dcW, { padding: 1, mask: v.dcMask }).sum().backward();
  }],
];

const python = (body: string) => `${PY_INPUTS}
def step():
    ${body}
`;

async function main(): Promise<void> {
  torch.setNumThreads(THREADS);
  const v = inputs();
  console.log(`threads ${THREADS}, at least ${ITERS} paired iterations and ${SECONDS} s per case (torchvision, then torch-node), ms per iteration`);
  console.log(pairedHeader('torchvision'));
  for (const [label, body, make] of CASES.filter(([l]) => l.includes(process.env.BENCH_ONLY ?? ''))) {
    console.log(pairedRow(label, await pairedCase(python(body), make(v), ITERS, SECONDS)));
  }
}

void main();
