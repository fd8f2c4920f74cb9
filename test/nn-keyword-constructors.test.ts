// nn layer constructors take their positional parameters by name too, as Python's do:
// nn.Linear(in_features=784, out_features=20) is new nn.Linear({ inFeatures: 784, outFeatures: 20 }),
// nn.Conv2d(3, 64, kernel_size=3, padding=1) is new nn.Conv2d(3, 64, { kernelSize: 3, padding: 1 }).
// Each row builds the layer both ways after manual_seed(0) and compares print(module) with
// String(module) and the initial state_dict (so every argument given by name arrived). Then
// Python's TypeErrors: an argument given twice, a required one missing (same text as Python's,
// with the camelCase names), an unknown key (with the name meant), too many positional arguments.
import * as torch from '../lib';
import { nn, TorchError } from '../lib';
import { runPython } from './helpers/python';
import { PY_DESCRIBE, desc, mismatch } from './helpers/oracle';
import { errorOf, unexpectedKeyword } from './helpers/errors';

/** [Python constructor call, the same here] */
type Row = [string, () => nn.Module];
const rows: Row[] = [
  // linear
  ['nn.Linear(in_features=784, out_features=20)', () => new nn.Linear({ inFeatures: 784, outFeatures: 20 })],
  ['nn.Linear(784, out_features=20, bias=False)', () => new nn.Linear(784, { outFeatures: 20, bias: false })],
  ['nn.Linear(6, 4, False)', () => new nn.Linear(6, 4, false)],
  ['nn.Linear(6, 4, False, dtype=torch.float64)', () => new nn.Linear(6, 4, false, { dtype: torch.float64 })],
  // device and dtype come last, positionally too; None is the default
  ['nn.Linear(6, 4, False, None, torch.float64)', () => new nn.Linear(6, 4, false, null, torch.float64)],
  ['nn.Linear(3, 4, True, None, None)', () => new nn.Linear(3, 4, true, null, null)],
  ['nn.Linear(3, 4, device=None, dtype=None)', () => new nn.Linear(3, 4, { device: null, dtype: null })],
  ["nn.Conv2d(1, 2, 3, 1, 0, 1, 1, True, 'zeros', None, torch.float64)", () => new nn.Conv2d(1, 2, 3, 1, 0, 1, 1, true, 'zeros', null, torch.float64)],
  ['nn.LayerNorm(4, 1e-5, True, None, torch.float64)', () => new nn.LayerNorm(4, 1e-5, true, null, torch.float64)],
  ['nn.Bilinear(in1_features=2, in2_features=3, out_features=4, bias=False)', () => new nn.Bilinear({ in1Features: 2, in2Features: 3, outFeatures: 4, bias: false })],
  ['nn.Bilinear(2, 3, out_features=4)', () => new nn.Bilinear(2, 3, { outFeatures: 4 })],
  ['nn.Identity(54, unused_argument=0.1)', () => new nn.Identity(54, { unusedArgument: 0.1 })],
  // convolutions
  ['nn.Conv2d(in_channels=3, out_channels=64, kernel_size=3, padding=1)', () => new nn.Conv2d({ inChannels: 3, outChannels: 64, kernelSize: 3, padding: 1 })],
  ['nn.Conv2d(in_channels=1, out_channels=2, kernel_size=3)', () => new nn.Conv2d({ inChannels: 1, outChannels: 2, kernelSize: 3 })],
  ['nn.Conv2d(3, 64, kernel_size=3, padding=1)', () => new nn.Conv2d(3, 64, { kernelSize: 3, padding: 1 })],
  ['nn.Conv2d(3, out_channels=8, kernel_size=(1, 3), stride=2, bias=False)', () => new nn.Conv2d(3, { outChannels: 8, kernelSize: [1, 3], stride: 2, bias: false })],
  ["nn.Conv2d(2, 4, 3, 1, 'same', 2)", () => new nn.Conv2d(2, 4, 3, 1, 'same', 2)],
  ["nn.Conv1d(in_channels=4, out_channels=4, kernel_size=3, groups=2, padding=1, padding_mode='reflect')", () => new nn.Conv1d({ inChannels: 4, outChannels: 4, kernelSize: 3, groups: 2, padding: 1, paddingMode: 'reflect' })],
  ['nn.Conv3d(2, out_channels=4, kernel_size=(1, 2, 3), dilation=2)', () => new nn.Conv3d(2, { outChannels: 4, kernelSize: [1, 2, 3], dilation: 2 })],
  ['nn.ConvTranspose1d(in_channels=2, out_channels=3, kernel_size=3, stride=2, output_padding=1)', () => new nn.ConvTranspose1d({ inChannels: 2, outChannels: 3, kernelSize: 3, stride: 2, outputPadding: 1 })],
  ['nn.ConvTranspose2d(4, 2, kernel_size=2, groups=2, dilation=2)', () => new nn.ConvTranspose2d(4, 2, { kernelSize: 2, groups: 2, dilation: 2 })],
  ['nn.ConvTranspose3d(in_channels=1, out_channels=2, kernel_size=2, bias=False)', () => new nn.ConvTranspose3d({ inChannels: 1, outChannels: 2, kernelSize: 2, bias: false })],
  // normalization
  ['nn.BatchNorm1d(num_features=5)', () => new nn.BatchNorm1d({ numFeatures: 5 })],
  ['nn.BatchNorm2d(num_features=3, eps=1e-3, momentum=None)', () => new nn.BatchNorm2d({ numFeatures: 3, eps: 1e-3, momentum: null })],
  ['nn.BatchNorm3d(4, 1e-4, 0.2, False, False)', () => new nn.BatchNorm3d(4, 1e-4, 0.2, false, false)],
  ['nn.InstanceNorm1d(num_features=3, affine=True)', () => new nn.InstanceNorm1d({ numFeatures: 3, affine: true })],
  ['nn.InstanceNorm2d(3, 1e-3, track_running_stats=True)', () => new nn.InstanceNorm2d(3, 1e-3, { trackRunningStats: true })],
  ['nn.InstanceNorm3d(num_features=2, momentum=0.3)', () => new nn.InstanceNorm3d({ numFeatures: 2, momentum: 0.3 })],
  ['nn.LayerNorm(normalized_shape=[4, 5], eps=1e-6, elementwise_affine=False)', () => new nn.LayerNorm({ normalizedShape: [4, 5], eps: 1e-6, elementwiseAffine: false })],
  ['nn.LayerNorm(normalized_shape=8)', () => new nn.LayerNorm({ normalizedShape: 8 })],
  ['nn.GroupNorm(num_groups=2, num_channels=4, eps=1e-3, affine=False)', () => new nn.GroupNorm({ numGroups: 2, numChannels: 4, eps: 1e-3, affine: false })],
  ['nn.GroupNorm(2, num_channels=6)', () => new nn.GroupNorm(2, { numChannels: 6 })],
  ['nn.LocalResponseNorm(size=3, alpha=1e-3, beta=0.5, k=2.0)', () => new nn.LocalResponseNorm({ size: 3, alpha: 1e-3, beta: 0.5, k: 2 })],
  ['nn.LocalResponseNorm(2, 1e-3)', () => new nn.LocalResponseNorm(2, 1e-3)],
  // embeddings
  ['nn.Embedding(num_embeddings=10, embedding_dim=3, padding_idx=0)', () => new nn.Embedding({ numEmbeddings: 10, embeddingDim: 3, paddingIdx: 0 })],
  ['nn.Embedding(10, 3, None, 1.0, 1.0, True)', () => new nn.Embedding(10, 3, null, 1, 1, true)],
  ['nn.Embedding(10, embedding_dim=4, sparse=True, padding_idx=-1)', () => new nn.Embedding(10, { embeddingDim: 4, sparse: true, paddingIdx: -1 })],
  ["nn.EmbeddingBag(num_embeddings=10, embedding_dim=3, mode='sum')", () => new nn.EmbeddingBag({ numEmbeddings: 10, embeddingDim: 3, mode: 'sum' })],
  ["nn.EmbeddingBag(10, 3, 2.0, 1.0, False, 'max')", () => new nn.EmbeddingBag(10, 3, 2, 1, false, 'max')],
  ['nn.EmbeddingBag(10, 3, padding_idx=2, include_last_offset=True)', () => new nn.EmbeddingBag(10, 3, { paddingIdx: 2, includeLastOffset: true })],
  // recurrent
  ["nn.RNN(input_size=4, hidden_size=8, num_layers=2, nonlinearity='relu')", () => new nn.RNN({ inputSize: 4, hiddenSize: 8, numLayers: 2, nonlinearity: 'relu' })],
  ['nn.RNN(4, 8, 1, False)', () => new nn.RNN(4, 8, 1, false)],
  ['nn.LSTM(input_size=4, hidden_size=8, proj_size=2, batch_first=True)', () => new nn.LSTM({ inputSize: 4, hiddenSize: 8, projSize: 2, batchFirst: true })],
  ['nn.LSTM(4, 8, 2, False, True, 0.5, True, 3)', () => new nn.LSTM(4, 8, 2, false, true, 0.5, true, 3)],
  ['nn.GRU(4, hidden_size=6, bidirectional=True)', () => new nn.GRU(4, { hiddenSize: 6, bidirectional: true })],
  ["nn.RNNCell(input_size=3, hidden_size=5, nonlinearity='relu')", () => new nn.RNNCell({ inputSize: 3, hiddenSize: 5, nonlinearity: 'relu' })],
  ['nn.LSTMCell(3, hidden_size=5, bias=False)', () => new nn.LSTMCell(3, { hiddenSize: 5, bias: false })],
  ['nn.GRUCell(input_size=3, hidden_size=5)', () => new nn.GRUCell({ inputSize: 3, hiddenSize: 5 })],
  // attention and transformers
  ['nn.MultiheadAttention(embed_dim=8, num_heads=2, dropout=0.1, kdim=4, vdim=6)', () => new nn.MultiheadAttention({ embedDim: 8, numHeads: 2, dropout: 0.1, kdim: 4, vdim: 6 })],
  ['nn.MultiheadAttention(8, num_heads=4, add_bias_kv=True, batch_first=True)', () => new nn.MultiheadAttention(8, { numHeads: 4, addBiasKv: true, batchFirst: true })],
  ['nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.0)', () => new nn.TransformerEncoderLayer({ dModel: 8, nhead: 2, dimFeedforward: 16, dropout: 0 })],
  ["nn.TransformerDecoderLayer(8, nhead=2, dim_feedforward=16, activation='gelu', norm_first=True)", () => new nn.TransformerDecoderLayer(8, { nhead: 2, dimFeedforward: 16, activation: 'gelu', normFirst: true })],
  [
    'nn.TransformerEncoder(encoder_layer=nn.TransformerEncoderLayer(8, 2, 16), num_layers=2, norm=nn.LayerNorm(8))',
    () => new nn.TransformerEncoder({ encoderLayer: new nn.TransformerEncoderLayer(8, 2, 16), numLayers: 2, norm: new nn.LayerNorm(8) }),
  ],
  ['nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 16), num_layers=1)', () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2, 16), { numLayers: 1 })],
  [
    'nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=16)',
    () => new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16 }),
  ],
  // pooling
  ['nn.MaxPool2d(kernel_size=3, stride=2, padding=1)', () => new nn.MaxPool2d({ kernelSize: 3, stride: 2, padding: 1 })],
  ['nn.MaxPool1d(kernel_size=2)', () => new nn.MaxPool1d({ kernelSize: 2 })],
  ['nn.MaxPool3d(2, ceil_mode=True, return_indices=True)', () => new nn.MaxPool3d(2, { ceilMode: true, returnIndices: true })],
  ['nn.MaxUnpool1d(kernel_size=2)', () => new nn.MaxUnpool1d({ kernelSize: 2 })],
  ['nn.MaxUnpool2d(kernel_size=2, stride=1, padding=1)', () => new nn.MaxUnpool2d({ kernelSize: 2, stride: 1, padding: 1 })],
  ['nn.MaxUnpool3d(3, padding=1)', () => new nn.MaxUnpool3d(3, { padding: 1 })],
  ['nn.AvgPool1d(kernel_size=3, stride=1, count_include_pad=False)', () => new nn.AvgPool1d({ kernelSize: 3, stride: 1, countIncludePad: false })],
  ['nn.AvgPool2d(kernel_size=(2, 3), divisor_override=2)', () => new nn.AvgPool2d({ kernelSize: [2, 3], divisorOverride: 2 })],
  ['nn.AvgPool3d(kernel_size=2)', () => new nn.AvgPool3d({ kernelSize: 2 })],
  ['nn.LPPool1d(norm_type=2, kernel_size=3)', () => new nn.LPPool1d({ normType: 2, kernelSize: 3 })],
  ['nn.LPPool2d(1.5, kernel_size=2, stride=1, ceil_mode=True)', () => new nn.LPPool2d(1.5, { kernelSize: 2, stride: 1, ceilMode: true })],
  ['nn.AdaptiveAvgPool1d(output_size=4)', () => new nn.AdaptiveAvgPool1d({ outputSize: 4 })],
  ['nn.AdaptiveAvgPool2d(output_size=(2, None))', () => new nn.AdaptiveAvgPool2d({ outputSize: [2, null] })],
  ['nn.AdaptiveAvgPool3d(output_size=1)', () => new nn.AdaptiveAvgPool3d({ outputSize: 1 })],
  ['nn.AdaptiveMaxPool1d(output_size=3, return_indices=True)', () => new nn.AdaptiveMaxPool1d({ outputSize: 3, returnIndices: true })],
  ['nn.AdaptiveMaxPool2d(output_size=2)', () => new nn.AdaptiveMaxPool2d({ outputSize: 2 })],
  ['nn.AdaptiveMaxPool3d((1, 2, 2), return_indices=True)', () => new nn.AdaptiveMaxPool3d([1, 2, 2], { returnIndices: true })],
  // padding
  ['nn.ConstantPad1d(padding=2, value=0.5)', () => new nn.ConstantPad1d({ padding: 2, value: 0.5 })],
  ['nn.ConstantPad2d((1, 2, 3, 4), value=-1)', () => new nn.ConstantPad2d([1, 2, 3, 4], { value: -1 })],
  ['nn.ConstantPad3d(padding=1, value=3)', () => new nn.ConstantPad3d({ padding: 1, value: 3 })],
  ['nn.ZeroPad2d(padding=(1, 1, 2, 0))', () => new nn.ZeroPad2d({ padding: [1, 1, 2, 0] })],
  ['nn.ReflectionPad1d(padding=2)', () => new nn.ReflectionPad1d({ padding: 2 })],
  ['nn.ReflectionPad2d(padding=(1, 1, 2, 2))', () => new nn.ReflectionPad2d({ padding: [1, 1, 2, 2] })],
  ['nn.ReflectionPad3d(padding=1)', () => new nn.ReflectionPad3d({ padding: 1 })],
  ['nn.ReplicationPad1d(padding=(1, 2))', () => new nn.ReplicationPad1d({ padding: [1, 2] })],
  ['nn.ReplicationPad2d(padding=1)', () => new nn.ReplicationPad2d({ padding: 1 })],
  ['nn.ReplicationPad3d(padding=2)', () => new nn.ReplicationPad3d({ padding: 2 })],
  // resampling and rearrangement
  ["nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)", () => new nn.Upsample({ scaleFactor: 2, mode: 'bilinear', alignCorners: true })],
  ['nn.Upsample(size=(4, 5))', () => new nn.Upsample({ size: [4, 5] })],
  ['nn.UpsamplingNearest2d(scale_factor=3)', () => new nn.UpsamplingNearest2d({ scaleFactor: 3 })],
  ['nn.UpsamplingBilinear2d(size=4)', () => new nn.UpsamplingBilinear2d({ size: 4 })],
  ['nn.PixelShuffle(upscale_factor=2)', () => new nn.PixelShuffle({ upscaleFactor: 2 })],
  ['nn.PixelUnshuffle(downscale_factor=3)', () => new nn.PixelUnshuffle({ downscaleFactor: 3 })],
  ['nn.ChannelShuffle(groups=2)', () => new nn.ChannelShuffle({ groups: 2 })],
  ['nn.Fold(output_size=(4, 5), kernel_size=2, stride=1)', () => new nn.Fold({ outputSize: [4, 5], kernelSize: 2, stride: 1 })],
  ['nn.Fold((4, 4), kernel_size=(2, 2), dilation=1, padding=1, stride=2)', () => new nn.Fold([4, 4], { kernelSize: [2, 2], dilation: 1, padding: 1, stride: 2 })],
  ['nn.Unfold(kernel_size=(2, 3), padding=1)', () => new nn.Unfold({ kernelSize: [2, 3], padding: 1 })],
  ['nn.Flatten(start_dim=0, end_dim=2)', () => new nn.Flatten({ startDim: 0, endDim: 2 })],
  ['nn.Unflatten(dim=1, unflattened_size=(2, 3))', () => new nn.Unflatten({ dim: 1, unflattenedSize: [2, 3] })],
  ['nn.Unflatten(-1, unflattened_size=(4,))', () => new nn.Unflatten(-1, { unflattenedSize: [4] })],
  // activations with parameters
  ['nn.LeakyReLU(negative_slope=0.2)', () => new nn.LeakyReLU({ negativeSlope: 0.2 })],
  ['nn.ELU(alpha=0.5, inplace=True)', () => new nn.ELU({ alpha: 0.5, inplace: true })],
  ['nn.CELU(alpha=2.0)', () => new nn.CELU({ alpha: 2 })],
  ['nn.Softplus(beta=2, threshold=10)', () => new nn.Softplus({ beta: 2, threshold: 10 })],
  ['nn.Hardtanh(min_val=-2.0, max_val=2.0)', () => new nn.Hardtanh({ minVal: -2, maxVal: 2 })],
  ['nn.ReLU6(inplace=True)', () => new nn.ReLU6({ inplace: true })],
  ['nn.Threshold(threshold=0.1, value=20.0)', () => new nn.Threshold({ threshold: 0.1, value: 20 })],
  ['nn.Threshold(0.1, value=20.0, inplace=True)', () => new nn.Threshold(0.1, { value: 20, inplace: true })],
  ['nn.RReLU(lower=0.1, upper=0.2)', () => new nn.RReLU({ lower: 0.1, upper: 0.2 })],
  ["nn.GELU(approximate='tanh')", () => new nn.GELU({ approximate: 'tanh' })],
  ['nn.Hardshrink(lambd=0.3)', () => new nn.Hardshrink({ lambd: 0.3 })],
  ['nn.Softmax(dim=1)', () => new nn.Softmax({ dim: 1 })],
  ['nn.GLU(dim=0)', () => new nn.GLU({ dim: 0 })],
  ['nn.PReLU(num_parameters=3, init=0.1)', () => new nn.PReLU({ numParameters: 3, init: 0.1 })],
  ['nn.PReLU(3, 0.5)', () => new nn.PReLU(3, 0.5)],
  ['nn.PReLU(init=0.5)', () => new nn.PReLU({ init: 0.5 })],
  // dropout
  ['nn.Dropout(p=0.2)', () => new nn.Dropout({ p: 0.2 })],
  ['nn.Dropout1d(0.4)', () => new nn.Dropout1d(0.4)],
  ['nn.Dropout2d(p=0.3, inplace=True)', () => new nn.Dropout2d({ p: 0.3, inplace: true })],
  ['nn.Dropout3d(inplace=True)', () => new nn.Dropout3d({ inplace: true })],
  ['nn.AlphaDropout(p=0.1)', () => new nn.AlphaDropout({ p: 0.1 })],
  ['nn.FeatureAlphaDropout(p=0.25)', () => new nn.FeatureAlphaDropout({ p: 0.25 })],
  // losses (their arguments all have defaults: positional or by name already)
  ["nn.HuberLoss(reduction='sum', delta=0.5)", () => new nn.HuberLoss({ reduction: 'sum', delta: 0.5 })],
  ['nn.CrossEntropyLoss(torch.ones(3), ignore_index=1, label_smoothing=0.1)', () => new nn.CrossEntropyLoss(torch.ones(3), { ignoreIndex: 1, labelSmoothing: 0.1 })],
  // containers
  ['nn.ModuleList(modules=[nn.ReLU(), nn.Linear(2, 3)])', () => new nn.ModuleList({ modules: [new nn.ReLU(), new nn.Linear(2, 3)] })],
  ['nn.ModuleList(None)', () => new nn.ModuleList(null)],
  ['nn.ParameterList(values=[nn.Parameter(torch.zeros(2)), torch.ones(1, 3)])', () => new nn.ParameterList({ values: [new nn.Parameter(torch.zeros(2)), torch.ones(1, 3)] })],
];

