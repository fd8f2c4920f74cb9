#!/usr/bin/env python3
"""Writes lib/serialization/modules/python-attributes.ts: for each nn.Module class torch-node can
pickle whole, the instance attributes Python 1.13 / torchvision 0.14 give it beyond nn.Module's own
(in __dict__ order) and the Python kind of each, read from real instances.

Run with the oracle's Python: /usr/bin/python3 scripts/generate-module-attributes.py
"""
import importlib
import inspect
import os
import warnings

import torch
import torch.nn as nn
import torchvision

warnings.filterwarnings('ignore')

# nn.Module.__init__'s own attributes: written from the module's members, not from this table
BASE = set(nn.Module().__dict__)

NN_FILES = ['module', 'linear', 'conv', 'batchnorm', 'instancenorm', 'normalization', 'dropout', 'pooling',
            'activation', 'adaptive', 'channelshuffle', 'container', 'distance', 'flatten', 'fold', 'loss',
            'padding', 'pixelshuffle', 'rnn', 'sparse', 'transformer', 'upsampling']
VISION_FILES = ['alexnet', 'convnext', 'densenet', 'efficientnet', 'googlenet', 'inception', 'maxvit', 'mnasnet',
                'mobilenetv2', 'mobilenetv3', 'regnet', 'resnet', 'shufflenetv2', 'squeezenet', 'swin_transformer',
                'vgg', 'vision_transformer']
OPS_FILES = ['misc', 'stochastic_depth']

# constructor arguments of the nn classes that need some (several where attributes depend on them)
NN_ARGS = {
    'Linear': [(3, 4)], 'Bilinear': [(2, 3, 4)], 'LazyLinear': [(4,)],
    'Conv1d': [(2, 4, 3)], 'Conv2d': [(2, 4, 3), (2, 4, 3, 1, 'same', 1, 1, True, 'reflect')], 'Conv3d': [(2, 4, 3)],
    'ConvTranspose1d': [(2, 4, 3)], 'ConvTranspose2d': [(2, 4, 3)], 'ConvTranspose3d': [(2, 4, 3)],
    'LazyConv1d': [(4, 3)], 'LazyConv2d': [(4, 3)], 'LazyConv3d': [(4, 3)],
    'LazyConvTranspose1d': [(4, 3)], 'LazyConvTranspose2d': [(4, 3)], 'LazyConvTranspose3d': [(4, 3)],
    'BatchNorm1d': [(3,)], 'BatchNorm2d': [(3,)], 'BatchNorm3d': [(3,)], 'SyncBatchNorm': [(3,)],
    'InstanceNorm1d': [(3,)], 'InstanceNorm2d': [(3,)], 'InstanceNorm3d': [(3,)],
    'LayerNorm': [(4,)], 'GroupNorm': [(2, 4)], 'LocalResponseNorm': [(2,)], 'CrossMapLRN2d': [(3,)],
    'MaxPool1d': [(2,)], 'MaxPool2d': [(2,)], 'MaxPool3d': [(2,)],
    'MaxUnpool1d': [(2,)], 'MaxUnpool2d': [(2,)], 'MaxUnpool3d': [(2,)],
    'AvgPool1d': [(2,)], 'AvgPool2d': [(2,)], 'AvgPool3d': [(2,)], 'LPPool1d': [(2, 2)], 'LPPool2d': [(2, 2)],
    'AdaptiveAvgPool1d': [(2,)], 'AdaptiveAvgPool2d': [(2,)], 'AdaptiveAvgPool3d': [(2,)],
    'AdaptiveMaxPool1d': [(2,)], 'AdaptiveMaxPool2d': [(2,)], 'AdaptiveMaxPool3d': [(2,)],
    'FractionalMaxPool2d': [(2, 1)], 'FractionalMaxPool3d': [(2, 1)],
    'Threshold': [(0.1, 20.0)], 'GLU': [()], 'MultiheadAttention': [(4, 2), (4, 2, 0.0, True, False, False, 3, 5)],
    'PReLU': [()], 'Softmin': [(1,)], 'Softmax': [(1,)], 'LogSoftmax': [(1,)],
    'AdaptiveLogSoftmaxWithLoss': [(8, 10, [4])], 'ChannelShuffle': [(2,)],
    'Unflatten': [(1, (2, 2))], 'Fold': [((4, 4), 2)], 'Unfold': [(2,)],
    'ConstantPad1d': [(1, 0.5)], 'ConstantPad2d': [(1, 0.5)], 'ConstantPad3d': [(1, 0.5)],
    'ReflectionPad1d': [(1,)], 'ReflectionPad2d': [(1,)], 'ReflectionPad3d': [(1,)],
    'ReplicationPad1d': [(1,)], 'ReplicationPad2d': [(1,)], 'ReplicationPad3d': [(1,)], 'ZeroPad2d': [(1,)],
    'PixelShuffle': [(2,)], 'PixelUnshuffle': [(2,)],
    'RNN': [(3, 4)], 'LSTM': [(3, 4), (3, 4, 1, True, False, 0.0, False, 2)], 'GRU': [(3, 4)],
    'RNNCell': [(3, 4)], 'LSTMCell': [(3, 4)], 'GRUCell': [(3, 4)],
    'Embedding': [(5, 3)], 'EmbeddingBag': [(5, 3)],
    'Transformer': [(8, 2, 1, 1, 16)], 'TransformerEncoderLayer': [(8, 2, 16)], 'TransformerDecoderLayer': [(8, 2, 16)],
    'TransformerEncoder': [(nn.TransformerEncoderLayer(8, 2, 16), 1)],
    'TransformerDecoder': [(nn.TransformerDecoderLayer(8, 2, 16), 1)],
    'Upsample': [(None, 2)], 'UpsamplingNearest2d': [(None, 2)], 'UpsamplingBilinear2d': [(None, 2)],
}

