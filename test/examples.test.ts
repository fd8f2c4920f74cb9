// The main job (examples/fashion-mnist.ts), run small: the same numbers as the same loop in
// PyTorch, the saved state_dict loads in Python, curves and transfer run, options.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { main, UsageError } from '../examples/fashion-mnist';
import { loadFashionCNN, PYTHON_MODEL } from '../examples/fashion-mnist/model';
import { runPythonShared as runPython } from './helpers/python-session';
import { eventFiles, readScalars, tensorboardOracle } from './helpers/tensorboard';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'main-job-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const quiet = { write: () => true, isTTY: false };

/** FashionImages in Python: the first n images as ToTensor gives them. */
const PY_DATA = `
import gzip
def load(split, kind, offset):
    with gzip.open('/usr/share/datasets/fashion-mnist/%s-%s-ubyte.gz' % (split, kind), 'rb') as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.uint8, offset=offset)
class Images(torch.utils.data.Dataset):
    def __init__(self, split, n):
        self.x = load(split, 'images-idx3', 16).view(-1, 28, 28)[:n]; self.y = load(split, 'labels-idx1', 8)[:n].long()
    def __len__(self): return len(self.y)
    def __getitem__(self, i): return self.x[i].float().div(255).unsqueeze(0), int(self.y[i])
`;

test('one small epoch gives the numbers of the same loop in PyTorch; the .pt loads in Python', async () => {
  const out = path.join(tmp, 'a');
  const lines: string[] = [];
  const r = (await main(['--limit', '640', '--test-limit', '300', '--epochs', '2', '--no-transfer', '--out', out], (l) => lines.push(l), quiet))!;
  const expected = runPython<{ train: number[][]; test: number[][]; logits: number[]; script_diff: number }>(`
${PYTHON_MODEL}
${PY_DATA}
import torch.nn.functional as F
torch.manual_seed(0)
train = torch.utils.data.DataLoader(Images('train', 640), batch_size=64, shuffle=True)
test = torch.utils.data.DataLoader(Images('t10k', 300), batch_size=1000)
model = FashionCNN(); criterion = nn.CrossEntropyLoss(); optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, 2)
res = dict(train=[], test=[])
for epoch in range(2):
    model.train(); tl = tc = n = 0
    for inputs, labels in train:
        optimizer.zero_grad(); outputs = model(inputs); loss = criterion(outputs, labels); loss.backward(); optimizer.step()
        tl += loss.item() * len(labels); tc += (outputs.argmax(1) == labels).sum().item(); n += len(labels)
    scheduler.step()
    res['train'].append([tl / n, tc / n])
    model.eval()
    with torch.no_grad():
        x, y = next(iter(test)); o = model(x)
        res['test'].append([criterion(o, y).item(), (o.argmax(1) == y).float().mean().item()])
saved = FashionCNN(); saved.load_state_dict(torch.load(${JSON.stringify(path.join(out, 'fashion-cnn.pt'))}, weights_only=True)); saved.eval()
with torch.no_grad(): res['logits'] = saved(x[:4]).reshape(-1).tolist()
traced = torch.jit.load(${JSON.stringify(path.join(out, 'fashion-cnn.torchscript.pt'))})
res['script_diff'] = (traced(x) - saved(x)).abs().max().item()
result = res
`);
  r.history.forEach((h, i) => {
    expect(h.trainLoss).toBeCloseTo(expected.train[i][0], 4);
    expect(h.trainAccuracy).toBeCloseTo(expected.train[i][1], 5);
    expect(h.testLoss).toBeCloseTo(expected.test[i][0], 4);
    expect(h.testAccuracy).toBeCloseTo(expected.test[i][1], 5);
  });
  // the traced TorchScript module loads in Python, without the class, and computes what the model does
  expect(expected.script_diff).toBe(0);
  // Python's model with our weights gives our logits
  const ours = await loadFashionCNN(r.weightsFile);
  const imgs = runPython<number[][]>(`${PY_DATA}\nresult = [Images('t10k', 4)[i][0].reshape(-1).tolist() for i in range(4)]`);
  const logits = torch.noGrad(() => ours(torch.tensor(imgs).view(4, 1, 28, 28)));
  Array.from(logits.reshape(-1).toTypedArray() as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(expected.logits[i], 4));

  const svg = fs.readFileSync(r.plotFile, 'utf8');
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.match(/<polyline /g)).toHaveLength(4);
  expect(JSON.parse(fs.readFileSync(path.join(out, 'history.json'), 'utf8'))).toEqual(r.history);
  expect(lines.some((l) => /^epoch 2\/2: train loss .* test loss .* acc \d+\.\d\d%/.test(l))).toBe(true);
  // the TensorBoard run: the curves per epoch (as float32), the image grid and the graph
  const f32 = (v: number): number => Math.fround(v);
  expect(readScalars(path.join(r.logDir, 'Loss_train'))).toEqual(r.history.map((h) => ['Loss', h.epoch, f32(h.trainLoss)]));
  expect(readScalars(path.join(r.logDir, 'Accuracy_test'))).toEqual(r.history.map((h) => ['Accuracy', h.epoch, f32(h.testAccuracy)]));
  expect(readScalars(r.logDir)).toEqual([['Learning rate', 1, f32(0.001)], ['Learning rate', 2, f32(0.0005)]]);
  const kinds = tensorboardOracle<string[]>(`result = [e.WhichOneof('what') + ':' + (e.summary.value[0].tag if e.HasField('summary') else '') for e in O.read_events(${JSON.stringify(eventFiles(r.logDir)[0])}, Event)]`, runPython);
  expect(kinds.slice(0, 4)).toEqual(['file_version:', 'summary:fashion_mnist_images', 'graph_def:', 'tagged_run_metadata:']);
});

test('the transfer-learning run prints both accuracies; worker threads load the data', async () => {
  const lines: string[] = [];
  const r = (await main(['--limit', '600', '--test-limit', '400', '--epochs', '1', '--shots', '10', '--workers', '2', '--out', path.join(tmp, 'b')], (l) => lines.push(l), quiet))!;
  expect(r.testAccuracy).toBeGreaterThan(0.3); // chance is 0.1
  const t = r.transfer!;
  expect(t.examples).toBe(50);
  for (const a of [t.pretrainAccuracy, t.transferAccuracy, t.scratchAccuracy]) expect(a).toBeGreaterThan(0.2);
  expect(lines.join('\n')).toMatch(/frozen pretrained backbone \+ new head: \d+\.\d\d%\n {2}same model trained from scratch: +\d+\.\d\d%/);
});

test('--help prints the usage and trains nothing; bad options are usage errors', async () => {
  const lines: string[] = [];
  expect(await main(['--help'], (l) => lines.push(l))).toBeUndefined();
  expect(lines.join('\n')).toMatch(/--batch-size N[\s\S]*--device D[\s\S]*--workers N/);
  await expect(main(['--epochs', 'two'])).rejects.toThrow(UsageError);
  await expect(main(['--lr', '0'])).rejects.toThrow(/--lr must be a positive number/);
  await expect(main(['--device', 'tpu'])).rejects.toThrow(/--device must be cpu or cuda/);
  await expect(main(['--bogus'])).rejects.toThrow(UsageError);
  if (!torch.cuda.isAvailable()) await expect(main(['--device', 'cuda'])).rejects.toThrow(/CUDA is not available/);
});
