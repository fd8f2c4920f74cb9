// QAT checkpoints across languages: a model of QAT layers trained a few steps in PyTorch is saved
// with torch.save; its state_dict (weights, BN statistics, fake-quant scales and observer ranges,
// per-channel ones included) loads here strictly and gives PyTorch's eval outputs; the same
// model's state_dict saved here loads strictly in PyTorch (weights_only) and gives ours.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import * as qat from '../lib/nn/qat';
import * as nniqat from '../lib/nn/intrinsic/qat';
import * as quantization from '../lib/ao/quantization';
import { runPython } from './helpers/python';
import { closeWithin, out } from './helpers/close';

const close = closeWithin(1e-5);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-qat-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PY_MODEL = `
import warnings
warnings.simplefilter('ignore')
from torch.ao.quantization import default_qat_qconfig as qconfig, get_default_qat_qconfig
import torch.ao.nn.qat as nnqat
import torch.nn.intrinsic.qat as nniqat
pc = get_default_qat_qconfig('fbgemm')
def make():
    return torch.nn.Sequential(nniqat.ConvBnReLU2d(2, 4, 3, qconfig=pc), nniqat.ConvBn2d(4, 3, 3, bias=True, qconfig=qconfig),
                               torch.nn.Flatten(), nnqat.Linear(24, 5, qconfig=qconfig), nniqat.LinearBn1d(5, 2, qconfig=pc))
def inputs():
    torch.manual_seed(5)
    return torch.randn(4, 2, 8, 6)
`;
function make(): nn.Sequential {
  const pc = quantization.getDefaultQatQconfig('fbgemm');
  const qconfig = quantization.defaultQatQconfig;
  return new nn.Sequential(
    new nniqat.ConvBnReLU2d(2, 4, 3, { qconfig: pc }),
    new nniqat.ConvBn2d(4, 3, 3, { bias: true, qconfig }),
    new nn.Flatten(),
    new qat.Linear(24, 5, { qconfig }),
    new nniqat.LinearBn1d(5, 2, { qconfig: pc }),
  );
}
function inputs(): torch.Tensor {
  torch.manualSeed(5);
  return torch.randn([4, 2, 8, 6]);
}

describe('QAT state_dicts through torch.save files', () => {
  test("PyTorch's trained QAT model loads here strictly and evaluates the same", async () => {
    const file = path.join(dir, 'py.pt');
    const want = runPython<{ keys: string[]; out: unknown }>(`${PY_MODEL}
torch.manual_seed(0)
m = make()
opt = torch.optim.SGD(m.parameters(), lr=0.05)
for i in range(3):
    loss = m(torch.randn(4, 2, 8, 6)).square().sum()
    opt.zero_grad(); loss.backward(); opt.step()
torch.save(m.state_dict(), ${JSON.stringify(file)})
m.eval()
result = {'keys': list(m.state_dict().keys()), 'out': m(inputs()).tolist()}
`);
    const m = make();
    m.loadStateDict(await torch.load(file));
    expect(Object.keys(m.stateDict())).toEqual(want.keys);
    m.eval();
    close(out(m(inputs())), want.out);
  });

  test('the same trained here loads strictly in PyTorch and evaluates the same', async () => {
    const file = path.join(dir, 'node.pt');
    torch.manualSeed(0);
    const m = make();
    const opt = new torch.optim.SGD(m.parameters(), { lr: 0.05 });
    for (let i = 0; i < 3; i++) {
      const loss = m(torch.randn([4, 2, 8, 6])).square().sum();
      opt.zeroGrad();
      loss.backward();
      opt.step();
    }
    await torch.save(m.stateDict(), file);
    m.eval();
    const got = out(m(inputs()));
    const want = runPython<unknown>(`${PY_MODEL}
m = make()
m.load_state_dict(torch.load(${JSON.stringify(file)}, weights_only=True))
m.eval()
result = m(inputs()).tolist()
`);
    close(got, want);
  });
});