# whole models: their submodules give the attributes of the torchvision classes (and of nn's inside)
MODELS = ['alexnet', 'convnext_tiny', 'densenet121', 'efficientnet_b0', 'efficientnet_v2_s', 'googlenet',
          'inception_v3', 'maxvit_t', 'mnasnet0_5', 'mobilenet_v2', 'mobilenet_v3_large', 'mobilenet_v3_small',
          'regnet_x_400mf', 'resnet18', 'resnet50', 'shufflenet_v2_x0_5', 'squeezenet1_0', 'squeezenet1_1',
          'swin_t', 'swin_v2_t', 'vgg11', 'vgg11_bn', 'vit_b_16']


def kind(v):
    if isinstance(v, bool):
        return 'bool'
    if isinstance(v, float):
        return 'float'
    if isinstance(v, int):
        return 'int'
    if isinstance(v, torch.ao.quantization.QConfig):
        return 'QConfig'  # a namedtuple: before tuple
    if isinstance(v, tuple):
        return 'tuple'
    if isinstance(v, list):
        return 'list'
    if isinstance(v, str):
        return 'str'
    if v is None:
        return 'none'
    if isinstance(v, torch.dtype):
        return 'dtype'
    if isinstance(v, torch.Tensor):
        return 'tensor'
    if callable(v):
        return 'callable'
    return type(v).__name__


def path_of(cls):
    return f'{cls.__module__}.{cls.__qualname__}'


classes = {}  # python path -> {attribute: kind}


def note(module):
    attrs = classes.setdefault(path_of(type(module)), {})
    for name, value in module.__dict__.items():
        if name in BASE:
            continue
        k = kind(value)
        # None says nothing about the kind: a later instance may tell
        if name not in attrs or attrs[name] == 'none':
            attrs[name] = k
        elif k != 'none' and k != attrs[name] and {k, attrs[name]} == {'int', 'float'}:
            attrs[name] = 'float'


def module_classes(mod):
    for name, cls in list(vars(mod).items()):
        if inspect.isclass(cls) and issubclass(cls, nn.Module) and cls.__module__ == mod.__name__:
            yield name, cls


for file in NN_FILES:
    mod = importlib.import_module(f'torch.nn.modules.{file}')
    for name, cls in module_classes(mod):
        classes.setdefault(path_of(cls), {})
        for args in NN_ARGS.get(name, [()]):
            try:
                note(cls(*args))
            except Exception:
                pass  # abstract bases and classes needing other arguments: their instances come below
for file in VISION_FILES:
    for name, cls in module_classes(importlib.import_module(f'torchvision.models.{file}')):
        classes.setdefault(path_of(cls), {})
for file in OPS_FILES:
    for name, cls in module_classes(importlib.import_module(f'torchvision.ops.{file}')):
        classes.setdefault(path_of(cls), {})
for model in MODELS:
    for m in torchvision.models.get_model(model).modules():
        note(m)

# quantized modules (torch.ao.nn.quantized) torch-node pickles whole: one instance of each
import torch.ao.nn.quantized as nnq
for m in [nnq.Linear(3, 2), nnq.Quantize(0.1, 2, torch.quint8), nnq.DeQuantize(), nnq.QFunctional(), nnq.FloatFunctional(), nnq.Dropout(0.5),
          nnq.dynamic.Linear(3, 2), nnq.dynamic.LSTM(3, 4), nnq.dynamic.GRU(3, 4)]:
    for sub in m.modules():
        note(sub)

# torchvision's quantizable models, converted as a user converts them (fuse, prepare, calibrate, convert)
torch.backends.quantized.engine = 'qnnpack'
for model in ['resnet18', 'resnet50', 'mobilenet_v2']:
    m = getattr(torchvision.models.quantization, model)(weights=None, quantize=False).eval()
    m.fuse_model()
    m.qconfig = torch.ao.quantization.get_default_qconfig('qnnpack')
    torch.ao.quantization.prepare(m, inplace=True)
    m(torch.randn(2, 3, 32, 32))
    for sub in torch.ao.quantization.convert(m).modules():
        note(sub)