/** A constructor called with arguments its types reject, to reach the runtime errors. */
const loose = (cls: unknown) => cls as new (...args: unknown[]) => nn.Module;

/**
 * [Python call raising TypeError (or null: no Python twin), the call here, its message]. With a
 * Python twin, Python's message, after its `Class.__init__()` and with camelCase names, is ours
 * after `Class()`.
 */
type ErrorRow = [string | null, () => unknown, string];
const errorRows: ErrorRow[] = [
  // given both positionally and by name
  ['nn.Linear(784, 20, in_features=784)', () => new nn.Linear(784, 20, { inFeatures: 784 } as never), "Linear() got multiple values for argument 'inFeatures'"],
  ['nn.Conv2d(3, 64, 3, in_channels=3)', () => new nn.Conv2d(3, 64, 3, { inChannels: 3 } as never), "Conv2d() got multiple values for argument 'inChannels'"],
  ['nn.Conv2d(3, 64, kernel_size=3, out_channels=64)', () => new nn.Conv2d(3, 64, { kernelSize: 3, outChannels: 64 } as never), "Conv2d() got multiple values for argument 'outChannels'"],
  ['nn.BatchNorm2d(3, 1e-3, eps=1e-4)', () => new nn.BatchNorm2d(3, 1e-3, { eps: 1e-4 } as never), "BatchNorm2d() got multiple values for argument 'eps'"],
  ['nn.LSTM(4, 8, 2, num_layers=2)', () => new nn.LSTM(4, 8, 2, { numLayers: 2 } as never), "LSTM() got multiple values for argument 'numLayers'"],
  ['nn.Embedding(10, 3, 0, padding_idx=0)', () => new nn.Embedding(10, 3, 0, { paddingIdx: 0 } as never), "Embedding() got multiple values for argument 'paddingIdx'"],
  ['nn.PixelShuffle(2, upscale_factor=2)', () => new nn.PixelShuffle(2, { upscaleFactor: 2 } as never), "PixelShuffle() got multiple values for argument 'upscaleFactor'"],
  // required and given neither way
  ['nn.Linear(784)', () => new (loose(nn.Linear))(784), "Linear() missing 1 required positional argument: 'outFeatures'"],
  ['nn.Linear(in_features=784)', () => new (loose(nn.Linear))({ inFeatures: 784 }), "Linear() missing 1 required positional argument: 'outFeatures'"],
  ['nn.Bilinear(2)', () => new (loose(nn.Bilinear))(2), "Bilinear() missing 2 required positional arguments: 'in2Features' and 'outFeatures'"],
  ['nn.Conv2d()', () => new (loose(nn.Conv2d))(), "Conv2d() missing 3 required positional arguments: 'inChannels', 'outChannels', and 'kernelSize'"],
  ['nn.Conv2d(3, 8, padding=1)', () => new (loose(nn.Conv2d))(3, 8, { padding: 1 }), "Conv2d() missing 1 required positional argument: 'kernelSize'"],
  ['nn.ConvTranspose2d(out_channels=2, kernel_size=3)', () => new (loose(nn.ConvTranspose2d))({ outChannels: 2, kernelSize: 3 }), "ConvTranspose2d() missing 1 required positional argument: 'inChannels'"],
  ['nn.BatchNorm1d(eps=1e-3)', () => new (loose(nn.BatchNorm1d))({ eps: 1e-3 }), "BatchNorm1d() missing 1 required positional argument: 'numFeatures'"],
  ['nn.GroupNorm(num_channels=4)', () => new (loose(nn.GroupNorm))({ numChannels: 4 }), "GroupNorm() missing 1 required positional argument: 'numGroups'"],
  ['nn.Embedding(embedding_dim=3)', () => new (loose(nn.Embedding))({ embeddingDim: 3 }), "Embedding() missing 1 required positional argument: 'numEmbeddings'"],
  ['nn.GRUCell(3)', () => new (loose(nn.GRUCell))(3), "GRUCell() missing 1 required positional argument: 'hiddenSize'"],
  ['nn.MultiheadAttention(8)', () => new (loose(nn.MultiheadAttention))(8), "MultiheadAttention() missing 1 required positional argument: 'numHeads'"],
  ['nn.TransformerEncoderLayer(nhead=2)', () => new (loose(nn.TransformerEncoderLayer))({ nhead: 2 }), "TransformerEncoderLayer() missing 1 required positional argument: 'dModel'"],
  ['nn.TransformerEncoder(num_layers=2)', () => new (loose(nn.TransformerEncoder))({ numLayers: 2 }), "TransformerEncoder() missing 1 required positional argument: 'encoderLayer'"],
  ['nn.MaxPool2d(stride=2)', () => new (loose(nn.MaxPool2d))({ stride: 2 }), "MaxPool2d() missing 1 required positional argument: 'kernelSize'"],
  ['nn.LPPool2d(kernel_size=2)', () => new (loose(nn.LPPool2d))({ kernelSize: 2 }), "LPPool2d() missing 1 required positional argument: 'normType'"],
  ['nn.AdaptiveAvgPool2d()', () => new (loose(nn.AdaptiveAvgPool2d))(), "AdaptiveAvgPool2d() missing 1 required positional argument: 'outputSize'"],
  ['nn.ConstantPad2d(1)', () => new (loose(nn.ConstantPad2d))(1), "ConstantPad2d() missing 1 required positional argument: 'value'"],
  ['nn.Fold(kernel_size=2)', () => new (loose(nn.Fold))({ kernelSize: 2 }), "Fold() missing 1 required positional argument: 'outputSize'"],
  ['nn.PixelShuffle()', () => new (loose(nn.PixelShuffle))(), "PixelShuffle() missing 1 required positional argument: 'upscaleFactor'"],
  ['nn.Unflatten(1)', () => new (loose(nn.Unflatten))(1), "Unflatten() missing 1 required positional argument: 'unflattenedSize'"],
  ['nn.Threshold(0.1)', () => new (loose(nn.Threshold))(0.1), "Threshold() missing 1 required positional argument: 'value'"],
  // RNNBase(mode, input_size, hidden_size, ...) raises for RNN/LSTM/GRU in Python, under its own name
  [null, () => new (loose(nn.LSTM))({ inputSize: 4 }), "LSTM() missing 1 required positional argument: 'hiddenSize'"],
  ['nn.RNNBase("LSTM", input_size=4)', () => new (loose(nn.RNNBase))('LSTM', { inputSize: 4 }), "RNNBase() missing 1 required positional argument: 'hiddenSize'"],
  // an unknown key, with the camelCase one meant
  [null, () => new nn.Linear({ inFeatures: 2, outFeatures: 3, in_features: 2 } as never), unexpectedKeyword('Linear', 'in_features', 'inFeatures')],
  [null, () => new nn.Conv2d({ inChannels: 1, outChannels: 2, kernelSize: 3, kernel: 3 } as never), unexpectedKeyword('Conv2d', 'kernel')],
  [null, () => new nn.MaxPool2d({ kernel_size: 2 } as never), unexpectedKeyword('MaxPool2d', 'kernel_size', 'kernelSize')],
  [null, () => new nn.BatchNorm2d({ numfeatures: 3 } as never), unexpectedKeyword('BatchNorm2d', 'numfeatures', 'numFeatures')],
  [null, () => new nn.LSTM({ input_size: 4, hiddenSize: 8 } as never), unexpectedKeyword('LSTM', 'input_size', 'inputSize')],
  [null, () => new nn.PReLU(3, { num_parameters: 3 } as never), unexpectedKeyword('PReLU', 'num_parameters', 'numParameters')],
  [null, () => new nn.ModuleList({ module: [] } as never), unexpectedKeyword('ModuleList', 'module')],
  // too many positional arguments (Python counts self)
  [null, () => new (loose(nn.PixelShuffle))(2, 3), 'PixelShuffle() takes 1 positional argument but 2 were given'],
  [null, () => new (loose(nn.Linear))(1, 2, true, null, null, 6), 'Linear() takes from 2 to 5 positional arguments but 6 were given'],
  [null, () => new (loose(nn.ConstantPad1d))(1, 2, 3), 'ConstantPad1d() takes 2 positional arguments but 3 were given'],
  [null, () => new (loose(nn.ModuleList))([], []), 'ModuleList() takes from 0 to 1 positional arguments but 2 were given'],
];

