// ShuffleNetV2 (x0.5..x2.0), MNASNet (0.5..1.3) and RegNet (Y 400MF..128GF, X 400MF..32GF) against
// torchvision 0.14 itself:
// - every builder: state_dict keys and shapes, parameter count and repr (the Python side builds on the
//   'meta' device: no memory, no init), and its weights enum (entries, URLs, transforms, meta).
// - the smallest of each family (and regnet_x_400mf, the X design without Squeeze-Excitation):
//   torch.manualSeed(0) before construction gives torchvision's initial tensors; after the same seeded
//   perturbation, a state_dict torchvision saved loads through `weights: <path>` and gives its
//   eval-mode outputs; a training-mode forward and backward gives its input and parameter gradients.
// - MNASNet's versioned loading: a version 1 checkpoint (fixed 32/16-channel stem) of mnasnet0_5
//   saved by torchvision loads with the stem patched, torchvision's warning and its outputs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { Module } from '../lib/nn';
import { models } from '../lib/vision';
import { InvertedResidual as ShuffleBlock } from '../lib/vision/models/shufflenetv2';
import { ValueError } from '../lib/errors';
import { runPython } from './helpers/python';
import { PY_PERTURB, perturb, relDiff } from './helpers/model-perturb';
import { Builder, BuilderRow, PY_BUILDERS, PyBuilder, close, describeBuilders, expectSums, initSums, Sums } from './helpers/vision-model-oracle';

jest.setTimeout(900_000);

const m = models as unknown as Record<string, Builder>;
const BUILDERS: BuilderRow[] = [
  ['shufflenet_v2_x0_5', 'ShuffleNet_V2_X0_5_Weights', m.shufflenetV2X0_5],
  ['shufflenet_v2_x1_0', 'ShuffleNet_V2_X1_0_Weights', m.shufflenetV2X1_0],
  ['shufflenet_v2_x1_5', 'ShuffleNet_V2_X1_5_Weights', m.shufflenetV2X1_5],
  ['shufflenet_v2_x2_0', 'ShuffleNet_V2_X2_0_Weights', m.shufflenetV2X2_0],
  ['mnasnet0_5', 'MNASNet0_5_Weights', m.mnasnet0_5],
  ['mnasnet0_75', 'MNASNet0_75_Weights', m.mnasnet0_75],
  ['mnasnet1_0', 'MNASNet1_0_Weights', m.mnasnet1_0],
  ['mnasnet1_3', 'MNASNet1_3_Weights', m.mnasnet1_3],
  ['regnet_y_400mf', 'RegNet_Y_400MF_Weights', m.regnetY400mf],
  ['regnet_y_800mf', 'RegNet_Y_800MF_Weights', m.regnetY800mf],
  ['regnet_y_1_6gf', 'RegNet_Y_1_6GF_Weights', m.regnetY1_6gf],
  ['regnet_y_3_2gf', 'RegNet_Y_3_2GF_Weights', m.regnetY3_2gf],
  ['regnet_y_8gf', 'RegNet_Y_8GF_Weights', m.regnetY8gf],
  ['regnet_y_16gf', 'RegNet_Y_16GF_Weights', m.regnetY16gf],
  ['regnet_y_32gf', 'RegNet_Y_32GF_Weights', m.regnetY32gf],
  ['regnet_y_128gf', 'RegNet_Y_128GF_Weights', m.regnetY128gf],
  ['regnet_x_400mf', 'RegNet_X_400MF_Weights', m.regnetX400mf],
  ['regnet_x_800mf', 'RegNet_X_800MF_Weights', m.regnetX800mf],
  ['regnet_x_1_6gf', 'RegNet_X_1_6GF_Weights', m.regnetX1_6gf],
  ['regnet_x_3_2gf', 'RegNet_X_3_2GF_Weights', m.regnetX3_2gf],
  ['regnet_x_8gf', 'RegNet_X_8GF_Weights', m.regnetX8gf],
  ['regnet_x_16gf', 'RegNet_X_16GF_Weights', m.regnetX16gf],
  ['regnet_x_32gf', 'RegNet_X_32GF_Weights', m.regnetX32gf],
];
const builderOf = (name: string): Builder => BUILDERS.find(([n]) => n === name)![2];
/** The models also compared by value, and their input shapes. */
const SEEDED: Record<string, number[]> = {
  shufflenet_v2_x0_5: [2, 3, 64, 64],
  mnasnet0_5: [2, 3, 64, 64],
  regnet_y_400mf: [2, 3, 64, 64],
  regnet_x_400mf: [2, 3, 64, 64],
};

