// The torchvision 0.14 builders that are further configurations of architectures torch-node already
// has (ResNeXt-101, Wide ResNet-101-2, DenseNet-161/169/201, EfficientNet-B1..B7 and V2-S/M/L,
// ConvNeXt-Small/Base/Large, ViT-B/32, L/16, L/32, H/14), against torchvision itself:
// - every builder: the state_dict keys and shapes, the parameter count and the printed repr equal to
//   torchvision's. The Python side builds these models on the 'meta' device (a TorchFunctionMode that
//   sends the factory functions there), so no memory is filled and no init runs on that side; this
//   side builds the real model, one at a time, freed before the next.
// - the smaller ones (densenet169, efficientnet_b1, efficientnet_v2_s, resnext101_32x8d at 32x32,
//   vit_b_32 at 224x224): torch.manualSeed(0) before construction on both sides gives the same initial
//   tensors (each tensor's sum and absolute sum, float64 sums of float32 values, 1e-9 relative), and
//   after the same seeded perturbation (so that zero-initialised heads and unit BatchNorm statistics
//   hide nothing) the same eval-mode float32 outputs (1e-4 of the largest output).
// - each weights enum: entry names, DEFAULT, URL, the cache file name (torch.hub's: the URL path's
//   basename), where the loader looks ($TORCH_HOME/hub/checkpoints, torch.hub.get_dir()'s), the preset
//   transforms' repr and meta (num_params equal to the model's, min_size, categories). Two checkpoints
//   saved by torchvision under their official file names in a temporary TORCH_HOME load by entry name
//   (densenet169's with the legacy 'norm.1' keys of the published files) with torchvision's outputs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { models } from '../lib/vision';
import { Module } from '../lib/nn';
import { runPython } from './helpers/python';
import { PY_PERTURB, perturb, relDiff } from './helpers/model-perturb';
import { Builder, BuilderRow, PY_BUILDERS, PyBuilder, describeBuilders, expectSums, initSums, Sums } from './helpers/vision-model-oracle';

jest.setTimeout(600_000);

const BUILDERS: BuilderRow[] = [
  ['resnext101_32x8d', 'ResNeXt101_32X8D_Weights', models.resnext101_32x8d],
  ['resnext101_64x4d', 'ResNeXt101_64X4D_Weights', models.resnext101_64x4d],
  ['wide_resnet101_2', 'Wide_ResNet101_2_Weights', models.wide_resnet101_2],
  ['densenet161', 'DenseNet161_Weights', models.densenet161],
  ['densenet169', 'DenseNet169_Weights', models.densenet169],
  ['densenet201', 'DenseNet201_Weights', models.densenet201],
  ['efficientnet_b1', 'EfficientNet_B1_Weights', models.efficientnetB1],
  ['efficientnet_b2', 'EfficientNet_B2_Weights', models.efficientnetB2],
  ['efficientnet_b3', 'EfficientNet_B3_Weights', models.efficientnetB3],
  ['efficientnet_b4', 'EfficientNet_B4_Weights', models.efficientnetB4],
  ['efficientnet_b5', 'EfficientNet_B5_Weights', models.efficientnetB5],
  ['efficientnet_b6', 'EfficientNet_B6_Weights', models.efficientnetB6],
  ['efficientnet_b7', 'EfficientNet_B7_Weights', models.efficientnetB7],
  ['efficientnet_v2_s', 'EfficientNet_V2_S_Weights', models.efficientnetV2S],
  ['efficientnet_v2_m', 'EfficientNet_V2_M_Weights', models.efficientnetV2M],
  ['efficientnet_v2_l', 'EfficientNet_V2_L_Weights', models.efficientnetV2L],
  ['convnext_small', 'ConvNeXt_Small_Weights', models.convnextSmall],
  ['convnext_base', 'ConvNeXt_Base_Weights', models.convnextBase],
  ['convnext_large', 'ConvNeXt_Large_Weights', models.convnextLarge],
  ['vit_b_32', 'ViT_B_32_Weights', models.vitB32],
  ['vit_l_16', 'ViT_L_16_Weights', models.vitL16],
  ['vit_l_32', 'ViT_L_32_Weights', models.vitL32],
  ['vit_h_14', 'ViT_H_14_Weights', models.vitH14],
];
const builderOf = (name: string): Builder => BUILDERS.find(([n]) => n === name)![2];

/** The models also compared by value: input shape of each (resnext101_32x8d at a tiny input). */
const SEEDED: Record<string, number[]> = {
  densenet169: [1, 3, 64, 64],
  efficientnet_b1: [1, 3, 64, 64],
  efficientnet_v2_s: [1, 3, 64, 64],
  resnext101_32x8d: [1, 3, 32, 32],
  vit_b_32: [1, 3, 224, 224],
};
/** Checkpoints written under torchvision's file names: [model, entry, legacy densenet keys] */
const CHECKPOINTS: [string, string, boolean][] = [
  ['densenet169', 'IMAGENET1K_V1', true],
  ['efficientnet_b1', 'IMAGENET1K_V2', false],
];

