// torchvision.utils.flow_to_image against torchvision 0.14: single flows and batches (normalised by the
// batch's largest norm), a flow sweeping every direction (the whole colour wheel), a zero flow, and
// its errors (dtype, shapes).
import * as torch from '../lib';
import { Tensor } from '../lib';
import { utils } from '../lib/vision';
import { runPython } from './helpers/python';
import { pythonErrors } from './helpers/error-oracle';

/** Flows drawn alike on both sides: random ones (seed 2), every direction at growing norms, zeros. */
const PY_FLOWS = `
torch.manual_seed(2)
angles = torch.linspace(-3.1416, 3.1416, 221)
radii = torch.linspace(0, 1, 7)
sweep = torch.stack([torch.cos(angles)[None, :] * radii[:, None], torch.sin(angles)[None, :] * radii[:, None]])
flows = [torch.randn(2, 6, 5) * 3, torch.randn(3, 2, 4, 7), sweep, torch.zeros(2, 3, 3)]
`;
function flows(): Tensor[] {
  torch.manualSeed(2);
  const angles = torch.linspace(-3.1416, 3.1416, 221);
  const radii = torch.linspace(0, 1, 7);
  const sweep = torch.stack([torch.cos(angles).index(null, ':').mul(radii.index(':', null)), torch.sin(angles).index(null, ':').mul(radii.index(':', null))]);
  return [torch.randn(2, 6, 5).mul(3), torch.randn(3, 2, 4, 7), sweep, torch.zeros(2, 3, 3)];
}

test("flowToImage: torchvision's images for single flows, a batch, every direction and a zero flow", () => {
  const want = runPython<number[][][]>(`
from torchvision.utils import flow_to_image
${PY_FLOWS}
result = [[list(img.shape), str(img.dtype), img.flatten().tolist()] for img in map(flow_to_image, flows)]
`);
  const got = flows().map((f) => {
    const img = utils.flowToImage(f);
    return [img.shape, String(img.dtype), img.flatten().tolist()];
  });
  expect(got).toEqual(want);
});

describe("flowToImage: torchvision's errors", () => {
  const cases: [string, () => unknown][] = [
    ['flow_to_image(torch.zeros(2, 4, 4, dtype=torch.float64))', () => utils.flowToImage(torch.zeros(2, 4, 4, { dtype: torch.float64 }))],
    ['flow_to_image(torch.zeros(3, 4, 4))', () => utils.flowToImage(torch.zeros(3, 4, 4))],
    ['flow_to_image(torch.zeros(1, 3, 4, 4))', () => utils.flowToImage(torch.zeros(1, 3, 4, 4))],
    ['flow_to_image(torch.zeros(4, 4))', () => utils.flowToImage(torch.zeros(4, 4))],
  ];
  const expected = pythonErrors(cases.map(([code]) => code), { prelude: 'from torchvision.utils import flow_to_image' });
  test.each(cases.map(([code, run], i) => [code, run, expected[i]] as const))('%s', (_code, run, message) => {
    expect(run).toThrow(torch.ValueError);
    expect(run).toThrow(message);
  });
});
