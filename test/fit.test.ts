// fit() and its callbacks: the numbers of the same loop in PyTorch, early stopping, checkpoints that
// Python loads, LR scheduling, CSV / JSON-lines logs, the progress bar.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim, Tensor } from '../lib';
import { DataLoader, TensorDataset } from '../lib/data';
import {
  fit, evaluate, Callback, EarlyStopping, ModelCheckpoint, LRSchedulerCallback, CSVLogger, JSONLinesLogger,
  ProgressBar, ProgressBarCallback, accuracy, formatDuration,
} from '../lib/train';
import { runPython } from './helpers/python';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fit-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** 32 points in 4 features, 3 classes; the same tensors in Python from the same seed. */
const DATA_PY = `
torch.manual_seed(1)
x = torch.randn(32, 4); y = torch.randint(0, 3, (32,))
vx = torch.randn(16, 4); vy = torch.randint(0, 3, (16,))
`;
function data(): { train: DataLoader; val: DataLoader } {
  torch.manualSeed(1);
  const x = torch.randn(32, 4);
  const y = torch.randint(0, 3, [32]);
  const vx = torch.randn(16, 4);
  const vy = torch.randint(0, 3, [16]);
  return { train: new DataLoader(new TensorDataset(x, y), { batchSize: 8 }), val: new DataLoader(new TensorDataset(vx, vy), { batchSize: 5 }) };
}

function setup(lr = 0.1) {
  const loaders = data();
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
  const optimizer = new optim.SGD(model.parameters(), { lr, momentum: 0.9 });
  return { ...loaders, model, optimizer };
}

test('history equals the same loop in PyTorch (losses, accuracies, validation, lr, weights)', async () => {
  const { train, val, model, optimizer } = setup();
  const history = await fit(model, { optimizer, loss: new nn.CrossEntropyLoss(), metrics: ['accuracy'], epochs: 3, trainLoader: train, valLoader: val, progress: false });
  const expected = runPython<{ h: Record<string, number[]>; w: number[] }>(`
from torch import nn
import torch.nn.functional as F
${DATA_PY}
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
h = dict(loss=[], accuracy=[], val_loss=[], val_accuracy=[], lr=[])
def means(xs, ys, bs, train):
    tl = ta = 0
    for i in range(0, len(ys), bs):
        xb, yb = xs[i:i+bs], ys[i:i+bs]
        if train: opt.zero_grad()
        out = model(xb); loss = F.cross_entropy(out, yb)
        if train: loss.backward(); opt.step()
        tl += loss.item() * len(yb); ta += (out.argmax(1) == yb).sum().item()
    return tl / len(ys), ta / len(ys)
for epoch in range(3):
    model.train(); l, a = means(x, y, 8, True)
    model.eval()
    with torch.no_grad(): vl, va = means(vx, vy, 5, False)
    for k, v in zip(h, (l, a, vl, va, 0.1)): h[k].append(v)
result = dict(h=h, w=model[2].weight.reshape(-1).tolist())
`);
  expect(history.epoch).toEqual([1, 2, 3]);
  expect(Object.keys(history.history).sort()).toEqual(Object.keys(expected.h).sort());
  for (const [k, values] of Object.entries(expected.h)) {
    values.forEach((v, i) => expect(history.history[k][i]).toBeCloseTo(v, 5));
  }
  const w = Array.from((model.at(2) as nn.Linear).weight.reshape(-1).toTypedArray() as Float32Array);
  w.forEach((v, i) => expect(v).toBeCloseTo(expected.w[i], 5));
  expect(model.training).toBe(true); // evaluate() puts the mode back
});

test('evaluate() gives mean loss and metrics without touching the weights', async () => {
  const { val, model } = setup();
  const before = model.stateDict()['0.weight'].clone();
  const r = await evaluate(model, val, { loss: (o: Tensor, t: Tensor) => torch.crossEntropyLoss(o, t), metrics: { acc: accuracy } });
  expect(Object.keys(r)).toEqual(['loss', 'acc']);
  expect(r.acc).toBeGreaterThanOrEqual(0);
  expect(torch.equal(before, model.stateDict()['0.weight'])).toBe(true);
});

