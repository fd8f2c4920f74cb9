// pytorch/examples dcgan/main.py, line by line: Generator and Discriminator (DCGAN), weights_init
// applied by class name, BCELoss, two Adam optimizers, fixed noise, .detach() of the fakes, images
// through save_image and checkpoints per epoch.
// Run: node dist/examples/pytorch-examples/dcgan.js --dataset fake
import * as fs from 'fs';
import * as torch from '../../lib';
import { nn, optim, Tensor } from '../../lib';
import { DataLoader, Dataset } from '../../lib/data';
import { datasets as dset, transforms, utils as vutils } from '../../lib/vision';
import { pythonRandom as random } from '../../lib/vision/transforms';
import { ValueError } from '../../lib/errors';

export interface Options {
  dataset: string;
  dataroot: string | null;
  workers: number;
  batchSize: number;
  imageSize: number;
  nz: number;
  ngf: number;
  ndf: number;
  niter: number;
  lr: number;
  beta1: number;
  dry_run: boolean;
  ngpu: number;
  netG: string;
  netD: string;
  outf: string;
  manualSeed: number | null;
  classes: string;
}
export const defaults: Options = {
  dataset: 'fake', dataroot: null, workers: 2, batchSize: 64, imageSize: 64, nz: 100, ngf: 64, ndf: 64, niter: 25,
  lr: 0.0002, beta1: 0.5, dry_run: false, ngpu: 1, netG: '', netD: '', outf: '.', manualSeed: null, classes: 'bedroom',
};

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

// custom weights initialization called on netG and netD
export function weights_init(m: nn.Module): void {
  const classname = m.constructor.name;   // m.__class__.__name__
  if (classname.indexOf('Conv') !== -1) {
    torch.nn.init.normal_((m as nn.Conv2d).weight, 0.0, 0.02);
  } else if (classname.indexOf('BatchNorm') !== -1) {
    torch.nn.init.normal_((m as nn.BatchNorm2d).weight!, 1.0, 0.02);
    torch.nn.init.zeros_((m as nn.BatchNorm2d).bias!);
  }
}

export class Generator extends nn.Module {
  ngpu: number;
  main: nn.Sequential;

  constructor(ngpu: number, nz: number, ngf: number, nc: number) {
    super();
    this.ngpu = ngpu;
    this.main = new nn.Sequential(
      // input is Z, going into a convolution
      new nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, { bias: false }),
      new nn.BatchNorm2d(ngf * 8),
      new nn.ReLU(true),
      // state size. (ngf*8) x 4 x 4
      new nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, { bias: false }),
      new nn.BatchNorm2d(ngf * 4),
      new nn.ReLU(true),
      // state size. (ngf*4) x 8 x 8
      new nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, { bias: false }),
      new nn.BatchNorm2d(ngf * 2),
      new nn.ReLU(true),
      // state size. (ngf*2) x 16 x 16
      new nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, { bias: false }),
      new nn.BatchNorm2d(ngf),
      new nn.ReLU(true),
      // state size. (ngf) x 32 x 32
      new nn.ConvTranspose2d(ngf, nc, 4, 2, 1, { bias: false }),
      new nn.Tanh(),
      // state size. (nc) x 64 x 64
    );
  }

  forward(input: Tensor): Tensor {
    let output: Tensor;
    if ((input.isCuda || input.isXpu) && this.ngpu > 1) {
      output = nn.parallel.dataParallel(this.main, input, range(this.ngpu)) as Tensor;
    } else {
      output = this.main(input);
    }
    return output;
  }
}

export class Discriminator extends nn.Module {
  ngpu: number;
  main: nn.Sequential;

  constructor(ngpu: number, nc: number, ndf: number) {
    super();
    this.ngpu = ngpu;
    this.main = new nn.Sequential(
      // input is (nc) x 64 x 64
      new nn.Conv2d(nc, ndf, 4, 2, 1, { bias: false }),
      new nn.LeakyReLU(0.2, { inplace: true }),
      // state size. (ndf) x 32 x 32
      new nn.Conv2d(ndf, ndf * 2, 4, 2, 1, { bias: false }),
      new nn.BatchNorm2d(ndf * 2),
      new nn.LeakyReLU(0.2, { inplace: true }),
      // state size. (ndf*2) x 16 x 16
      new nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, { bias: false }),
      new nn.BatchNorm2d(ndf * 4),
      new nn.LeakyReLU(0.2, { inplace: true }),
      // state size. (ndf*4) x 8 x 8
      new nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, { bias: false }),
      new nn.BatchNorm2d(ndf * 8),
      new nn.LeakyReLU(0.2, { inplace: true }),
      // state size. (ndf*8) x 4 x 4
      new nn.Conv2d(ndf * 8, 1, 4, 1, 0, { bias: false }),
      new nn.Sigmoid(),
    );
  }

  forward(input: Tensor): Tensor {
    let output: Tensor;
    if ((input.isCuda || input.isXpu) && this.ngpu > 1) {
      output = nn.parallel.dataParallel(this.main, input, range(this.ngpu)) as Tensor;
    } else {
      output = this.main(input);
    }
    return output.view(-1, 1).squeeze(1);
  }
}

