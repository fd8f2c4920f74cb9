// Picking a model by name as Python scripts do: models.__dict__[arch] with torchvision's snake_case
// names, get_model / get_model_builder / list_models / get_weight (torchvision 0.14's _api), checked
// against torchvision's own lists, models (state_dict keys and shapes) and error texts.
import { models } from '../lib/vision';
import { runPython } from './helpers/python';
import { errorTable } from './helpers/error-oracle';

jest.setTimeout(300_000);

const BUILT = ['resnet18', 'mobilenet_v2', 'mobilenet_v3_small', 'efficientnet_b0', 'resnext50_32x4d', 'squeezenet1_1', 'convnext_tiny'];
const WEIGHT_NAMES = ['ResNet50_Weights.DEFAULT', 'ResNet50_Weights.IMAGENET1K_V1', 'ViT_B_16_Weights.IMAGENET1K_SWAG_E2E_V1', 'MobileNet_V3_Large_Weights.DEFAULT'];
const BAD_WEIGHT_NAMES = ['ResNet50_Weights', 'Foo_Weights.DEFAULT', 'ResNet50_Weights.IMAGENET9K', 'a.b.c'];

let py: {
  names: string[];
  registered: string[];
  quantized: string[];
  built: Record<string, [string, number[]][]>;
  weights: string[];
  weightErrors: string[];
  unknown: string;
};

beforeAll(() => {
  py = runPython(`
import torchvision.models as models
names = [n for n in models.__dict__ if n.islower() and not n.startswith('__') and callable(models.__dict__[n])]
built = {}
for n in ${JSON.stringify(BUILT)}:
    built[n] = [[k, list(v.shape)] for k, v in models.get_model(n, num_classes=7).state_dict().items()]
result = {
    'names': names,
    'registered': models.list_models(),
    'quantized': models.list_models(module=models.quantization),
    'built': built,
    'weights': [str(models.get_weight(w)) for w in ${JSON.stringify(WEIGHT_NAMES)}],
    'weightErrors': [err(lambda: models.get_weight(w)) for w in ${JSON.stringify(BAD_WEIGHT_NAMES)}],
    'unknown': err(lambda: models.get_model('resnet9')),
}
`);
});

const lookup = (name: string): unknown => (models as Record<string, unknown>)[name];
/** torch-node's camelCase name of a snake_case one (mobilenet_v3_large -> mobilenetV3Large) */
const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/_(\d+)$/, '$1');

test("every torchvision builder torch-node implements resolves by torchvision's name", () => {
  const builders = py.names.filter((n) => !n.startsWith('get_') && n !== 'list_models');
  const implemented = builders.filter((n) => typeof lookup(n) === 'function' || typeof lookup(camel(n)) === 'function');
  for (const n of implemented) {
    expect(typeof lookup(n)).toBe('function');
    if (lookup(camel(n)) !== undefined) expect(lookup(n)).toBe(lookup(camel(n)));
    expect(models.getModelBuilder(n)).toBe(lookup(n));
  }
  expect(implemented.length).toBeGreaterThanOrEqual(27);
  // as torchvision's list_models(models): the top-level builders (segmentation's are in models.segmentation)
  expect(models.listModels(models)).toEqual([...implemented].sort());
  // every name torch-node lists is one torchvision registers
  expect(models.listModels().filter((n) => !py.registered.includes(n))).toEqual([]);
});

test('getModel builds what torchvision get_model builds, by any of the names', () => {
  for (const name of BUILT) {
    const model = models.getModel(name, { numClasses: 7 });
    const keys = Object.entries(model.stateDict()).map(([k, v]) => [k, v.shape]);
    expect(keys).toEqual(py.built[name]);
  }
  expect(String(models.getModel('MobileNet_V2'))).toBe(String(models.mobilenetV2()));
  expect(String(models.getModel('mobilenetV2', { numClasses: 3 }))).toBe(String(models.mobilenet_v2({ numClasses: 3 })));
  expect(() => models.getModel('resnet9')).toThrow(py.unknown);
  expect(() => models.getModel('resnet18', { num_classes: 3 })).toThrow("resnet18() got an unexpected keyword argument 'num_classes' (did you mean 'numClasses'?)");
});

test('listModels(module) and getWeight', () => {
  expect(models.listModels()).toEqual([...models.listModels(models), ...models.listModels(models.segmentation), ...models.listModels(models.detection), ...models.listModels(models.opticalFlow), ...models.listModels(models.video), ...models.listModels(models.quantization)].sort());
  expect(models.listModels(models.quantization)).toEqual(py.quantized);
  expect(models.listModels({ resnet18: models.resnet18, vitB16: models.vitB16 })).toEqual(['resnet18', 'vit_b_16']);
  expect(WEIGHT_NAMES.map((w) => String(models.getWeight(w)))).toEqual(py.weights);
  expect(models.getWeight('ResNet50_Weights.DEFAULT')).toBe(models.ResNet50_Weights.IMAGENET1K_V2);
  BAD_WEIGHT_NAMES.forEach((w, i) => expect(() => models.getWeight(w)).toThrow(py.weightErrors[i]));
});

describe("weights given by name or entry: WeightsEnum.verify's errors", () => {
  errorTable(
    [
      ["M.resnet18(weights='FOO')", () => models.resnet18({ weights: 'FOO' })],
      ["M.resnet18(weights='ResNet50_Weights.IMAGENET1K_V1')", () => models.resnet18({ weights: 'ResNet50_Weights.IMAGENET1K_V1' })],
      ['M.resnet18(weights=M.ResNet34_Weights.DEFAULT)', () => models.resnet18({ weights: models.ResNet34_Weights.DEFAULT })],
      ["M.detection.fcos_resnet50_fpn(weights='COCO_V2')", () => models.detection.fcosResnet50Fpn({ weights: 'COCO_V2' })],
    ],
    { prelude: 'import torchvision.models as M' },
  );
  test("the enum's own prefix is dropped, as verify() does", () => {
    // resolved to the entry (whose file this machine does not cache)
    expect(() => models.mobilenetV2({ weights: 'MobileNet_V2_Weights.IMAGENET1K_V2' })).toThrow('MobileNet_V2_Weights.IMAGENET1K_V2: weights file mobilenet_v2-7ebf99e0.pth not found');
  });
});