test('EarlyStopping ends training after `patience` epochs without improvement and restores the best weights', async () => {
  const { train, model, optimizer } = setup();
  // the training loss falls every epoch, so in 'max' mode epoch 1 stays the best
  const stop = new EarlyStopping({ monitor: 'loss', mode: 'max', patience: 2, restoreBestWeights: true });
  let weightsAfterEpoch1: Tensor | undefined;
  const grab = new (class extends Callback {
    onEpochEnd(epoch: number) {
      if (epoch === 1) weightsAfterEpoch1 = model.stateDict()['2.weight'].clone();
    }
  })();
  const history = await fit(model, { optimizer, loss: new nn.CrossEntropyLoss(), epochs: 10, trainLoader: train, callbacks: [grab, stop], progress: false });
  expect(history.epoch).toEqual([1, 2, 3]);
  expect(stop.stoppedEpoch).toBe(3);
  expect(stop.bestEpoch).toBe(1);
  expect(torch.equal(model.stateDict()['2.weight'], weightsAfterEpoch1!)).toBe(true);
});

test('EarlyStopping with minDelta and an unknown monitor', () => {
  const stop = new EarlyStopping({ monitor: 'val_loss', minDelta: 0.1, patience: 1 });
  const ctx = { stopTraining: false } as never as import('../lib/train').TrainingContext;
  stop.onTrainBegin();
  stop.onEpochEnd(1, { val_loss: 1.0 }, ctx);
  stop.onEpochEnd(2, { val_loss: 0.95 }, ctx); // better, but by less than minDelta
  expect(ctx.stopTraining).toBe(true);
  expect(() => stop.onEpochEnd(3, { loss: 1 }, ctx)).toThrow("EarlyStopping: 'val_loss' is not in the logs (available: loss)");
});

test('ModelCheckpoint saves the best epochs as state_dicts Python loads, or full checkpoints', async () => {
  const { train, val, model, optimizer } = setup();
  const best = new ModelCheckpoint({ filepath: path.join(tmp, 'ckpt-{epoch}-{val_loss}.pt'), saveBestOnly: true });
  const full = new ModelCheckpoint({ filepath: path.join(tmp, 'full.pt'), saveWeightsOnly: false });
  await fit(model, { optimizer, loss: new nn.CrossEntropyLoss(), epochs: 3, trainLoader: train, valLoader: val, callbacks: [best, full], progress: false });
  expect(best.saved.length).toBeGreaterThanOrEqual(1);
  expect(path.basename(best.saved[0])).toMatch(/^ckpt-1-\d+\.\d{4}\.pt$/);
  const last = best.saved[best.saved.length - 1];
  const py = runPython<{ keys: string[]; epoch: number; optKeys: string[]; w: number[] }>(`
from torch import nn
m = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
m.load_state_dict(torch.load(${JSON.stringify(last)}, weights_only=True))
# PyTorch 1.13's weights_only unpickler has no BINFLOAT opcode, so it refuses any file holding a
# Python float (its own optimizer checkpoints too); 2.x reads it. Full checkpoints load without it.
c = torch.load(${JSON.stringify(path.join(tmp, 'full.pt'))}, weights_only=torch.__version__ >= '2')
m.load_state_dict(c['model_state_dict'])
opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9); opt.load_state_dict(c['optimizer_state_dict'])
result = dict(keys=list(c.keys()), epoch=c['epoch'], optKeys=sorted(c['optimizer_state_dict'].keys()), w=m[2].weight.reshape(-1).tolist())
`);
  expect(py.keys).toEqual(['epoch', 'model_state_dict', 'optimizer_state_dict']);
  expect(py.epoch).toBe(3);
  expect(py.optKeys).toEqual(['param_groups', 'state']);
  const w = Array.from(model.stateDict()['2.weight'].reshape(-1).toTypedArray() as Float32Array);
  expect(py.w).toEqual(w);
});