function makeDataset(opt: Options): [Dataset<[Tensor, unknown]>, number] {
  const norm3 = new transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]);
  if (['imagenet', 'folder', 'lfw'].includes(opt.dataset)) {
    const transform = new transforms.Compose([
      new transforms.Resize(opt.imageSize), new transforms.CenterCrop(opt.imageSize), new transforms.ToTensor(), norm3,
    ]);
    return [new dset.ImageFolder({ root: opt.dataroot!, transform }), 3];
  }
  if (opt.dataset === 'mnist') {
    const transform = new transforms.Compose([new transforms.Resize(opt.imageSize), new transforms.ToTensor(), new transforms.Normalize([0.5], [0.5])]);
    return [new dset.MNIST({ root: opt.dataroot!, download: true, transform }), 1];
  }
  if (opt.dataset === 'fake') {
    return [new dset.FakeData({ imageSize: [3, opt.imageSize, opt.imageSize], transform: new transforms.ToTensor() }), 3];
  }
  // torchvision's LSUN and CIFAR10 have no torch-node counterpart
  throw new ValueError(`dataset ${opt.dataset} is not available in torch-node`);
}

export interface DcganResult {
  netG: Generator;
  netD: Discriminator;
  losses: { errD: number; errG: number; D_x: number; D_G_z1: number; D_G_z2: number }[];
}

/** main.py with the parsed options; `dataset` replaces --dataset's (nc: its channels) to run on other images. */
export async function main(options: Partial<Options> = {}, given?: { dataset: Dataset<[Tensor, unknown]>; nc: number }, print: (line: string) => void = console.log): Promise<DcganResult> {
  const opt: Options = { ...defaults, ...options };
  print(JSON.stringify(opt));   // print(opt)
  fs.mkdirSync(opt.outf, { recursive: true });

  if (opt.manualSeed === null) opt.manualSeed = random.randbelow(10000) + 1;   // random.randint(1, 10000)
  print(`Random Seed:  ${opt.manualSeed}`);
  random.seed(opt.manualSeed);
  torch.manualSeed(opt.manualSeed);

  torch.backends.cudnn.benchmark = true;
  const device = torch.device('cpu');
  print(`Using device: ${device}`);

  if (opt.dataroot === null && opt.dataset.toLowerCase() !== 'fake' && !given) {
    throw new ValueError(`\`dataroot\` parameter is required for dataset "${opt.dataset}"`);
  }
  const [dataset, nc] = given ? [given.dataset, given.nc] : makeDataset(opt);
  const dataloader = new DataLoader(dataset, { batchSize: opt.batchSize, shuffle: true, numWorkers: opt.workers });

  const { ngpu, nz, ngf, ndf } = opt;

  const netG = new Generator(ngpu, nz, ngf, nc).to(device);
  netG.apply(weights_init);
  if (opt.netG !== '') netG.loadStateDict(await torch.load(opt.netG));
  print(String(netG));

  const netD = new Discriminator(ngpu, nc, ndf).to(device);
  netD.apply(weights_init);
  if (opt.netD !== '') netD.loadStateDict(await torch.load(opt.netD));
  print(String(netD));

  const criterion = new nn.BCELoss();

  const fixed_noise = torch.randn(opt.batchSize, nz, 1, 1, { device });
  const real_label = 1;
  const fake_label = 0;

  // setup optimizer
  const optimizerD = new optim.Adam(netD.parameters(), { lr: opt.lr, betas: [opt.beta1, 0.999] });
  const optimizerG = new optim.Adam(netG.parameters(), { lr: opt.lr, betas: [opt.beta1, 0.999] });

  if (opt.dry_run) opt.niter = 1;

  const losses: DcganResult['losses'] = [];
  for (let epoch = 0; epoch < opt.niter; epoch++) {
    let i = 0;
    for await (const data of dataloader) {
      // (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
      // train with real
      netD.zeroGrad();
      const real_cpu = data[0].to(device);
      const batch_size = real_cpu.size(0);
      const label = torch.full([batch_size], real_label, { dtype: real_cpu.dtype, device });

      let output = netD(real_cpu);
      const errD_real = criterion(output, label);
      errD_real.backward();
      const D_x = output.mean().item();

      // train with fake
      const noise = torch.randn(batch_size, nz, 1, 1, { device });
      let fake = netG(noise);
      label.fill_(fake_label);
      output = netD(fake.detach());
      const errD_fake = criterion(output, label);
      errD_fake.backward();
      const D_G_z1 = output.mean().item();
      const errD = errD_real.add(errD_fake);
      optimizerD.step();

      // (2) Update G network: maximize log(D(G(z)))
      netG.zeroGrad();
      label.fill_(real_label);   // fake labels are real for generator cost
      output = netD(fake);
      const errG = criterion(output, label);
      errG.backward();
      const D_G_z2 = output.mean().item();
      optimizerG.step();

      print(`[${epoch}/${opt.niter}][${i}/${dataloader.length}] Loss_D: ${errD.item().toFixed(4)} Loss_G: ${errG.item().toFixed(4)} ` +
        `D(x): ${D_x.toFixed(4)} D(G(z)): ${D_G_z1.toFixed(4)} / ${D_G_z2.toFixed(4)}`);
      losses.push({ errD: errD.item(), errG: errG.item(), D_x, D_G_z1, D_G_z2 });
      if (i % 100 === 0) {
        await vutils.saveImage(real_cpu, `${opt.outf}/real_samples.png`, { normalize: true });
        fake = netG(fixed_noise);
        await vutils.saveImage(fake.detach(), `${opt.outf}/fake_samples_epoch_${String(epoch).padStart(3, '0')}.png`, { normalize: true });
      }
      if (opt.dry_run) break;
      i++;
    }
    // do checkpointing
    await torch.save(netG.stateDict(), `${opt.outf}/netG_epoch_${epoch}.pth`);
    await torch.save(netD.stateDict(), `${opt.outf}/netD_epoch_${epoch}.pth`);
  }
  return { netG, netD, losses };
}

if (require.main === module) void main({ dataset: process.argv[3] ?? 'fake', dry_run: true });