# eager-mode quantization mid-workflow (a checkpoint taken between prepare and convert): observers,
# fake-quants, stubs, QAT / fused / intrinsic QAT modules, and prepared and QAT-prepared models with the
# qconfig every module carries (kind 'QConfig')
import torch.ao.quantization as tq
import torch.ao.nn.qat as nnqat
import torch.nn.intrinsic as nni
import torch.nn.intrinsic.qat as nniqat
obs = tq.observer
qc = tq.get_default_qat_qconfig('fbgemm')
emb_qc = tq.default_embedding_qat_qconfig
singles = [obs.MinMaxObserver(), obs.MovingAverageMinMaxObserver(), obs.PerChannelMinMaxObserver(),
           obs.MovingAveragePerChannelMinMaxObserver(), obs.HistogramObserver(), obs.PlaceholderObserver(),
           obs.RecordingObserver(), obs.NoopObserver(), obs.ReuseInputObserver(), obs.FixedQParamsObserver(1.0 / 256, 0),
           tq.FakeQuantize(), tq.FusedMovingAvgObsFakeQuantize(), tq.default_fixed_qparams_range_0to1_fake_quant(),
           tq.QuantStub(qc), tq.DeQuantStub(qc), tq.QuantWrapper(nn.Linear(3, 2)),
           nnqat.Linear(3, 2, qconfig=qc), nnqat.Embedding(5, 3, qconfig=emb_qc), nnqat.EmbeddingBag(5, 3, qconfig=emb_qc),
           nniqat.LinearReLU(3, 2, qconfig=qc), nniqat.LinearBn1d(3, 2, qconfig=qc),
           nni.LinearReLU(nn.Linear(3, 2), nn.ReLU()), nni.LinearBn1d(nn.Linear(3, 2), nn.BatchNorm1d(2)),
           nni.BNReLU2d(nn.BatchNorm2d(2), nn.ReLU()), nni.BNReLU3d(nn.BatchNorm3d(2), nn.ReLU())]
for d in (1, 2, 3):
    conv, bn = getattr(nn, f'Conv{d}d'), getattr(nn, f'BatchNorm{d}d')
    singles += [getattr(nnqat, f'Conv{d}d')(2, 4, 3, qconfig=qc), getattr(nniqat, f'ConvBn{d}d')(2, 4, 3, qconfig=qc),
                getattr(nniqat, f'ConvBnReLU{d}d')(2, 4, 3, qconfig=qc), getattr(nniqat, f'ConvReLU{d}d')(2, 4, 3, qconfig=qc),
                getattr(nni, f'ConvReLU{d}d')(conv(2, 4, 3), nn.ReLU()), getattr(nni, f'ConvBn{d}d')(conv(2, 4, 3), bn(4)),
                getattr(nni, f'ConvBnReLU{d}d')(conv(2, 4, 3), bn(4), nn.ReLU())]
for m in singles:
    for sub in m.modules():
        note(sub)
QUANTIZABLE = {'resnet18': 32, 'mobilenet_v2': 32, 'googlenet': 64, 'inception_v3': 75, 'shufflenet_v2_x0_5': 32, 'mobilenet_v3_large': 32}
for model, size in QUANTIZABLE.items():
    build = getattr(torchvision.models.quantization, model)
    m = build(weights=None, quantize=False).eval()
    m.fuse_model()
    m.qconfig = tq.get_default_qconfig('fbgemm')
    tq.prepare(m, inplace=True)
    m(torch.randn(2, 3, size, size))
    for sub in list(m.modules()) + list(tq.convert(m).modules()):
        note(sub)
    m = build(weights=None, quantize=False).train()
    m.fuse_model(is_qat=True)
    m.qconfig = tq.get_default_qat_qconfig('fbgemm')
    tq.prepare_qat(m, inplace=True)
    for sub in m.modules():
        note(sub)

lines = [
    '// Generated by scripts/generate-module-attributes.py from Python ' + torch.__version__ + ' / torchvision ' + torchvision.__version__ + ': do not edit.',
    '// Per nn.Module class (Python path): the instance attributes beyond nn.Module\'s own, in __dict__ order,',
    '// with the Python kind each had (torch.save writes a JS array as a tuple or list, a number as int or float by it).',
    'export const PYTHON_ATTRIBUTES: Readonly<Record<string, readonly (readonly [string, string])[]>> = {',
]
for path, attrs in sorted(classes.items()):
    items = ', '.join(f"['{name}', '{k}']" for name, k in attrs.items())
    lines.append(f"  '{path}': [{items}],")
lines.append('};')
target = os.path.join(os.path.dirname(__file__), '..', 'lib', 'serialization', 'modules', 'python-attributes.ts')
with open(target, 'w') as f:
    f.write('\n'.join(lines) + '\n')
print(f'{len(classes)} classes -> {os.path.normpath(target)}')