const PY = runPython<{ built: ({ repr: string; init: Record<string, unknown> } | { error: string })[]; errors: (string | null)[] }>(`${PY_DESCRIBE}
from torch import nn
def build(expr):
    try:
        torch.manual_seed(0)
        m = eval(expr)
        return {'repr': repr(m), 'init': {k: desc(v) for k, v in m.state_dict().items()}}
    except Exception as e:
        return {'error': type(e).__name__ + ': ' + str(e)}
def error(expr):
    if expr is None: return None
    try:
        eval(expr)
    except TypeError as e:
        return str(e)
    return 'no TypeError'
result = dict(
    built=[build(e) for e in json.loads(${JSON.stringify(JSON.stringify(rows.map((r) => r[0])))})],
    errors=[error(e) for e in json.loads(${JSON.stringify(JSON.stringify(errorRows.map((r) => r[0])))})],
)
`);

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** A TypeError's text after the function's name, names camelCase: "missing 1 required positional argument: 'outFeatures'" */
const afterName = (message: string) => camel(message.replace(/^[\w.]+\(\) /, ''));

describe('layer constructors take their parameters by name, as in Python', () => {
  const classes = new Set(rows.map((r) => r[0].split('(')[0]));
  afterAll(() => console.log(`${classes.size} nn classes, ${rows.length} constructor calls checked against PyTorch (repr and initial state_dict)`));
  rows.forEach(([py, js], i) => {
    test(py, () => {
      const want = PY.built[i];
      if ('error' in want) throw new Error(`PyTorch raised: ${want.error}`);
      torch.manualSeed(0);
      const m = js();
      expect(String(m)).toBe(want.repr);
      const init: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(m.stateDict())) init[k] = desc(v);
      expect(Object.keys(init)).toEqual(Object.keys(want.init));
      expect(mismatch(init, want.init, 1e-6)).toBeNull();
    });
  });
});

