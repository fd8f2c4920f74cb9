// torchvision.models.optical_flow's surroundings against torchvision 0.14:
// - RAFT's and its parts' errors (image sizes, encoders that do not downsample by 8, too few context
//   channels, bad part arguments) with torchvision's messages;
// - the weights enums (entries, URLs, meta, DEFAULT, the OpticalFlow preset's repr), weights given as
//   names or entries, the legacy `pretrained` keyword with torchvision's warnings;
// - the OpticalFlow preset on uint8 and float image pairs, batched and single.
import * as torch from '../lib';
import { Tensor } from '../lib';
import * as flow from '../lib/vision/models/optical-flow';
import { runPython } from './helpers/python';
import { pythonErrors } from './helpers/error-oracle';

jest.setTimeout(300_000);

const r = (...shape: number[]) => torch.rand(...shape);

describe("RAFT: torchvision's errors", () => {
  torch.manualSeed(0);
  const small = flow.raftSmall();
  const bottleneck = (layers: number[], strides?: number[]) => new flow.FeatureEncoder({ block: flow.BottleneckBlock, layers, normLayer: null, ...(strides ? { strides } : {}) });
  const cases: [string, () => unknown][] = [
    ['small(r(1, 3, 128, 128), r(1, 3, 128, 120))', () => small(r(1, 3, 128, 128), r(1, 3, 128, 120))],
    ['small(r(1, 3, 100, 128), r(1, 3, 100, 128))', () => small(r(1, 3, 100, 128), r(1, 3, 100, 128))],
    // torchvision's divisibility test lets a width of 100 through: the encoder's check catches it
    ['small(r(1, 3, 128, 100), r(1, 3, 128, 100))', () => small(r(1, 3, 128, 100), r(1, 3, 128, 100))],
    ['small(r(3, 128, 128), r(3, 128, 128))', () => small(r(3, 128, 128), r(3, 128, 128))],
    ['small(r(2, 3, 128, 128), r(1, 3, 128, 128))', () => small(r(2, 3, 128, 128), r(1, 3, 128, 128))],
    [
      'O.raft_small(context_encoder=FeatureEncoder(block=BottleneckBlock, layers=(32, 32, 64, 96, 96), norm_layer=None))(r(1, 3, 128, 128), r(1, 3, 128, 128))',
      () => flow.raftSmall({ contextEncoder: bottleneck([32, 32, 64, 96, 96]) })(r(1, 3, 128, 128), r(1, 3, 128, 128)),
    ],
    [
      'O.raft_small(context_encoder=FeatureEncoder(block=BottleneckBlock, layers=(32, 32, 64, 96, 160), strides=(2, 1, 2, 1), norm_layer=None))(r(1, 3, 128, 128), r(1, 3, 128, 128))',
      () => flow.raftSmall({ contextEncoder: bottleneck([32, 32, 64, 96, 160], [2, 1, 2, 1]) })(r(1, 3, 128, 128), r(1, 3, 128, 128)),
    ],
    ['FeatureEncoder(layers=(64, 64, 96))', () => new flow.FeatureEncoder({ layers: [64, 64, 96] })],
    ['MotionEncoder(in_channels_corr=4, flow_layers=(8,))', () => new flow.MotionEncoder({ inChannelsCorr: 4, flowLayers: [8] })],
    ['MotionEncoder(in_channels_corr=4, corr_layers=(8, 8, 8))', () => new flow.MotionEncoder({ inChannelsCorr: 4, corrLayers: [8, 8, 8] })],
    ['RecurrentBlock(input_size=4, hidden_size=4, kernel_size=(3,), padding=(1, 1))', () => new flow.RecurrentBlock({ inputSize: 4, hiddenSize: 4, kernelSize: [3], padding: [1, 1] })],
    ['RecurrentBlock(input_size=4, hidden_size=4, kernel_size=(3, 3, 3), padding=(1, 1, 1))', () => new flow.RecurrentBlock({ inputSize: 4, hiddenSize: 4, kernelSize: [3, 3, 3], padding: [1, 1, 1] })],
    [
      'RAFT(feature_encoder=nn.Identity(), context_encoder=nn.Identity(), corr_block=CorrBlock(), update_block=nn.Identity())',
      () => new flow.RAFT({ featureEncoder: new torch.nn.Identity(), contextEncoder: new torch.nn.Identity(), corrBlock: new flow.CorrBlock(), updateBlock: new torch.nn.Identity() }),
    ],
    ['CorrBlock().build_pyramid(r(1, 8, 4, 4), r(1, 8, 4, 5))', () => new flow.CorrBlock().buildPyramid(r(1, 8, 4, 4), r(1, 8, 4, 5))],
    ["O.raft_small(weights='C_T_V2', pretrained=True)", () => flow.raftSmall({ weights: 'C_T_V2', pretrained: true })],
    ['O.raft_small(weights=O.Raft_Large_Weights.C_T_V1)', () => flow.raftSmall({ weights: flow.Raft_Large_Weights.C_T_V1 })],
  ];
  const expected = pythonErrors(cases.map(([code]) => code), {
    prelude: `from torch import nn
import torchvision.models.optical_flow as O
from torchvision.models.optical_flow.raft import RAFT, FeatureEncoder, BottleneckBlock, MotionEncoder, RecurrentBlock, CorrBlock
torch.manual_seed(0)
small = O.raft_small()
r = torch.rand`,
  });
  test.each(cases.map(([code, run], i) => [code, run, expected[i]] as const))('%s', (_code, run, message) => {
    expect(run).toThrow(torch.TorchError);
    // the builders name themselves where torchvision's RAFT.__init__ gets the keyword
    expect(run).toThrow(message.replace('RAFT.__init__()', 'raft_small()'));
  });

  test("keyword-only arguments: Python's TypeErrors, under torch-node's camelCase names", () => {
    expect(() => new flow.ResidualBlock(3, 8, {} as never)).toThrow(torch.PyTypeError);
    expect(() => new flow.ResidualBlock(3, 8, {} as never)).toThrow("ResidualBlock() missing 1 required keyword-only argument: 'normLayer'");
    expect(() => new flow.ConvGRU({ inputSize: 4 } as never)).toThrow("ConvGRU() missing 3 required keyword-only arguments: 'hiddenSize', 'kernelSize', and 'padding'");
    expect(() => new flow.CorrBlock({ num_levels: 3 } as never)).toThrow("CorrBlock() got an unexpected keyword argument 'num_levels' (did you mean 'numLevels'?)");
    expect(() => flow.raftLarge({ featureEncoders: null } as never)).toThrow("raft_large() got an unexpected keyword argument 'featureEncoders'");
  });
});

