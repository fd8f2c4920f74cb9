// Options objects are keyword arguments: vision (model builders and classes, transforms, datasets) and
// train (fit, evaluate, callbacks) raise TorchError for a key they do not take, as Python's
// TypeError, naming the camelCase key a snake_case one meant; every key of their options types works.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim, Tensor } from '../lib';
import { models, transforms, datasets } from '../lib/vision';
import {
  fit, evaluate, EarlyStopping, ModelCheckpoint, LRSchedulerCallback, CSVLogger, JSONLinesLogger, ProgressBar, ProgressBarCallback,
} from '../lib/train';
import { errorOf, rejectionOf, unexpectedKeyword } from './helpers/errors';
import { BUILDERS as ALL_BUILDERS, MORE_BUILDERS } from './helpers/vision-builders';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keywords-vision-train-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Row = [label: string, call: () => unknown, message: string];

describe('model builders', () => {
  const BUILDERS = [...ALL_BUILDERS, ...MORE_BUILDERS].map(([, js, build]) => [js, build] as const);

  test.each(BUILDERS)('%s names the builder and the camelCase key', (name, builder) => {
    expect(errorOf(() => builder({ num_classes: 10 } as never)).message).toBe(unexpectedKeyword(name, 'num_classes', 'numClasses'));
    expect(errorOf(() => builder({ Weights: null } as never)).message).toBe(unexpectedKeyword(name, 'Weights', 'weights'));
    // the deprecated pretrained is taken alone (test/vision-models.test.ts); with weights, as torchvision, it is unknown to the model
    expect(errorOf(() => builder({ pretrained: true, weights: null } as never)).message).toBe(unexpectedKeyword(name, 'pretrained'));
  });

  // each builder takes its family's keys only
  const FAMILY: Row[] = [
    ['resnet zero_init_residual', () => models.resnet18({ zero_init_residual: true } as never), unexpectedKeyword('resnet18', 'zero_init_residual', 'zeroInitResidual')],
    ['resnet width_per_group', () => models.wide_resnet50_2({ width_per_group: 128 } as never), unexpectedKeyword('wide_resnet50_2', 'width_per_group', 'widthPerGroup')],
    ['resnet has no dropout', () => models.resnet50({ dropout: 0.1 } as never), unexpectedKeyword('resnet50', 'dropout')],
    ['vgg init_weights', () => models.vgg16_bn({ init_weights: false } as never), unexpectedKeyword('vgg16_bn', 'init_weights', 'initWeights')],
    ['vgg has no normLayer', () => models.vgg11({ normLayer: null } as never), unexpectedKeyword('vgg11', 'normLayer')],
    ['alexnet has no initWeights', () => models.alexnet({ initWeights: false } as never), unexpectedKeyword('alexnet', 'initWeights')],
    ['squeezenet has no version', () => models.squeezenet1_0({ version: '1_1' } as never), unexpectedKeyword('squeezenet1_0', 'version')],
    ['densenet121 drop_rate', () => models.densenet121({ drop_rate: 0.1 } as never), unexpectedKeyword('densenet121', 'drop_rate', 'dropRate')],
    ['densenet121 fixes growthRate', () => models.densenet121({ growthRate: 48 } as never), unexpectedKeyword('densenet121', 'growthRate')],
    ['mobilenetV2 width_mult', () => models.mobilenetV2({ width_mult: 0.5 } as never), unexpectedKeyword('mobilenetV2', 'width_mult', 'widthMult')],
    ['mobilenetV2 has no reducedTail', () => models.mobilenetV2({ reducedTail: true } as never), unexpectedKeyword('mobilenetV2', 'reducedTail')],
    ['mobilenetV3Large reduced_tail', () => models.mobilenetV3Large({ reduced_tail: true } as never), unexpectedKeyword('mobilenetV3Large', 'reduced_tail', 'reducedTail')],
    ['mobilenetV3Small has no roundNearest', () => models.mobilenetV3Small({ roundNearest: 8 } as never), unexpectedKeyword('mobilenetV3Small', 'roundNearest')],
    ['efficientnetB0 stochastic_depth_prob', () => models.efficientnetB0({ stochastic_depth_prob: 0.1 } as never), unexpectedKeyword('efficientnetB0', 'stochastic_depth_prob', 'stochasticDepthProb')],
    ['efficientnetB0 fixes lastChannel', () => models.efficientnetB0({ lastChannel: 1280 } as never), unexpectedKeyword('efficientnetB0', 'lastChannel')],
    ['convnextTiny layer_scale', () => models.convnextTiny({ layer_scale: 1e-6 } as never), unexpectedKeyword('convnextTiny', 'layer_scale', 'layerScale')],
    ['vitB16 image_size', () => models.vitB16({ image_size: 224 } as never), unexpectedKeyword('vitB16', 'image_size', 'imageSize')],
    ['inceptionV3 aux_logits', () => models.inceptionV3({ aux_logits: false } as never), unexpectedKeyword('inceptionV3', 'aux_logits', 'auxLogits')],
    ['googlenet dropout_aux', () => models.googlenet({ dropout_aux: 0.5 } as never), unexpectedKeyword('googlenet', 'dropout_aux', 'dropoutAux')],
    ['googlenet has no inceptionBlocks', () => models.googlenet({ inceptionBlocks: null } as never), unexpectedKeyword('googlenet', 'inceptionBlocks')],
    ['inceptionV3 has no normLayer', () => models.inceptionV3({ normLayer: null } as never), unexpectedKeyword('inceptionV3', 'normLayer')],
    ['vitB16 fixes patchSize', () => models.vitB16({ patchSize: 32 } as never), unexpectedKeyword('vitB16', 'patchSize')],
    ['the keyword check comes before the weights', () => models.resnet18({ weights: 'NOPE', num_classes: 10 } as never), unexpectedKeyword('resnet18', 'num_classes', 'numClasses')],
    ['fixed options still checked', () => models.resnext50_32x4d({ groups: 2 }), "The parameter 'groups' expected value 32 but got 2 instead."],
  ];
  test.each(FAMILY)('%s', (_label, call, message) => {
    expect(errorOf(call).message).toBe(message);
  });

  const bn = models.ops.batchNorm2d();
  const ln = (c: number) => new nn.LayerNorm(c, { eps: 1e-6 });
  // every key of each family's options type, on its smallest model
  const VALID: [string, () => nn.Module][] = [
    ['resnet18', () => models.resnet18({ weights: null, progress: false, numClasses: 10, zeroInitResidual: true, groups: 1, widthPerGroup: 64, replaceStrideWithDilation: [false, false, false], normLayer: bn })],
    ['vgg11', () => models.vgg11({ weights: null, progress: false, numClasses: 10, initWeights: false, dropout: 0.1 })],
    ['alexnet', () => models.alexnet({ weights: null, progress: false, numClasses: 10, dropout: 0.1 })],
    ['squeezenet1_1', () => models.squeezenet1_1({ weights: null, progress: false, numClasses: 10, dropout: 0.1 })],
    ['densenet121', () => models.densenet121({ weights: null, progress: false, numClasses: 10, bnSize: 4, dropRate: 0.1, memoryEfficient: true })],
    ['mobilenetV2', () => models.mobilenetV2({ weights: null, progress: false, numClasses: 10, widthMult: 0.5, invertedResidualSetting: [[1, 16, 1, 1], [6, 24, 2, 2]], roundNearest: 8, normLayer: bn, dropout: 0.1 })],
    ['mobilenetV3Small', () => models.mobilenetV3Small({ weights: null, progress: false, numClasses: 10, widthMult: 0.5, reducedTail: true, dilated: true, normLayer: bn, dropout: 0.1 })],
    ['efficientnetB0', () => models.efficientnetB0({ weights: null, progress: false, numClasses: 10, stochasticDepthProb: 0.1, normLayer: bn, dropout: 0.1 })],
    ['convnextTiny', () => models.convnextTiny({ weights: null, progress: false, numClasses: 10, stochasticDepthProb: 0.1, layerScale: 1e-5, normLayer: (c) => new models.LayerNorm2d(c, { eps: 1e-6 }) })],
    ['vitB16', () => models.vitB16({ weights: null, progress: false, numClasses: 10, dropout: 0.1, attentionDropout: 0.1, representationSize: 32, normLayer: ln, imageSize: 32 })],
    ['inceptionV3', () => models.inceptionV3({ weights: null, progress: false, numClasses: 10, auxLogits: false, transformInput: true, initWeights: false, dropout: 0.1,
      inceptionBlocks: [models.BasicConv2d, models.InceptionA, models.InceptionB, models.InceptionC, models.InceptionD, models.InceptionE, models.InceptionAux] })],
    ['googlenet', () => models.googlenet({ weights: null, progress: false, numClasses: 10, auxLogits: true, transformInput: true, initWeights: false, dropout: 0.1, dropoutAux: 0.5,
      blocks: [models.BasicConv2d, models.Inception, models.GoogLeNetAux] })],
  ];
  test.each(VALID)('%s takes every key of its options', (_name, build) => {
    const params = [...build().parameters()];
    expect(params[params.length - 1].shape).toEqual([10]);
  });
});