test('LR schedulers step per epoch, per batch, or on the monitored value', async () => {
  const run = async (make: (o: optim.Optimizer) => { step(...a: any[]): void }, interval: 'epoch' | 'batch', epochs = 3) => {
    const { train, val, model, optimizer } = setup();
    const cb = new LRSchedulerCallback(make(optimizer), { interval, monitor: 'loss' });
    const h = await fit(model, { optimizer, loss: new nn.CrossEntropyLoss(), epochs, trainLoader: train, valLoader: val, callbacks: [cb], progress: false });
    return h.history.lr;
  };
  expect(await run((o) => new optim.lrScheduler.StepLR(o, 1, { gamma: 0.5 }), 'epoch')).toEqual([0.1, 0.05, 0.025]);
  // 4 batches per epoch: the lr logged at the end of epoch 1 is after 4 steps
  const perBatch = await run((o) => new optim.lrScheduler.ExponentialLR(o, 0.5), 'batch', 2);
  expect(perBatch[0]).toBeCloseTo(0.1 * 0.5 ** 4, 12);
  expect(perBatch[1]).toBeCloseTo(0.1 * 0.5 ** 8, 12);
  const plateau = await run((o) => new optim.lrScheduler.ReduceLROnPlateau(o, { mode: 'max', patience: 0, factor: 0.1 }), 'epoch');
  expect(plateau[0]).toBeCloseTo(0.1, 12); // the falling loss in 'max' mode: no improvement after epoch 1
  expect(plateau[2]).toBeLessThan(plateau[0]);
});

test('CSV and JSON-lines loggers write one line per epoch', async () => {
  const { train, val, model, optimizer } = setup();
  const csv = path.join(tmp, 'logs', 'log.csv');
  const jsonl = path.join(tmp, 'logs', 'log.jsonl');
  const h = await fit(model, {
    optimizer, loss: new nn.CrossEntropyLoss(), metrics: ['accuracy'], epochs: 2, trainLoader: train, valLoader: val,
    callbacks: [new CSVLogger(csv), new JSONLinesLogger(jsonl)], progress: false,
  });
  const rows = fs.readFileSync(csv, 'utf8').trim().split('\n').map((l) => l.split(','));
  expect(rows[0]).toEqual(['epoch', 'accuracy', 'loss', 'lr', 'val_accuracy', 'val_loss']);
  expect(rows.slice(1).map((r) => Number(r[2]))).toEqual(h.history.loss);
  const lines = fs.readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(lines.map((l) => l.epoch)).toEqual([1, 2]);
  expect(lines.map((l) => l.val_accuracy)).toEqual(h.history.val_accuracy);
  // append keeps the header's columns
  await fit(model, { optimizer, loss: new nn.CrossEntropyLoss(), metrics: ['accuracy'], epochs: 1, trainLoader: train, valLoader: val, callbacks: [new CSVLogger(csv, { append: true })], progress: false });
  expect(fs.readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(4);
});

test('a progress bar with running loss/accuracy, ETA on a terminal, one final line elsewhere', async () => {
  let now = 0;
  const tty: string[] = [];
  const bar = new ProgressBar({ total: 10, label: 'epoch 1/2', width: 10, stream: { isTTY: true, write: (s) => tty.push(s) }, now: () => now });
  now = 4000;
  bar.update(4, { loss: 0.51234, acc: 0.8 });
  expect(tty[0]).toBe('\repoch 1/2 [====>     ] 4/10 loss 0.5123 acc 80.00% 4s ETA 6s');
  now = 4050;
  bar.update(5, { loss: 0.5 }); // throttled: less than 100 ms since the last draw
  expect(tty).toHaveLength(1);
  now = 10000;
  expect(bar.done(10, { loss: 0.4 })).toBe('epoch 1/2 [==========] 10/10 loss 0.4000 10s');
  expect(formatDuration(3725)).toBe('1h02m');

  const out: string[] = [];
  const cb = new ProgressBarCallback({ stream: { isTTY: false, write: (s) => out.push(s) } });
  const { train, val, model, optimizer } = setup();
  await fit(model, { optimizer, loss: new nn.CrossEntropyLoss(), metrics: ['accuracy'], epochs: 2, trainLoader: train, valLoader: val, callbacks: [cb] });
  expect(out.join('').trim().split('\n')).toHaveLength(2);
  expect(cb.lines[1]).toMatch(/^epoch 2\/2 \[=+\] 4\/4 loss \d\.\d{4} accuracy \d+\.\d\d% val_loss \d\.\d{4} val_accuracy \d+\.\d\d% \d+s$/);
});

test('bad inputs give clear errors', async () => {
  const { train, model, optimizer } = setup();
  await expect(fit(model, { optimizer, loss: new nn.CrossEntropyLoss(), metrics: ['f2'], trainLoader: train, progress: false })).rejects.toThrow("fit: unknown metric 'f2'");
  await expect(fit(model, { optimizer, loss: new nn.CrossEntropyLoss(), trainLoader: [[torch.ones(2, 4)]], progress: false })).rejects.toThrow('fit: each batch must be [inputs, targets]');
});