describe("the weights enums and the builders' weights arguments", () => {
  interface PyEnum {
    name: string;
    default: string;
    entries: [string, string, number, number[], null, string, Record<string, Record<string, number>>, string][];
  }
  const py = runPython<{ enums: PyEnum[]; warnings: string[] }>(`
import warnings
import torchvision.models.optical_flow as O
result = {'enums': [], 'warnings': []}
for e in [O.Raft_Large_Weights, O.Raft_Small_Weights]:
    result['enums'].append({'name': e.__name__, 'default': [n for n, w in e.__members__.items() if w is e.DEFAULT and n != 'DEFAULT'][0],
        'entries': [[w.name, w.url, w.meta['num_params'], list(w.meta['min_size']), w.meta.get('categories'), w.meta['recipe'], w.meta['_metrics'], repr(w.transforms())] for w in e]})
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    O.raft_small(pretrained=False)
result['warnings'] = [str(w.message) for w in caught]
`);

  test.each(py.enums.map((e) => [e.name, e] as const))("%s: torchvision's entries, URLs, meta, DEFAULT and preset", (name, e) => {
    const en = flow.OPTICAL_FLOW_WEIGHTS[name as keyof typeof flow.OPTICAL_FLOW_WEIGHTS];
    expect(Object.keys(en).filter((k) => k !== 'DEFAULT')).toEqual(e.entries.map(([n]) => n));
    expect(en.DEFAULT).toBe(en[e.default]);
    for (const [n, url, numParams, minSize, categories, recipe, metrics, transforms] of e.entries) {
      const w = en[n];
      expect([n, String(w), w.url, w.meta.numParams, w.meta.minSize, w.meta.categories, w.meta.recipe, w.meta.metrics, String(w.transforms())]).toEqual([
        n, `${name}.${n}`, url, numParams, minSize, categories, recipe, metrics, transforms,
      ]);
      expect(w.transforms()).toBeInstanceOf(flow.OpticalFlow);
    }
    // the entries state the builder's parameter count
    const build = name === 'Raft_Large_Weights' ? flow.raftLarge : flow.raftSmall;
    torch.tidy(() => expect([...build().parameters()].reduce((s, p) => s + p.numel(), 0)).toBe(e.entries[0][2]));
  });

  test("weights by entry or name resolve to torchvision's files; pretrained with torchvision's warnings", () => {
    // the cache has no RAFT checkpoint here: the error names the entry the argument resolved to
    expect(() => flow.raftLarge({ weights: 'DEFAULT' })).toThrow('Raft_Large_Weights.C_T_SKHT_V2: weights file raft_large_C_T_SKHT_V2-ff5fadd5.pth not found');
    expect(() => flow.raft_small({ weights: flow.Raft_Small_Weights.C_T_V1 })).toThrow('Raft_Small_Weights.C_T_V1: weights file raft_small_C_T_V1-ad48884c.pth not found');
    expect(() => flow.raftSmall({ weights: 'Raft_Small_Weights.C_T_V2' })).toThrow('Raft_Small_Weights.C_T_V2: weights file');
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      torch.tidy(() => flow.raftSmall({ pretrained: false }));
      expect(spy.mock.calls.map(([m]) => String(m))).toEqual(py.warnings);
      spy.mockClear();
      // pretrained=True is torchvision's C_T_V2 for raft_small (the first warning is shown once per process)
      expect(() => flow.raftSmall({ pretrained: true })).toThrow('Raft_Small_Weights.C_T_V2: weights file');
      expect(spy.mock.calls.map(([m]) => String(m))).toEqual([py.warnings[1].replace('`weights=None`', '`weights=Raft_Small_Weights.C_T_V2`') + ' You can also use `weights=Raft_Small_Weights.DEFAULT` to get the most up-to-date weights.']);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the OpticalFlow preset', () => {
  test("torchvision's images for uint8 and float pairs, batched and single; its repr", () => {
    const py = runPython<{ repr: string; out: number[][][] }>(`
from torchvision.transforms._presets import OpticalFlow
torch.manual_seed(4)
pairs = [(torch.randint(0, 256, (2, 3, 8, 6), dtype=torch.uint8), torch.randint(0, 256, (2, 3, 8, 6), dtype=torch.uint8)),
         (torch.rand(3, 5, 4), torch.rand(3, 5, 4).double())]
p = OpticalFlow()
result = {'repr': repr(p), 'out': [[t.flatten().tolist() + [str(t.dtype), list(t.shape), t.is_contiguous()] for t in p(a, b)] for a, b in pairs]}
`);
    torch.manualSeed(4);
    const pairs: [Tensor, Tensor][] = [
      [torch.randint(0, 256, [2, 3, 8, 6], { dtype: torch.uint8 }), torch.randint(0, 256, [2, 3, 8, 6], { dtype: torch.uint8 })],
      [torch.rand(3, 5, 4), torch.rand(3, 5, 4).double()],
    ];
    const preset = new flow.OpticalFlow();
    expect(String(preset)).toBe(py.repr);
    const got = pairs.map(([a, b]) => preset(a, b).map((t) => [...(t.flatten().tolist() as number[]), String(t.dtype), t.shape, t.isContiguous()]));
    expect(got).toEqual(py.out);
    expect(() => (preset as unknown as (a: Tensor) => unknown)(pairs[0][0])).toThrow("missing 1 required positional argument: 'img2'");
  });
});

test("the by-name API: models.optical_flow, get_model_builder, list_models(optical_flow), get_weight", async () => {
  const { models } = await import('../lib/vision');
  const py = runPython<{ names: string[]; weight: string }>(`
from torchvision import models as M
result = {'names': M.list_models(M.optical_flow), 'weight': M.get_weight('Raft_Small_Weights.DEFAULT').url}
`);
  expect(models.opticalFlow).toBe(models.optical_flow);
  expect(models.listModels(models.opticalFlow)).toEqual(py.names);
  expect(models.getModelBuilder('raft_large')).toBe(flow.raftLarge);
  expect(models.getModelBuilder('RAFT_SMALL')).toBe(flow.raftSmall);
  expect(models.getWeight('Raft_Small_Weights.DEFAULT')).toBe(flow.Raft_Small_Weights.DEFAULT);
  expect(models.getWeight('Raft_Small_Weights.DEFAULT').url).toBe(py.weight);
});