describe('model classes and ops', () => {
  const setting = () => models.mobilenetV3Conf('mobilenet_v3_small')[0];
  const ROWS: Row[] = [
    ['ResNet', () => new models.ResNet(models.BasicBlock, [1, 1, 1, 1], { num_classes: 10 } as never), unexpectedKeyword('ResNet', 'num_classes', 'numClasses')],
    ['BasicBlock', () => new models.BasicBlock(64, 64, { base_width: 64 } as never), unexpectedKeyword('BasicBlock', 'base_width', 'baseWidth')],
    ['Bottleneck', () => new models.Bottleneck(64, 64, { norm_layer: null } as never), unexpectedKeyword('Bottleneck', 'norm_layer', 'normLayer')],
    ['VGG', () => new models.VGG(new nn.Identity(), { init_weights: false } as never), unexpectedKeyword('VGG', 'init_weights', 'initWeights')],
    ['AlexNet', () => new models.AlexNet({ Dropout: 0.1 } as never), unexpectedKeyword('AlexNet', 'Dropout', 'dropout')],
    ['SqueezeNet', () => new models.SqueezeNet('1_1', { num_classes: 10 } as never), unexpectedKeyword('SqueezeNet', 'num_classes', 'numClasses')],
    ['DenseNet', () => new models.DenseNet({ growth_rate: 12 } as never), unexpectedKeyword('DenseNet', 'growth_rate', 'growthRate')],
    ['MobileNetV2', () => new models.MobileNetV2({ round_nearest: 8 } as never), unexpectedKeyword('MobileNetV2', 'round_nearest', 'roundNearest')],
    ['MobileNetV3', () => new models.MobileNetV3(setting(), 1024, { width_mult: 1 } as never), unexpectedKeyword('MobileNetV3', 'width_mult')],
    ['mobilenetV3Conf', () => models.mobilenetV3Conf('mobilenet_v3_small', { width_mult: 1 } as never), unexpectedKeyword('mobilenetV3Conf', 'width_mult', 'widthMult')],
    ['EfficientNet', () => new models.EfficientNet([], 0.2, { last_channel: 1280 } as never), unexpectedKeyword('EfficientNet', 'last_channel', 'lastChannel')],
    ['ConvNeXt', () => new models.ConvNeXt([], { layer_scale: 1e-6 } as never), unexpectedKeyword('ConvNeXt', 'layer_scale', 'layerScale')],
    ['GoogLeNet', () => new models.GoogLeNet({ transform_input: true } as never), unexpectedKeyword('GoogLeNet', 'transform_input', 'transformInput')],
    ['Inception3', () => new models.Inception3({ aux_logits: false } as never), unexpectedKeyword('Inception3', 'aux_logits', 'auxLogits')],
    ['VisionTransformer', () => new models.VisionTransformer(32, 16, 1, 2, 8, 16, { attention_dropout: 0.1 } as never), unexpectedKeyword('VisionTransformer', 'attention_dropout', 'attentionDropout')],
    ['Conv2dNormActivation', () => new models.ops.Conv2dNormActivation(3, 8, { kernel_size: 3 } as never), unexpectedKeyword('Conv2dNormActivation', 'kernel_size', 'kernelSize')],
    ['SqueezeExcitation', () => new models.ops.SqueezeExcitation(8, 2, { scale_activation: null } as never), unexpectedKeyword('SqueezeExcitation', 'scale_activation', 'scaleActivation')],
    ['MLP', () => new models.ops.MLP(4, [8, 2], { activation_layer: null } as never), unexpectedKeyword('MLP', 'activation_layer', 'activationLayer')],
  ];
  test.each(ROWS)('%s', (_label, call, message) => {
    expect(errorOf(call).message).toBe(message);
  });

  test('valid keys still work', () => {
    const relu = models.ops.relu;
    expect(new models.ops.Conv2dNormActivation(3, 8, { kernelSize: 1, stride: 1, padding: 0, groups: 1, normLayer: null, activationLayer: relu, dilation: 1, inplace: null, bias: true }).outChannels).toBe(8);
    expect(new models.ops.SqueezeExcitation(8, 2, { activation: relu, scaleActivation: models.ops.sigmoid }).fc1.outChannels).toBe(2);
    expect([...new models.ops.MLP(4, [8, 2], { normLayer: null, activationLayer: relu, inplace: false, bias: false, dropout: 0.1 }).children()].length).toBe(5);
    expect(models.mobilenetV3Conf('mobilenet_v3_small', { widthMult: 0.5, reducedTail: true, dilated: false })[1]).toBe(256);
    expect(new models.Bottleneck(64, 16, { stride: 1, downsample: null, groups: 2, baseWidth: 32, dilation: 1, normLayer: models.ops.batchNorm2d() }).conv1.outChannels).toBe(16);
  });
});

