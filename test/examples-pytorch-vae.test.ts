// pytorch/examples vae ported line by line (examples/pytorch-examples/vae.ts), against the Python
// original on the same 80 Fashion-MNIST test images (48 to train, 32 to test): every batch loss,
// the test losses, the log lines, the final state_dict, and the pixels of the PNGs save_image wrote.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import { Subset } from '../lib/data';
import { datasets, transforms } from '../lib/vision';
import { main, VaeResult } from '../examples/pytorch-examples/vae';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';

const close = closeWithin(2e-5);
const ROOT = process.env.FASHION_MNIST_ROOT ?? '/usr/share/datasets/fashion-mnist';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vae-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ARGS = { batch_size: 16, epochs: 2, seed: 1, log_interval: 1 };

// The Python original (vae/main.py) with the loaders over the same two Subsets; printed lines collected.
const PY = `
import os
import numpy as np
from PIL import Image
from torch import nn, optim
from torch.nn import functional as F
from torchvision import datasets, transforms
from torchvision.utils import save_image
args = argparse.Namespace(**ARGS)
LOG = []
def print(s): LOG.append(s)
torch.manual_seed(args.seed)
device = torch.device("cpu")
print(f"Using device: {device}")
full = datasets.FashionMNIST(TV, train=False, transform=transforms.ToTensor())
train_loader = torch.utils.data.DataLoader(torch.utils.data.Subset(full, range(48)), batch_size=args.batch_size, shuffle=True)
test_loader = torch.utils.data.DataLoader(torch.utils.data.Subset(full, range(48, 80)), batch_size=args.batch_size, shuffle=False)

class VAE(nn.Module):
    def __init__(self):
        super(VAE, self).__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)
    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)
    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5*logvar)
        eps = torch.randn_like(std)
        return mu + eps*std
    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))
    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar

model = VAE().to(device)
optimizer = optim.Adam(model.parameters(), lr=1e-3)
def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction='sum')
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD
train_losses, test_losses = [], []
def train(epoch):
    model.train()
    train_loss = 0
    for batch_idx, (data, _) in enumerate(train_loader):
        data = data.to(device)
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(data)
        loss = loss_function(recon_batch, data, mu, logvar)
        loss.backward()
        train_loss += loss.item()
        train_losses.append(loss.item())
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print('Train Epoch: {} [{}/{} ({:.0f}%)]\\tLoss: {:.6f}'.format(
                epoch, batch_idx * len(data), len(train_loader.dataset),
                100. * batch_idx / len(train_loader),
                loss.item() / len(data)))
    print('====> Epoch: {} Average loss: {:.4f}'.format(epoch, train_loss / len(train_loader.dataset)))
def test(epoch):
    model.eval()
    test_loss = 0
    with torch.no_grad():
        for i, (data, _) in enumerate(test_loader):
            data = data.to(device)
            recon_batch, mu, logvar = model(data)
            test_loss += loss_function(recon_batch, data, mu, logvar).item()
            if i == 0:
                n = min(data.size(0), 8)
                comparison = torch.cat([data[:n], recon_batch.view(args.batch_size, 1, 28, 28)[:n]])
                save_image(comparison.cpu(), PYOUT + '/reconstruction_' + str(epoch) + '.png', nrow=n)
    test_loss /= len(test_loader.dataset)
    test_losses.append(test_loss)
    print('====> Test set loss: {:.4f}'.format(test_loss))
for epoch in range(1, args.epochs + 1):
    train(epoch)
    test(epoch)
    with torch.no_grad():
        sample = torch.randn(64, 20).to(device)
        sample = model.decode(sample).cpu()
        save_image(sample.view(64, 1, 28, 28), PYOUT + '/sample_' + str(epoch) + '.png')
pngs = {}
for f in sorted(os.listdir(PYOUT)):
    a = np.asarray(Image.open(os.path.join(PYOUT, f))).astype(np.int64)
    b = np.asarray(Image.open(os.path.join(OURS, f))).astype(np.int64)
    pngs[f] = dict(shape=list(a.shape), same_shape=a.shape == b.shape, max_diff=int(np.abs(a - b).max()) if a.shape == b.shape else -1,
                   mode=Image.open(os.path.join(OURS, f)).mode, py_mode=Image.open(os.path.join(PYOUT, f)).mode)
del print
result = dict(log=LOG, train_losses=train_losses, test_losses=test_losses, pngs=pngs,
              state_dict={k: v.reshape(-1).tolist() for k, v in model.state_dict().items()})
`;

interface Py {
  log: string[];
  train_losses: number[];
  test_losses: number[];
  pngs: Record<string, { shape: number[]; same_shape: boolean; max_diff: number; mode: string; py_mode: string }>;
  state_dict: Record<string, number[]>;
}

let ours: VaeResult;
const log: string[] = [];
let py: Py;

beforeAll(async () => {
  // torchvision's layout of the test split: <tv>/FashionMNIST/raw/<plain IDX files>
  const tv = path.join(dir, 'tv');
  fs.mkdirSync(path.join(tv, 'FashionMNIST', 'raw'), { recursive: true });
  for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
    fs.writeFileSync(path.join(tv, 'FashionMNIST', 'raw', f), gunzipSync(fs.readFileSync(path.join(ROOT, `${f}.gz`))));
  }
  // torchvision checks that the train files exist too, but reads only the split it loads
  for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte']) fs.writeFileSync(path.join(tv, 'FashionMNIST', 'raw', f), '');
  const full = new datasets.FashionMNIST({ root: ROOT, train: false, transform: new transforms.ToTensor() });
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  const results = path.join(dir, 'ours');
  ours = await main({ ...ARGS, results }, { train: new Subset(full, range(0, 48)), test: new Subset(full, range(48, 80)) }, (l) => log.push(l));
  const pyOut = path.join(dir, 'py');
  fs.mkdirSync(pyOut);
  py = runPython<Py>(`import argparse\nARGS = ${JSON.stringify(ARGS)}\nTV = ${JSON.stringify(tv)}\nPYOUT = ${JSON.stringify(pyOut)}\nOURS = ${JSON.stringify(results)}\n${PY}`);
}, 300000);

test('every batch loss, the test losses and the log lines equal Python\'s', () => {
  expect(ours.trainLosses.length).toBe(6);
  close(ours.trainLosses, py.train_losses);
  close(ours.testLosses, py.test_losses);
  expect(log).toEqual(py.log);
});

test('the trained state_dict equals Python\'s', () => {
  const sd = ours.model.stateDict();
  expect(Object.keys(sd)).toEqual(Object.keys(py.state_dict));
  for (const [k, v] of Object.entries(sd)) close(Array.from(v.reshape(-1).toTypedArray() as Float32Array), py.state_dict[k], 2e-5, k);
});

test('save_image wrote the same PNGs: reconstructions and samples, pixel for pixel', () => {
  expect(Object.keys(py.pngs)).toEqual(['reconstruction_1.png', 'reconstruction_2.png', 'sample_1.png', 'sample_2.png']);
  for (const [name, png] of Object.entries(py.pngs)) {
    expect([name, png.same_shape, png.max_diff, png.mode]).toEqual([name, true, 0, png.py_mode]);
  }
  expect(py.pngs['sample_1.png'].shape).toEqual([242, 242, 3]);
});