describe("Python's TypeErrors, as a TorchError named TypeError", () => {
  errorRows.forEach(([py, js, message], i) => {
    test(py ?? message, () => {
      const e = errorOf(js);
      expect(e.message).toBe(message);
      expect([e instanceof TorchError, e.name]).toEqual([true, 'TypeError']);
      if (py !== null) expect(afterName(PY.errors[i]!)).toBe(afterName(message));
    });
  });
});

describe('the keyword forms type-check', () => {
  test('required parameters by name, mixed forms, and the old positional forms', () => {
    const built: nn.Module[] = [
      new nn.Linear(2, 3),
      new nn.Linear(2, 3, { bias: false }),
      new nn.Linear(2, { outFeatures: 3 }),
      new nn.Conv2d(1, 2, 3, 1, 0, 1, 1, false, 'zeros', { dtype: torch.float64 }),
      new nn.LayerNorm([2, 3], 1e-5, { elementwiseAffine: false }),
      new nn.MaxPool2d(2, { returnIndices: true }),
    ];
    expect((built[2] as nn.Linear).outFeatures).toBe(3);
    const pool = new nn.MaxPool2d({ kernelSize: 2, returnIndices: true });
    const [out, indices]: [torch.Tensor, torch.Tensor] = pool(torch.ones(1, 1, 2, 2));
    expect([out.shape, indices.shape]).toEqual([[1, 1, 1, 1], [1, 1, 1, 1]]);
    // compile-time errors: a required parameter left out, a key given twice, an unknown key
    // @ts-expect-error outFeatures is required
    expect(() => new nn.Linear({ inFeatures: 2 })).toThrow("missing 1 required positional argument: 'outFeatures'");
    // @ts-expect-error inFeatures was given positionally
    expect(() => new nn.Linear(2, { inFeatures: 2, outFeatures: 3 })).toThrow("got multiple values for argument 'inFeatures'");
    // @ts-expect-error no such parameter
    expect(() => new nn.Conv2d({ inChannels: 1, outChannels: 2, kernelSize: 3, paddingMod: 'zeros' })).toThrow("unexpected keyword argument 'paddingMod'");
  });
});
