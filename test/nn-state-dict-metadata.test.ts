// state_dict metadata: stateDict() is Python's OrderedDict with _metadata (each module's format
// version by prefix), saved as such, so Python loads it as its own; versions in Python's files
// reach loadStateDict, so old formats load as PyTorch/torchvision load them.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { models } from '../lib/vision';
import { MLPBlock } from '../lib/vision/models/vision-transformer';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const { nn } = torch;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-metadata-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string): string => path.join(dir, name);

// name -> [a torch-node model, the Python expression of the same model]
const MODELS: Record<string, [() => torch.nn.Module, string]> = {
  sequential: [
    () => new nn.Sequential(new nn.Conv2d(3, 4, 3), new nn.BatchNorm2d(4), new nn.InstanceNorm2d(4), new nn.ReLU(), new nn.Flatten(), new nn.Linear(4, 2)),
    'nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.InstanceNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4, 2))',
  ],
  mnasnet0_5: [() => models.mnasnet0_5(), 'torchvision.models.mnasnet0_5()'],
  densenet121: [() => models.densenet121(), 'torchvision.models.densenet121()'],
};

test.each(Object.keys(MODELS))("%s: saved here, Python loads an OrderedDict with its own _metadata, and load_state_dict takes it", (name) => {
  const [make, expr] = MODELS[name];
  torch.saveSync(make().stateDict(), file(`${name}.pt`));
  const got = runPython<{ type: string; same: boolean; loaded: string }>(`
import torchvision
from torch import nn
sd = torch.load(${JSON.stringify(file(`${name}.pt`))})
model = ${expr}
own = model.state_dict()
result = {'type': type(sd).__name__, 'same': list(sd._metadata.items()) == list(own._metadata.items()),
          'loaded': str(model.load_state_dict(sd))}`);
  expect(got).toEqual({ type: 'OrderedDict', same: true, loaded: '<All keys matched successfully>' });
});

test("Python's _metadata survives loading here and saving back; plain dicts stay dicts", () => {
  const src = file('python-sd.pt');
  const want = runPython<string>(`
m = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3))
obj = {'model': m.state_dict(), 'epoch': 3}
torch.save(obj, ${JSON.stringify(src)})
result = repr((type(obj).__name__, list(obj['model']._metadata.items())))`);
  torch.saveSync(torch.loadSync(src), file('python-sd-back.pt'));
  const got = runPython<string>(`
obj = torch.load(${JSON.stringify(file('python-sd-back.pt'))})
result = repr((type(obj).__name__, list(obj['model']._metadata.items())))`);
  expect(got).toBe(want);
});

test("BatchNorm: a version 1 checkpoint without num_batches_tracked loads it as 0; a version 2 one is PyTorch's missing-key error", () => {
  const want = runPython<Record<string, string>>(`
out = {}
for version in (1, 2):
    bn = torch.nn.BatchNorm1d(3)
    sd = bn.state_dict()
    del sd['num_batches_tracked']
    sd._metadata['']['version'] = version
    torch.save(sd, ${JSON.stringify(file('bn'))} + str(version) + '.pt')
    out[str(version)] = err(lambda: torch.nn.BatchNorm1d(3).load_state_dict(sd))
result = out`);
  for (const version of ['1', '2']) {
    const bn = new nn.BatchNorm1d(3);
    bn.num_batches_tracked!.fill_(5);
    const sd = torch.loadSync(file(`bn${version}.pt`)) as torch.nn.StateDict;
    if (want[version] === 'no error') {
      bn.loadStateDict(sd);
      expect(bn.num_batches_tracked!.item()).toBe(0);
    } else {
      expect(messageOf(() => bn.loadStateDict(sd))).toBe(want[version]);
    }
  }
});

test("ViT's MLPBlock: a version 1 checkpoint's linear_1/linear_2 keys load as torchvision renames them", () => {
  const want = runPython<number[][]>(`
from torchvision.models.vision_transformer import MLPBlock
torch.manual_seed(0)
block = MLPBlock(4, 6, 0.0)
sd = block.state_dict()
legacy = type(sd)((k.replace('0.', 'linear_1.').replace('3.', 'linear_2.'), v) for k, v in sd.items())
legacy._metadata = type(sd)([('', {'version': 1})])
torch.save(legacy, ${JSON.stringify(file('mlp-v1.pt'))})
result = [list(legacy.keys()), block(torch.ones(1, 4)).tolist()]`);
  expect(want[0]).toEqual(['linear_1.weight', 'linear_1.bias', 'linear_2.weight', 'linear_2.bias']);
  const block = new MLPBlock(4, 6, 0);
  expect(String(block.loadStateDict(torch.loadSync(file('mlp-v1.pt')) as torch.nn.StateDict))).toBe('<All keys matched successfully>');
  expect(block.eval()(torch.ones(1, 4)).tolist()).toEqual(want[1]);
});

test("nn.deepcopy(model.stateDict()) keeps the _metadata, as Python's copy.deepcopy does", () => {
  const model = new nn.Sequential(new nn.Linear(2, 3), new nn.BatchNorm1d(3));
  const copy = nn.deepcopy(model.stateDict());
  torch.saveSync(copy, file('deepcopy.pt'));
  const got = runPython<boolean>(`
import copy
own = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3)).state_dict()
sd = torch.load(${JSON.stringify(file('deepcopy.pt'))})
result = list(sd._metadata.items()) == list(copy.deepcopy(own)._metadata.items())`);
  expect(got).toBe(true);
});