interface PyModel extends PyBuilder {
  init?: Sums[];
  out?: number[];
  fileOut?: number[];
}

const torchHome = fs.mkdtempSync(path.join(os.tmpdir(), 'vision-variants-'));
const savedTorchHome = process.env.TORCH_HOME;
let py: Record<string, PyModel>;

beforeAll(() => {
  process.env.TORCH_HOME = torchHome;
  py = runPython<Record<string, PyModel>>(`
import os
os.environ['TORCH_HOME'] = ${JSON.stringify(torchHome)}  # the same cache for torch.hub there
${PY_BUILDERS}${PY_PERTURB}names = ${JSON.stringify(BUILDERS.map(([n]) => n))}
seeded = ${JSON.stringify(SEEDED)}
checkpoints = json.loads(${JSON.stringify(JSON.stringify(CHECKPOINTS))})
result = {}
for name in names:
    r = describe_builder(name)
    enum = M.get_model_weights(name)
    if name in seeded:
        torch.manual_seed(0)
        m = M.get_model(name)
        r['init'] = init_sums(m)
        perturb(m, 1)
        m.eval()
        torch.manual_seed(3)
        x = torch.randn(*seeded[name])
        with torch.no_grad():
            r['out'] = m(x).flatten().tolist()
        for cname, entry, legacy in checkpoints:
            if cname != name:
                continue
            perturb(m, 2)
            sd = m.state_dict()
            if legacy:  # as the published DenseNet files: denselayerN.norm.1.weight, no num_batches_tracked
                import re
                sd = {re.sub(r'(denselayer\\d+\\.(?:norm|relu|conv))([12])\\.', r'\\1.\\2.', k): v for k, v in sd.items() if not k.endswith('num_batches_tracked')}
            w = enum[entry]
            file = os.path.join(torch.hub.get_dir(), 'checkpoints', os.path.basename(urlparse(w.url).path))
            os.makedirs(os.path.dirname(file), exist_ok=True)
            torch.save(sd, file)
            # torchvision itself loads it by entry (from the cache, nothing downloaded)
            m2 = M.get_model(name, weights=w).eval()
            with torch.no_grad():
                r['fileOut'] = m2(x).flatten().tolist()
            del m2
        del m
    result[name] = r
`);
});

afterAll(() => {
  if (savedTorchHome === undefined) delete process.env.TORCH_HOME;
  else process.env.TORCH_HOME = savedTorchHome;
  fs.rmSync(torchHome, { recursive: true, force: true });
});


/** The models compared by value: checked on the model built for the structure test (one build, not two). */
const byValue = Object.fromEntries(Object.entries(SEEDED).map(([name, shape]) => [name, {
  title: "same seed -> torchvision's initial tensors; same eval-mode outputs after the same perturbation",
  check: (m: Module) => {
    const want = py[name];
    expectSums(`${name} init`, initSums(m), want.init!, 1e-9);
    perturb(m, 1);
    m.eval();
    torch.manualSeed(3);
    const x = torch.randn(shape);
    const out = torch.noGrad(() => m(x) as torch.Tensor);
    expect(out.numel()).toBe(want.out!.length);
    expect(relDiff(out, want.out!)).toBeLessThan(1e-4);
  },
}]));
describeBuilders(BUILDERS, (name) => py[name], byValue);

describe.each(CHECKPOINTS)('%s: a checkpoint under its torchvision file name', (name, entry) => {
  test('loads from $TORCH_HOME/hub/checkpoints by entry name, strictly, with torchvision outputs', () => {
    const want = py[name];
    torch.tidy(() => {
      const m = builderOf(name)({ weights: entry }).eval();
      torch.manualSeed(3);
      const x = torch.randn(SEEDED[name]);
      const out = torch.noGrad(() => m(x) as torch.Tensor);
      expect(relDiff(out, want.fileOut!)).toBeLessThan(1e-4);
    });
  });
});

test('entries without a file: the error names the file and the directory torchvision caches it in', () => {
  const w = models.ConvNeXt_Small_Weights.IMAGENET1K_V1;
  const entry = py.convnext_small.entries[0];
  expect(() => w.getStateDict()).toThrow(`weights file ${entry.file} not found in ${path.dirname(entry.path)}`);
});

test('builder options torchvision fixes', () => {
  // vit_h_14 has only SWAG weights: the legacy pretrained=True has none (torchvision: "No weights available")
  expect(() => models.vitH14({ pretrained: true })).toThrow('No weights available for model vitH14');
  // B5..B7 and V2 pass their own norm_layer
  expect(() => models.efficientnetB5({ normLayer: (c: number) => new torch.nn.BatchNorm2d(c) })).toThrow("got multiple values for keyword argument 'normLayer'");
  // a SWAG entry fixes the image size (its min_size)
  expect(() => models.vitL16({ weights: 'IMAGENET1K_SWAG_E2E_V1', imageSize: 224 })).toThrow("The parameter 'image_size' expected value 512 but got 224 instead.");
});
