// Python types JS values cannot tell apart, saved as Python would: tuples loaded from Python files
// are saved back as tuples, and optimizers' state dicts keep Python's tuples (betas, etas) and
// floats (Adadelta's lr=1.0), so Python's repr of what torch-node saved reads as its own.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { runPythonShared as runPython } from './helpers/python-session';

// PyTorch 1.13's weights_only unpickler lacks BINFLOAT (2.0 has it), so these files of our own load
// with the full unpickler.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-pytypes-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('tuples loaded from a Python file are saved back as tuples, lists as lists', () => {
  const src = path.join(dir, 'tuples.pt');
  const expr = `{'best': (3, 'x', None, (1.5, [2, (4,)])), 'history': [1, (2, 3)], 'empty': (), 'shared': SHARED, 'again': SHARED}`;
  const want = runPython<string>(`SHARED = (7, 8)\nobj = ${expr}\ntorch.save(obj, ${JSON.stringify(src)})\nresult = repr(obj)`);
  const back = path.join(dir, 'tuples-back.pt');
  torch.saveSync(torch.loadSync(src), back);
  const got = runPython<{ repr: string; shared: boolean }>(
    `obj = torch.load(${JSON.stringify(back)}, weights_only=False)\nresult = {'repr': repr(obj), 'shared': obj['shared'] is obj['again']}`,
  );
  expect(got).toEqual({ repr: want, shared: true });
});

const OPTIMIZERS = ['Adam', 'AdamW', 'Adamax', 'NAdam', 'RAdam', 'Adadelta', 'Rprop', 'ASGD', 'SGD'] as const;

test.each(OPTIMIZERS)("%s: Python's repr of the saved param_groups equals its own optimizer's", (name) => {
  const model = new torch.nn.Linear(3, 2);
  const ctor = torch.optim[name] as unknown as new (params: Iterable<torch.Tensor>, lr?: number) => torch.optim.Optimizer;
  const opt = name === 'SGD' ? new ctor(model.parameters(), 1) : new ctor(model.parameters());
  const file = path.join(dir, `${name}.pt`);
  torch.saveSync(opt.stateDict(), file);
  const args = name === 'SGD' ? ', lr=1' : '';
  const got = runPython<{ mine: string; python: string }>(`
mine = torch.load(${JSON.stringify(file)}, weights_only=False)['param_groups'][0]
python = torch.optim.${name}(torch.nn.Linear(3, 2).parameters()${args}).state_dict()['param_groups'][0]
result = {'mine': repr(sorted(mine.items())), 'python': repr(sorted(python.items()))}`);
  expect(got.mine).toBe(got.python);
});

test("a checkpoint with argparse.Namespace args (torchvision's references save one) loads, the args as a plain object", () => {
  const src = path.join(dir, 'namespace.pt');
  const want = runPython<Record<string, unknown>>(`
import argparse
args = argparse.Namespace(lr=0.1, model='resnet18', epochs=2, amp=False, weights=None, topk=(1, 5))
torch.save({'args': args, 'epoch': 1, 'model': torch.nn.Linear(2, 1).state_dict()}, ${JSON.stringify(src)})
result = dict(vars(args), topk=list(args.topk))`);
  const ckpt = torch.loadSync(src) as { args: Record<string, unknown>; epoch: number; model: Record<string, torch.Tensor> };
  expect({ ...ckpt.args }).toEqual(want);
  expect(ckpt.epoch).toBe(1);
  expect(Object.keys(ckpt.model)).toEqual(['weight', 'bias']);
});
