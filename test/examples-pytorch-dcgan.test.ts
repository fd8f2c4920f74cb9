// pytorch/examples dcgan ported line by line (examples/pytorch-examples/dcgan.ts), against the
// Python original on the same FakeData images (10 of them, batches of 4, 2 epochs, 2 loader
// workers): printed losses, the reprs, both networks' state_dicts (BatchNorm statistics too), the
// PNGs save_image wrote, and the checkpoints, which Python opens.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { datasets, transforms } from '../lib/vision';
import { main, DcganResult } from '../examples/pytorch-examples/dcgan';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';

const close = closeWithin(1e-5);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcgan-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const OPT = { dataset: 'fake', workers: 2, batchSize: 4, imageSize: 64, nz: 8, ngf: 4, ndf: 4, niter: 2, lr: 0.0002, beta1: 0.5, dry_run: false, ngpu: 1, netG: '', netD: '', manualSeed: 999 };
const SIZE = 10;

// The Python original (dcgan/main.py) with opt as parsed and FakeData of SIZE images; printed lines collected.
const PY = `
import os, random
import numpy as np
from PIL import Image
import torch.nn as nn
import torch.backends.cudnn as cudnn
import torch.optim as optim
import torchvision.datasets as dset
import torchvision.transforms as transforms
import torchvision.utils as vutils
LOG = []
def print(*a): LOG.append(' '.join(str(x) for x in a))
opt = argparse.Namespace(**OPT)
random.seed(opt.manualSeed)
torch.manual_seed(opt.manualSeed)
cudnn.benchmark = True
device = torch.device("cpu")
print(f"Using device: {device}")
dataset = dset.FakeData(size=SIZE, image_size=(3, opt.imageSize, opt.imageSize), transform=transforms.ToTensor())
nc=3
dataloader = torch.utils.data.DataLoader(dataset, batch_size=opt.batchSize, shuffle=True, num_workers=int(opt.workers))
ngpu = int(opt.ngpu)
nz = int(opt.nz)
ngf = int(opt.ngf)
ndf = int(opt.ndf)
def weights_init(m):
    classname = m.__class__.__name__
    if classname.find('Conv') != -1:
        torch.nn.init.normal_(m.weight, 0.0, 0.02)
    elif classname.find('BatchNorm') != -1:
        torch.nn.init.normal_(m.weight, 1.0, 0.02)
        torch.nn.init.zeros_(m.bias)
class Generator(nn.Module):
    def __init__(self, ngpu):
        super(Generator, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            nn.ConvTranspose2d(     nz, ngf * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 8), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2,     ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
            nn.ConvTranspose2d(    ngf,      nc, 4, 2, 1, bias=False), nn.Tanh())
    def forward(self, input):
        if (input.is_cuda or input.is_xpu) and self.ngpu > 1:
            output = nn.parallel.data_parallel(self.main, input, range(self.ngpu))
        else:
            output = self.main(input)
        return output
netG = Generator(ngpu).to(device)
netG.apply(weights_init)
print(netG)
class Discriminator(nn.Module):
    def __init__(self, ngpu):
        super(Discriminator, self).__init__()
        self.ngpu = ngpu
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 4), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 8), nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False), nn.Sigmoid())
    def forward(self, input):
        if (input.is_cuda or input.is_xpu) and self.ngpu > 1:
            output = nn.parallel.data_parallel(self.main, input, range(self.ngpu))
        else:
            output = self.main(input)
        return output.view(-1, 1).squeeze(1)
netD = Discriminator(ngpu).to(device)
netD.apply(weights_init)
print(netD)
criterion = nn.BCELoss()
fixed_noise = torch.randn(opt.batchSize, nz, 1, 1, device=device)
real_label = 1
fake_label = 0
optimizerD = optim.Adam(netD.parameters(), lr=opt.lr, betas=(opt.beta1, 0.999))
optimizerG = optim.Adam(netG.parameters(), lr=opt.lr, betas=(opt.beta1, 0.999))
for epoch in range(opt.niter):
    for i, data in enumerate(dataloader, 0):
        netD.zero_grad()
        real_cpu = data[0].to(device)
        batch_size = real_cpu.size(0)
        label = torch.full((batch_size,), real_label, dtype=real_cpu.dtype, device=device)
        output = netD(real_cpu)
        errD_real = criterion(output, label)
        errD_real.backward()
        D_x = output.mean().item()
        noise = torch.randn(batch_size, nz, 1, 1, device=device)
        fake = netG(noise)
        label.fill_(fake_label)
        output = netD(fake.detach())
        errD_fake = criterion(output, label)
        errD_fake.backward()
        D_G_z1 = output.mean().item()
        errD = errD_real + errD_fake
        optimizerD.step()
        netG.zero_grad()
        label.fill_(real_label)
        output = netD(fake)
        errG = criterion(output, label)
        errG.backward()
        D_G_z2 = output.mean().item()
        optimizerG.step()
        print('[%d/%d][%d/%d] Loss_D: %.4f Loss_G: %.4f D(x): %.4f D(G(z)): %.4f / %.4f'
              % (epoch, opt.niter, i, len(dataloader), errD.item(), errG.item(), D_x, D_G_z1, D_G_z2))
        if i % 100 == 0:
            vutils.save_image(real_cpu, '%s/real_samples.png' % opt.outf, normalize=True)
            fake = netG(fixed_noise)
            vutils.save_image(fake.detach(), '%s/fake_samples_epoch_%03d.png' % (opt.outf, epoch), normalize=True)
    torch.save(netG.state_dict(), '%s/netG_epoch_%d.pth' % (opt.outf, epoch))
    torch.save(netD.state_dict(), '%s/netD_epoch_%d.pth' % (opt.outf, epoch))
del print
pngs, opened = {}, {}
for f in sorted(os.listdir(opt.outf)):
    if f.endswith('.png'):
        a = np.asarray(Image.open(os.path.join(opt.outf, f))).astype(np.int64)
        b = np.asarray(Image.open(os.path.join(OURS, f))).astype(np.int64)
        pngs[f] = int(np.abs(a - b).max()) if a.shape == b.shape else -1
    else:
        a, b = torch.load(os.path.join(opt.outf, f)), torch.load(os.path.join(OURS, f), weights_only=True)
        opened[f] = [list(a.keys()) == list(b.keys()), max((a[k].double() - b[k].double()).abs().max().item() for k in a)]
sd = lambda m: {k: v.reshape(-1).tolist() for k, v in m.state_dict().items()}
result = dict(log=LOG, pngs=pngs, opened=opened, netG=sd(netG), netD=sd(netD))
`;

