// pytorch/examples super_resolution ported line by line (examples/pytorch-examples/
// super-resolution.ts), against the Python original on the same small random image pairs (24x24
// targets, upscale factor 3, one loader worker): the orthogonal initialisation, every iteration's
// loss, the PSNRs, the log lines, the repr and the trained state_dict, which Python also opens.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { Net, main, randomPairs, SuperResolutionResult } from '../examples/pytorch-examples/super-resolution';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';

const close = closeWithin(1e-5);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'superres-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const OPT = { upscale_factor: 3, batchSize: 4, testBatchSize: 3, nEpochs: 2, lr: 0.01, threads: 1, seed: 123 };

// model.py and main.py, with the data sets made as randomPairs makes them; printed lines collected
const PY = `
from math import log10
import torch.nn as nn
import torch.nn.init as init
import torch.optim as optim
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
class Net(nn.Module):
    def __init__(self, upscale_factor):
        super(Net, self).__init__()
        self.relu = nn.ReLU()
        self.conv1 = nn.Conv2d(1, 64, (5, 5), (1, 1), (2, 2))
        self.conv2 = nn.Conv2d(64, 64, (3, 3), (1, 1), (1, 1))
        self.conv3 = nn.Conv2d(64, 32, (3, 3), (1, 1), (1, 1))
        self.conv4 = nn.Conv2d(32, upscale_factor ** 2, (3, 3), (1, 1), (1, 1))
        self.pixel_shuffle = nn.PixelShuffle(upscale_factor)
        self._initialize_weights()
    def forward(self, x):
        x = self.relu(self.conv1(x))
        x = self.relu(self.conv2(x))
        x = self.relu(self.conv3(x))
        x = self.pixel_shuffle(self.conv4(x))
        return x
    def _initialize_weights(self):
        init.orthogonal_(self.conv1.weight, init.calculate_gain('relu'))
        init.orthogonal_(self.conv2.weight, init.calculate_gain('relu'))
        init.orthogonal_(self.conv3.weight, init.calculate_gain('relu'))
        init.orthogonal_(self.conv4.weight)
def pairs(n, size, f):
    target = torch.rand(n, 1, size, size)
    return TensorDataset(F.avg_pool2d(target, f), target)
sd = lambda m: {k: v.reshape(-1).tolist() for k, v in m.state_dict().items()}
torch.manual_seed(0)
fresh = sd(Net(3))
torch.manual_seed(0)
train_set, test_set = pairs(16, 24, 3), pairs(8, 24, 3)
opt = argparse.Namespace(**OPT)
LOG, losses, psnrs = [], [], []
torch.manual_seed(opt.seed)
device = torch.device("cpu")
LOG.append('===> Loading datasets')
training_data_loader = DataLoader(dataset=train_set, num_workers=opt.threads, batch_size=opt.batchSize, shuffle=True)
testing_data_loader = DataLoader(dataset=test_set, num_workers=opt.threads, batch_size=opt.testBatchSize, shuffle=False)
LOG.append('===> Building model')
model = Net(upscale_factor=opt.upscale_factor).to(device)
criterion = nn.MSELoss()
optimizer = optim.Adam(model.parameters(), lr=opt.lr)
def train(epoch):
    epoch_loss = 0
    for iteration, batch in enumerate(training_data_loader, 1):
        input, target = batch[0].to(device), batch[1].to(device)
        optimizer.zero_grad()
        loss = criterion(model(input), target)
        epoch_loss += loss.item()
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
        LOG.append("===> Epoch[{}]({}/{}): Loss: {:.4f}".format(epoch, iteration, len(training_data_loader), loss.item()))
    LOG.append("===> Epoch {} Complete: Avg. Loss: {:.4f}".format(epoch, epoch_loss / len(training_data_loader)))
def test():
    avg_psnr = 0
    with torch.no_grad():
        for batch in testing_data_loader:
            input, target = batch[0].to(device), batch[1].to(device)
            prediction = model(input)
            mse = criterion(prediction, target)
            psnr = 10 * log10(1 / mse.item())
            avg_psnr += psnr
    psnrs.append(avg_psnr / len(testing_data_loader))
    LOG.append("===> Avg. PSNR: {:.4f} dB".format(avg_psnr / len(testing_data_loader)))
def checkpoint(epoch):
    model_out_path = "model_epoch_{}.pth".format(epoch)
    torch.save(model, os.path.join(OUT, model_out_path))
    LOG.append("Checkpoint saved to {}".format(model_out_path))
for epoch in range(1, opt.nEpochs + 1):
    train(epoch)
    test()
    checkpoint(epoch)
ours = torch.load(os.path.join(OURS, 'model_epoch_2.pth'), weights_only=True)
opened = max((ours[k] - v).abs().max().item() for k, v in model.state_dict().items())
result = dict(fresh=fresh, log=LOG, losses=losses, psnrs=psnrs, repr=repr(model), state_dict=sd(model), opened=opened)
`;

let ours: SuperResolutionResult;
const log: string[] = [];
let py: { fresh: Record<string, number[]>; log: string[]; losses: number[]; psnrs: number[]; repr: string; state_dict: Record<string, number[]>; opened: number };
const flat = (t: torch.Tensor) => Array.from(t.reshape(-1).toTypedArray() as Float32Array);

beforeAll(async () => {
  torch.manualSeed(0);
  const train = randomPairs(16, 24, 3);
  const test = randomPairs(8, 24, 3);
  const pyOut = path.join(dir, 'py');
  fs.mkdirSync(pyOut);
  ours = await main({ ...OPT, out: dir }, { train, test }, (l) => log.push(l));
  py = runPython(`import argparse, os\nOPT = json.loads(${JSON.stringify(JSON.stringify(OPT))})\nOUT = ${JSON.stringify(pyOut)}\nOURS = ${JSON.stringify(dir)}\n${PY}`);
}, 300000);

test('orthogonal_ with calculate_gain initialises the weights as in Python', () => {
  torch.manualSeed(0);
  const sd = new Net(3).stateDict();
  for (const [k, v] of Object.entries(sd)) close(flat(v), py.fresh[k], 1e-6, k);
});

test('every iteration\'s loss, the PSNRs and the log lines equal Python\'s', () => {
  expect(ours.losses.length).toBe(8);
  close(ours.losses, py.losses);
  close(ours.psnrs, py.psnrs);
  expect(log.slice(1)).toEqual(py.log);
});

test('the repr and trained state_dict equal Python\'s, and Python opens the checkpoint', () => {
  expect(String(ours.model)).toBe(py.repr);
  const sd = ours.model.stateDict();
  expect(Object.keys(sd)).toEqual(Object.keys(py.state_dict));
  for (const [k, v] of Object.entries(sd)) close(flat(v), py.state_dict[k], 1e-5, k);
  expect(py.opened).toBe(0);
});