describe('transforms', () => {
  const ROWS: Row[] = [
    ['Resize', () => new transforms.Resize(8, { max_size: 16 } as never), unexpectedKeyword('Resize', 'max_size', 'maxSize')],
    ['RandomCrop', () => new transforms.RandomCrop(8, { pad_if_needed: true } as never), unexpectedKeyword('RandomCrop', 'pad_if_needed', 'padIfNeeded')],
    ['RandomCrop padding_mode', () => new transforms.RandomCrop(8, { padding_mode: 'edge' } as never), unexpectedKeyword('RandomCrop', 'padding_mode', 'paddingMode')],
    ['RandomResizedCrop', () => new transforms.RandomResizedCrop(224, { scale_: [0.5, 1] } as never), unexpectedKeyword('RandomResizedCrop', 'scale_', 'scale')],
    ['ColorJitter', () => new transforms.ColorJitter({ brightnes: 0.2 } as never), unexpectedKeyword('ColorJitter', 'brightnes')],
    ['RandomRotation', () => new transforms.RandomRotation(10, { resample: 'nearest' } as never), unexpectedKeyword('RandomRotation', 'resample')],
    ['ImageClassification', () => new transforms.ImageClassification({ cropSize: 224, resize_size: 256 } as never), unexpectedKeyword('ImageClassification', 'resize_size', 'resizeSize')],
  ];
  test.each(ROWS)('%s', (_label, call, message) => {
    expect(errorOf(call).message).toBe(message);
  });

  test('valid keys still work', () => {
    const img = torch.arange(3 * 10 * 12, { dtype: torch.uint8 }).reshape(3, 10, 12);
    const shape = (t: (x: Tensor) => Tensor) => t(img).shape;
    expect(shape(new transforms.Resize(5, { interpolation: 'nearest', maxSize: 8, antialias: false }))).toEqual([3, 5, 6]);
    expect(shape(new transforms.RandomCrop(12, { padding: 1, padIfNeeded: true, fill: 0, paddingMode: 'edge' }))).toEqual([3, 12, 12]);
    expect(shape(new transforms.RandomResizedCrop(4, { scale: [0.5, 1], ratio: [0.75, 1.33], interpolation: 'bilinear', antialias: true }))).toEqual([3, 4, 4]);
    expect(shape(new transforms.ColorJitter({ brightness: 0.2, contrast: 0.2, saturation: 0.2, hue: 0.1 }))).toEqual([3, 10, 12]);
    expect(shape(new transforms.RandomRotation(10, { interpolation: 'bilinear', expand: false, center: [5, 5], fill: 0 }))).toEqual([3, 10, 12]);
    const preset = new transforms.ImageClassification({ cropSize: 4, resizeSize: 6, mean: [0, 0, 0], std: [1, 1, 1], interpolation: 'bilinear' });
    expect(shape(preset)).toEqual([3, 4, 4]);
  });
});