interface Py {
  log: string[];
  pngs: Record<string, number>;
  opened: Record<string, [boolean, number]>;
  netG: Record<string, number[]>;
  netD: Record<string, number[]>;
}

let ours: DcganResult;
const log: string[] = [];
let py: Py;

beforeAll(async () => {
  const outf = path.join(dir, 'ours');
  const dataset = new datasets.FakeData({ size: SIZE, imageSize: [3, 64, 64], transform: new transforms.ToTensor() });
  // the program sets cudnn.benchmark, a process-wide switch: put back as soon as it has run, so that
  // later test files in this jest worker find it as it was (test/helpers/global-state.ts checks)
  const benchmarkBefore = torch.backends.cudnn.benchmark;
  try {
    ours = await main({ ...OPT, outf }, { dataset, nc: 3 }, (l) => log.push(l));
  } finally {
    torch.backends.cudnn.benchmark = benchmarkBefore;
  }
  py = runPython<Py>(`import argparse\nOPT = dict(json.loads(${JSON.stringify(JSON.stringify(OPT))}), outf=${JSON.stringify(path.join(dir, 'py'))})\nSIZE = ${SIZE}\nOURS = ${JSON.stringify(outf)}\nos_ = __import__('os'); os_.makedirs(OPT['outf'])\n${PY}`);
}, 300000);

test('the printed reprs and every step\'s losses and D outputs equal Python\'s', () => {
  // log[0] is print(opt): Python prints an argparse Namespace
  expect(log[1]).toBe('Random Seed:  999');
  const lines = log.slice(2);
  expect(lines.length).toBe(py.log.length);
  expect(lines.slice(0, 3)).toEqual(py.log.slice(0, 3));   // device, netG, netD
  expect(ours.losses.length).toBe(6);
  // the printed losses, to Python's 4 decimals (a last digit may round the other way within float32)
  const nums = (l: string) => (l.match(/-?\d+\.\d+/g) ?? []).map(Number);
  lines.slice(3).forEach((l, k) => {
    expect(l.replace(/-?\d+\.\d+/g, 'N')).toBe(py.log[k + 3].replace(/-?\d+\.\d+/g, 'N'));
    close(nums(l), nums(py.log[k + 3]), 2e-4);
  });
});

test('both networks\' state_dicts (with BatchNorm statistics) equal Python\'s after training', () => {
  for (const [name, net] of [['netG', ours.netG], ['netD', ours.netD]] as const) {
    const sd = net.stateDict();
    expect(Object.keys(sd)).toEqual(Object.keys(py[name]));
    for (const [k, v] of Object.entries(sd)) close(Array.from(v.reshape(-1).toTypedArray() as ArrayLike<number>, Number), py[name][k], 1e-5, `${name}.${k}`);
  }
});

test('save_image wrote the same PNGs and Python opens the checkpoints', () => {
  expect(py.pngs).toEqual({ 'fake_samples_epoch_000.png': 0, 'fake_samples_epoch_001.png': 0, 'real_samples.png': 0 });
  expect(Object.keys(py.opened).sort()).toEqual(['netD_epoch_0.pth', 'netD_epoch_1.pth', 'netG_epoch_0.pth', 'netG_epoch_1.pth']);
  for (const [keys, diff] of Object.values(py.opened)) {
    expect(keys).toBe(true);
    expect(diff).toBeLessThan(1e-5);
  }
});