interface PyModel extends PyBuilder {
  init?: Sums[];
  out?: number[];
  trainOut?: number[];
  inputGrad?: number[];
  grads?: Sums[];
}
interface PyV1 {
  keys: [string, number[]][];
  repr: string;
  warning: string;
  out: number[];
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vision-shufflenet-mnasnet-regnet-'));
const fileOf = (name: string) => path.join(dir, `${name}.pt`);
const V1_FILE = path.join(dir, 'mnasnet0_5_v1.pt');
let py: { models: Record<string, PyModel>; v1: PyV1 };

beforeAll(() => {
  py = runPython(`
import warnings
${PY_BUILDERS}${PY_PERTURB}
def by_value(name, shape, r):
    torch.manual_seed(0)
    m = M.get_model(name)
    r['init'] = init_sums(m)
    perturb(m, 1)
    torch.save(m.state_dict(), ${JSON.stringify(dir)} + '/' + name + '.pt')
    m.eval()
    torch.manual_seed(3)
    x = torch.randn(*shape)
    with torch.no_grad():
        r['out'] = m(x).flatten().tolist()
    m.train()
    x.requires_grad_(True)
    torch.manual_seed(4)
    w = torch.randn(shape[0], 1000)
    torch.manual_seed(5)  # the dropout mask, where there is one
    out = m(x)
    r['trainOut'] = out.flatten().tolist()
    (out * w).sum().backward()
    r['inputGrad'] = x.grad.flatten().tolist()
    r['grads'] = grad_sums(m)

seeded = ${JSON.stringify(SEEDED)}
result = {'models': {}}
for name in ${JSON.stringify(BUILDERS.map(([n]) => n))}:
    r = describe_builder(name)
    if name in seeded:
        by_value(name, seeded[name], r)
    result['models'][name] = r

# a version 1 MNASNet checkpoint: torchvision's own patch applied to a fresh model (metadata version 1)
torch.manual_seed(6)
m = M.mnasnet0_5()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    m._load_from_state_dict({}, '', {'version': 1}, False, [], [], [])
perturb(m, 7)
sd = m.state_dict()
assert sd._metadata['']['version'] == 1
torch.save(sd, ${JSON.stringify(V1_FILE)})
m2 = M.mnasnet0_5()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    m2.load_state_dict(torch.load(${JSON.stringify(V1_FILE)}))
m2.eval()
torch.manual_seed(3)
x = torch.randn(1, 3, 64, 64)
with torch.no_grad():
    out = m2(x).flatten().tolist()
result['v1'] = {'keys': [[k, list(v.shape)] for k, v in m2.state_dict().items()], 'repr': repr(m2), 'warning': str(caught[0].message), 'out': out}
`);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const keysAndShapes = (model: Module) => Object.entries(model.stateDict()).map(([k, v]) => [k, v.shape]);

describeBuilders(BUILDERS, (name) => py.models[name]);

describe.each(Object.entries(SEEDED))('%s by value', (name, shape) => {
  test("same seed -> torchvision's initial tensors", () => {
    const want = py.models[name].init!;
    torch.tidy(() => {
      torch.manualSeed(0);
      expectSums(`${name} init`, initSums(builderOf(name)()), want, 1e-9);
    });
  });

  test("torchvision's saved state_dict loads by path: same eval outputs; same training-mode gradients", () => {
    const want = py.models[name];
    torch.tidy(() => {
      const model = builderOf(name)({ weights: fileOf(name) }).eval();
      // the same tensors as the seeded perturbation here gives
      torch.manualSeed(0);
      const own = builderOf(name)();
      perturb(own, 1);
      const ownSd = own.stateDict();
      for (const [k, v] of Object.entries(model.stateDict())) expect([k, v.equal(ownSd[k])]).toEqual([k, true]);

      torch.manualSeed(3);
      const x = torch.randn(shape);
      expect(relDiff(torch.noGrad(() => model(x) as torch.Tensor), want.out!)).toBeLessThan(1e-4);

      model.train();
      x.requiresGrad_(true);
      torch.manualSeed(4);
      const w = torch.randn(shape[0], 1000);
      torch.manualSeed(5);
      const out = model(x) as torch.Tensor;
      expect(relDiff(out, want.trainOut!)).toBeLessThan(1e-4);
      out.mul(w).sum().backward();
      expect(relDiff(x.grad!, want.inputGrad!)).toBeLessThan(1e-4);
      const grads = [...model.namedParameters()];
      expect(grads.map(([k]) => k)).toEqual(want.grads!.map(([k]) => k));
      grads.forEach(([k, p], i) => {
        const [, ws, wa] = want.grads![i];
        const [s, a] = [p.grad!.double().sum().item() as number, p.grad!.double().abs().sum().item() as number];
        // sums may cancel: compared relative to the absolute sum
        if (Math.abs(s - ws) > 1e-4 * Math.max(wa, 1e-6) || !close(a, wa, 1e-4)) throw new Error(`${name} ${k}: grad sums ${s}/${a}, torchvision ${ws}/${wa}`);
      });
    });
  });
});

test("a version 1 MNASNet checkpoint loads as torchvision loads it: v1 stem, its warning, its outputs", () => {
  const warnings: string[] = [];
  const emit = jest.spyOn(process, 'emitWarning').mockImplementation((w) => void warnings.push(String(w)));
  try {
    torch.tidy(() => {
      const model = models.mnasnet0_5({ weights: V1_FILE }) as models.MNASNet;
      expect(keysAndShapes(model)).toEqual(py.v1.keys);
      expect(String(model)).toBe(py.v1.repr);
      expect(model._version).toBe(1);
      model.eval();
      torch.manualSeed(3);
      const x = torch.randn(1, 3, 64, 64);
      expect(relDiff(torch.noGrad(() => model(x) as torch.Tensor), py.v1.out)).toBeLessThan(1e-4);
      // a version 2 checkpoint leaves the model as it is
      expect(models.mnasnet0_5({ weights: fileOf('mnasnet0_5') })._version).toBe(2);
    });
  } finally {
    emit.mockRestore();
  }
  expect(warnings).toEqual([py.v1.warning]);
});

describe('options and registry', () => {
  let opt: Record<string, unknown>;
  beforeAll(() => {
    opt = runPython(`
import torchvision.models as M
def shapes(m): return [[k, list(v.shape)] for k, v in m.state_dict().items()]
result = {
    'shuffle7': shapes(M.shufflenet_v2_x0_5(num_classes=7)),
    'mnasnetDropout': repr(M.mnasnet0_5(dropout=0.5).classifier),
    'regnetStem': shapes(M.regnet_x_400mf(stem_width=16, num_classes=3)),
    'classes': err(lambda: M.mnasnet0_5(weights='IMAGENET1K_V1', num_classes=3)),
    'alpha': err(lambda: M.MNASNet(0)),
    'stride': err(lambda: M.shufflenetv2.InvertedResidual(4, 8, 1)),
    'settings': err(lambda: M.regnet.BlockParams.from_init_params(depth=4, w_0=20, w_a=1.0, w_m=2.0, group_width=8)),
}
`);
  });

  test("numClasses and the models' own keywords", () => {
    expect(keysAndShapes(models.shufflenetV2X0_5({ numClasses: 7 }))).toEqual(opt.shuffle7);
    expect(String(models.mnasnet0_5({ dropout: 0.5 }).classifier)).toBe(opt.mnasnetDropout);
    expect(keysAndShapes(models.regnetX400mf({ stemWidth: 16, numClasses: 3 }))).toEqual(opt.regnetStem);
  });

  test("torchvision's errors", () => {
    expect(() => models.regnetX400mf({ foo: 1 } as never)).toThrow("regnetX400mf() got an unexpected keyword argument 'foo'");
    expect(() => models.mnasnet0_5({ weights: 'IMAGENET1K_V1', numClasses: 3 })).toThrow(opt.classes as string);
    // regnet_y_128gf has only SWAG weights: the legacy pretrained=True has none
    expect(() => models.regnetY128gf({ pretrained: true })).toThrow('No weights available for model regnetY128gf');
    // ValueErrors there
    const valueErrors: [() => unknown, string][] = [
      [() => new models.MNASNet(0), opt.alpha as string],
      [() => new ShuffleBlock(4, 8, 1), opt.stride as string],
      [() => models.BlockParams.fromInitParams({ depth: 4, w0: 20, wA: 1.0, wM: 2.0, groupWidth: 8 }), opt.settings as string],
    ];
    for (const [f, message] of valueErrors) {
      expect(f).toThrow(message);
      expect(f).toThrow(ValueError);
    }
  });

  test("torchvision's snake_case names resolve to the builders", () => {
    for (const [name, , build] of BUILDERS) {
      expect((models as unknown as Record<string, unknown>)[name]).toBe(build);
      expect(models.getModelBuilder(name)).toBe(build);
      expect(models.listModels()).toContain(name);
    }
  });
});