describe('datasets', () => {
  const root = path.join(tmp, 'folder');
  fs.mkdirSync(path.join(root, 'cat'), { recursive: true });
  fs.writeFileSync(path.join(root, 'cat', 'a.txt'), 'a');
  const loader = (p: string) => torch.tensor([fs.readFileSync(p).length]);

  // a 2-image, 2x2 MNIST in IDX files
  const mnistRoot = path.join(tmp, 'mnist');
  fs.mkdirSync(mnistRoot);
  const idx = (type: number, dims: number[], data: number[]) => {
    const header = Buffer.alloc(4 + 4 * dims.length);
    header.writeUInt8(type, 2);
    header.writeUInt8(dims.length, 3);
    dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
    return Buffer.concat([header, Buffer.from(data)]);
  };
  for (const split of ['train', 't10k']) {
    fs.writeFileSync(path.join(mnistRoot, `${split}-images-idx3-ubyte`), idx(0x08, [2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]));
    fs.writeFileSync(path.join(mnistRoot, `${split}-labels-idx1-ubyte`), idx(0x08, [2], [3, 7]));
  }

  const ROWS: Row[] = [
    ['ImageFolder target_transform', () => new datasets.ImageFolder(root, { target_transform: (t: number) => t } as never), unexpectedKeyword('ImageFolder', 'target_transform', 'targetTransform')],
    ['ImageFolder is_valid_file', () => new datasets.ImageFolder(root, { is_valid_file: () => true } as never), unexpectedKeyword('ImageFolder', 'is_valid_file', 'isValidFile')],
    ['ImageFolder extensions', () => new datasets.ImageFolder(root, { extensions: ['.txt'] } as never), unexpectedKeyword('ImageFolder', 'extensions')],
    ['DatasetFolder loader given twice', () => new datasets.DatasetFolder(root, loader, ['.txt'], { loader } as never), "DatasetFolder() got multiple values for argument 'loader'"],
    ['DatasetFolder is_valid_file', () => new datasets.DatasetFolder(root, loader, null, { is_valid_file: () => true } as never), unexpectedKeyword('DatasetFolder', 'is_valid_file', 'isValidFile')],
    ['MNIST', () => new datasets.MNIST(mnistRoot, { target_transform: (t: number) => t } as never), unexpectedKeyword('MNIST', 'target_transform', 'targetTransform')],
    ['FashionMNIST', () => new datasets.FashionMNIST({ root: mnistRoot, Train: false } as never), unexpectedKeyword('FashionMNIST', 'Train', 'train')],
  ];
  test.each(ROWS)('%s', (_label, call, message) => {
    expect(errorOf(call).message).toBe(message);
  });

  test('valid keys still work', async () => {
    const folder = new datasets.ImageFolder(root, { transform: (x) => x.add(1), targetTransform: (t) => `class ${t}`, isValidFile: (p) => p.endsWith('.txt'), loader });
    const [x, y] = await folder.getItem(0);
    expect([x.tolist(), y]).toEqual([[2], 'class 0']);
    const dsFolder = new datasets.DatasetFolder(root, loader, null, { transform: (s: Tensor) => s.mul(3), targetTransform: (t) => t + 1, isValidFile: () => true });
    expect(await dsFolder.getItem(0)).toEqual([expect.anything(), 1]);
    const mnist = new datasets.FashionMNIST({ root: mnistRoot, train: false, download: false, transform: (img) => img.sum().item(), targetTransform: (t) => t * 10 });
    expect(mnist.getItem(1)).toEqual([22, 70]);
  });
});

