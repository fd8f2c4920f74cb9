// torch.nn.modules.<file>.<class>: the paths Python code names layer classes by, private family bases
// included, give the same isinstance answers as Python's (torchvision's set_weight_decay pattern).
import * as torch from '../lib';
import { runPython } from './helpers/python';

const { nn } = torch;
const M = nn.modules;

/** [Python layer, the same here] */
const LAYERS: [string, () => torch.nn.Module][] = [
  ['nn.BatchNorm2d(3)', () => new nn.BatchNorm2d(3)],
  ['nn.SyncBatchNorm(3)', () => new nn.SyncBatchNorm(3)],
  ['nn.InstanceNorm1d(3)', () => new nn.InstanceNorm1d(3)],
  ['nn.LayerNorm(3)', () => new nn.LayerNorm(3)],
  ['nn.GroupNorm(1, 3)', () => new nn.GroupNorm(1, 3)],
  ['nn.Conv2d(1, 1, 1)', () => new nn.Conv2d(1, 1, 1)],
  ['nn.ConvTranspose1d(1, 1, 1)', () => new nn.ConvTranspose1d(1, 1, 1)],
  ['nn.Dropout2d()', () => new nn.Dropout2d()],
  ['nn.MaxPool2d(2)', () => new nn.MaxPool2d(2)],
  ['nn.AdaptiveAvgPool2d(1)', () => new nn.AdaptiveAvgPool2d(1)],
  ['nn.Linear(1, 1)', () => new nn.Linear(1, 1)],
];
/** [Python path, the same class here] */
const CLASSES: [string, abstract new (...args: never[]) => unknown][] = [
  ['nn.modules.batchnorm._NormBase', M.batchnorm._NormBase],
  ['nn.modules.batchnorm._BatchNorm', M.batchnorm._BatchNorm],
  ['nn.modules.instancenorm._InstanceNorm', M.instancenorm._InstanceNorm],
  ['nn.modules.normalization.LayerNorm', M.normalization.LayerNorm],
  ['nn.modules.conv._ConvNd', M.conv._ConvNd],
  ['nn.modules.dropout._DropoutNd', M.dropout._DropoutNd],
  ['nn.modules.pooling._MaxPoolNd', M.pooling._MaxPoolNd],
  ['nn.modules.pooling._AdaptiveAvgPoolNd', M.pooling._AdaptiveAvgPoolNd],
  ['nn.modules.linear.Linear', M.linear.Linear],
  ['nn.modules.module.Module', M.module.Module],
];

test("isinstance(layer, nn.modules.<file>.<class>) as in Python, for every pair", () => {
  const want = runPython<boolean[][]>(`
from torch import nn
layers = [${LAYERS.map(([py]) => py).join(', ')}]
classes = [${CLASSES.map(([py]) => py).join(', ')}]
result = [[isinstance(l, c) for c in classes] for l in layers]`);
  const got = LAYERS.map(([, make]) => {
    const layer = make();
    return CLASSES.map(([, cls]) => layer instanceof cls);
  });
  expect(got).toEqual(want);
});
