// Whole-module torch.save / torch.load against PyTorch 1.13 / torchvision 0.14, both ways
// (serialization-module-harness.ts): torchvision models, a user-defined class passed by the
// `classes` option; plus the allowlist's refusals and qscheme values in a pickle (one Python run).
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { models } from '../lib/vision';
import { Spec, runHarness, checkSpec } from './serialization-module-harness';

const PRELUDE = `
from torch import nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4, 2)
        self.scale = 0.5
        self.hidden_size = 4
    def forward(self, x):
        y = torch.relu(self.bn(self.conv(x))).mean((2, 3))
        return self.fc(y) * self.scale
`;

class Net extends nn.Module {
  conv = new nn.Conv2d(3, 4, 3);
  bn = new nn.BatchNorm2d(4);
  fc = new nn.Linear(4, 2);
  scale = 0.5;
  hiddenSize = 4;
  forward(x: Tensor): Tensor {
    const y = torch.relu(this.bn(this.conv(x))).mean([2, 3]);
    return this.fc(y).mul(this.scale);
  }
}

const image = [1, 3, 64, 64];
const SPECS: Spec[] = [
  { name: 'Net', py: 'Net()', js: () => new Net(), inputs: [[2, 3, 6, 6]], classes: { '__main__.Net': Net } },
  { name: 'resnet18', py: 'torchvision.models.resnet18()', js: () => models.resnet18(), inputs: [image], tol: 1e-4 },
  { name: 'mobilenet_v2', py: 'torchvision.models.mobilenet_v2()', js: () => models.mobilenetV2(), inputs: [image], tol: 1e-4 },
  { name: 'mobilenet_v3_small', py: 'torchvision.models.mobilenet_v3_small()', js: () => models.mobilenetV3Small(), inputs: [image], tol: 1e-4 },
  { name: 'shufflenet_v2_x0_5', py: 'torchvision.models.shufflenet_v2_x0_5()', js: () => models.shufflenetV2X0_5(), inputs: [image], tol: 1e-4 },
  { name: 'squeezenet1_1', py: 'torchvision.models.squeezenet1_1()', js: () => models.squeezenet1_1(), inputs: [image], tol: 1e-4 },
  { name: 'mnasnet0_5', py: 'torchvision.models.mnasnet0_5()', js: () => models.mnasnet0_5(), inputs: [image], tol: 1e-4 },
  // its norm_layer is functools.partial(nn.LayerNorm, eps=1e-06): loads as a function building that LayerNorm,
  // and the library's default norm saves as that partial
  {
    name: 'VisionTransformer',
    py: 'torchvision.models.VisionTransformer(32, 16, 2, 2, 8, 16)',
    js: () => new models.VisionTransformer(32, 16, 2, 2, 8, 16),
    inputs: [[1, 3, 32, 32]],
    tol: 1e-4,
  },
  { name: 'densenet121', py: 'torchvision.models.densenet121()', js: () => models.densenet121(), inputs: [[1, 3, 32, 32]], tol: 1e-4 },
];

const QSCHEMES = [torch.perTensorAffine, torch.perChannelAffine, torch.perTensorSymmetric, torch.perChannelSymmetric, torch.perChannelAffineFloatQparams];

// after the specs, in the same Python run: the GLOBALs of a module saved under a path of the caller's,
// the qschemes file read back, and a Linear whose forward a file replaces
const EXTRA = `
import pickletools, zipfile
with zipfile.ZipFile(f'{DIR}/named.pt') as z:
    data = z.read(z.namelist()[0])
d = torch.load(f'{DIR}/qschemes.pt')  # 1.13's weights_only allowlist has no qschemes
m = nn.Linear(2, 2)
m.forward = torch.nn.functional.relu
torch.save(m, f'{DIR}/forward.pt')
extra = {
    'named': [str(arg) for op, arg, pos in pickletools.genops(data) if op.name == 'GLOBAL'],
    'qschemes': [repr(q) for q in d['qschemes']] + [repr(d['dtype'])],
}
`;

describe('whole modules, both ways with Python: torchvision models and a class of the caller', () => {
  const h = runHarness(SPECS, {
    prelude: PRELUDE,
    extra: EXTRA,
    before: (dir) => {
      torch.saveSync(new Net(), path.join(dir, 'named.pt'), { classes: { 'mypkg.nets.Net': Net } });
      fs.writeFileSync(path.join(dir, 'qschemes.pt'), torch.saveSync({ qschemes: QSCHEMES, dtype: torch.qint8 }));
    },
  });
  SPECS.forEach((_, i) => checkSpec(h, SPECS, i));

  test("a class neither torch-node's nor passed in { classes } does not load", () => {
    const f = path.join(h.dir, 'py-0.pt');
    expect(() => torch.loadSync(f)).toThrow(torch.TorchError);
    expect(() => torch.loadSync(f)).toThrow(/unsupported global __main__\.Net/);
  });

  test('weightsOnly: true refuses whole modules, as Python does', () => {
    expect(() => torch.loadSync(path.join(h.dir, 'py-1.pt'), { weightsOnly: true })).toThrow(/unsupported global torchvision\.models\.resnet\.ResNet/);
  });

  test('a loaded functools.partial (ViT norm_layer) saves back as one', () => {
    const i = SPECS.findIndex((s) => s.name === 'VisionTransformer');
    const m = torch.loadSync(path.join(h.dir, `py-${i}.pt`)).model;
    const bytes = torch.saveSync(m);
    expect(bytes.includes(Buffer.from('functools\npartial\n'))).toBe(true);
    const again = torch.loadSync(bytes);
    expect(String(again)).toBe(String(m));
    const norm = again.normLayer(8);
    expect(norm).toBeInstanceOf(nn.LayerNorm);
    expect(norm.eps).toBe(1e-6);
  });

  test('a class of the caller saved under the path it names', () => {
    expect(h.extra.named[0]).toBe('mypkg.nets Net');
    expect(torch.loadSync(path.join(h.dir, 'named.pt'), { classes: { 'mypkg.nets.Net': Net } })).toBeInstanceOf(Net);
  });

  test('qschemes save as Python writes them (GLOBAL torch.<name>) and load back', () => {
    expect(h.extra.qschemes).toEqual(['torch.per_tensor_affine', 'torch.per_channel_affine', 'torch.per_tensor_symmetric', 'torch.per_channel_symmetric', 'torch.per_channel_affine_float_qparams', 'torch.qint8']);
    expect(torch.loadSync(path.join(h.dir, 'qschemes.pt')).qschemes).toEqual(QSCHEMES);
  });

  test("a file's attribute never replaces a method of the class (forward = F.relu)", () => {
    expect(() => torch.loadSync(path.join(h.dir, 'forward.pt'))).toThrow("cannot load torch.nn.modules.linear.Linear: its attribute 'forward' would replace the method forward of Linear");
  });
});