describe('train', () => {
  function setup() {
    torch.manualSeed(0);
    const model = new nn.Linear(4, 3);
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
    const batches = [[torch.randn(4, 4), torch.tensor([0, 1, 2, 0])], [torch.randn(4, 4), torch.tensor([1, 1, 2, 0])]];
    return { model, optimizer, batches, loss: new nn.CrossEntropyLoss() };
  }
  const stream = { write: () => true };

  test.each([
    ['val_loader', 'valLoader'],
    ['train_loader', 'trainLoader'],
    ['lr', undefined],
  ])('fit rejects %s', async (key, meant) => {
    const { model, optimizer, batches, loss } = setup();
    const e = await rejectionOf(fit(model, { optimizer, loss, trainLoader: batches, [key]: batches } as never));
    expect(e.message).toBe(unexpectedKeyword('fit', key, meant));
  });

  test('evaluate rejects a wrong key', async () => {
    const { model, batches, loss } = setup();
    expect((await rejectionOf(evaluate(model, batches, { loss, Device: 'cpu' } as never))).message).toBe(unexpectedKeyword('evaluate', 'Device', 'device'));
  });

  const sched = () => new optim.lrScheduler.StepLR(setup().optimizer, 1);
  const ROWS: Row[] = [
    ['EarlyStopping min_delta', () => new EarlyStopping({ min_delta: 0.1 } as never), unexpectedKeyword('EarlyStopping', 'min_delta', 'minDelta')],
    ['EarlyStopping restore_best_weights', () => new EarlyStopping({ restore_best_weights: true } as never), unexpectedKeyword('EarlyStopping', 'restore_best_weights', 'restoreBestWeights')],
    ['EarlyStopping verbose', () => new EarlyStopping({ verbose: 1 } as never), unexpectedKeyword('EarlyStopping', 'verbose')],
    ['ModelCheckpoint save_best_only', () => new ModelCheckpoint({ filepath: 'x.pt', save_best_only: true } as never), unexpectedKeyword('ModelCheckpoint', 'save_best_only', 'saveBestOnly')],
    ['ModelCheckpoint save_weights_only', () => new ModelCheckpoint({ filepath: 'x.pt', save_weights_only: true } as never), unexpectedKeyword('ModelCheckpoint', 'save_weights_only', 'saveWeightsOnly')],
    ['LRSchedulerCallback', () => new LRSchedulerCallback(sched(), { Interval: 'batch' } as never), unexpectedKeyword('LRSchedulerCallback', 'Interval', 'interval')],
    ['LRSchedulerCallback mode', () => new LRSchedulerCallback(sched(), { mode: 'max' } as never), unexpectedKeyword('LRSchedulerCallback', 'mode')],
    ['ProgressBar', () => new ProgressBar({ Width: 10 } as never), unexpectedKeyword('ProgressBar', 'Width', 'width')],
    ['ProgressBarCallback sets total and label itself', () => new ProgressBarCallback({ label: 'x' } as never), unexpectedKeyword('ProgressBarCallback', 'label')],
    ['CSVLogger', () => new CSVLogger(path.join(tmp, 'log.csv'), { sep: ';' } as never), unexpectedKeyword('CSVLogger', 'sep')],
    ['JSONLinesLogger', () => new JSONLinesLogger(path.join(tmp, 'log.jsonl'), { Append: true } as never), unexpectedKeyword('JSONLinesLogger', 'Append', 'append')],
  ];
  test.each(ROWS)('%s', (_label, call, message) => {
    expect(errorOf(call).message).toBe(message);
  });

  test('fit, evaluate and every callback take every key of their options', async () => {
    const { model, optimizer, batches, loss } = setup();
    const bar = new ProgressBar({ total: 2, label: 'l', width: 5, stream, now: () => 0 });
    expect(bar.render(1)).toBe('l [==>  ] 1/2 0s ETA 0s');
    const callbacks = [
      new EarlyStopping({ monitor: 'val_loss', minDelta: 0, patience: 5, mode: 'min', restoreBestWeights: true }),
      new ModelCheckpoint({ filepath: path.join(tmp, 'ckpt-{epoch}.pt'), monitor: 'val_loss', mode: 'auto', saveBestOnly: false, saveWeightsOnly: true }),
      new LRSchedulerCallback(new optim.lrScheduler.StepLR(optimizer, 1, { gamma: 0.5 }), { interval: 'epoch', monitor: 'val_loss' }),
      new ProgressBarCallback({ width: 5, stream, now: () => 0 }),
      new CSVLogger(path.join(tmp, 'log.csv'), { separator: ';', append: false }),
      new JSONLinesLogger(path.join(tmp, 'log.jsonl'), { append: false }),
    ];
    const history = await fit(model, { optimizer, loss, metrics: ['accuracy'], epochs: 2, trainLoader: batches, valLoader: batches, callbacks, device: 'cpu', progress: true });
    expect(history.epoch).toEqual([1, 2]);
    expect(history.history.lr).toEqual([0.1, 0.05]);
    expect(Object.keys(await evaluate(model, batches, { loss, metrics: ['accuracy'], device: 'cpu' }))).toEqual(['loss', 'accuracy']);
  });
});
