// pytorch/examples fast_neural_style ported line by line (examples/pytorch-examples/
// fast-neural-style.ts), against the Python original: TransformerNet's forward and gradients, the
// gram matrix, then train() on 4 tiny PNGs (32x32, batches of 2, Vgg16 with random weights as
// neither side may download them) and stylize() with the saved model: every batch's content and
// style losses, the log lines, the checkpoints (Python opens them) and the stylized PNG's pixels.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { io } from '../lib/vision';
import { TransformerNet, gram_matrix, normalize_batch, train, stylize, TrainResult } from '../examples/pytorch-examples/fast-neural-style';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';

const close = closeWithin(1e-4);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fns-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// transformer_net.py and utils.py as they are; vgg.py with the weights as a parameter
const PY_MODULES = `
import re, time
import numpy as np
from collections import namedtuple
from PIL import Image
from torch.optim import Adam
from torch.utils.data import DataLoader
from torchvision import datasets, transforms, models

class TransformerNet(torch.nn.Module):
    def __init__(self):
        super(TransformerNet, self).__init__()
        self.conv1 = ConvLayer(3, 32, kernel_size=9, stride=1)
        self.in1 = torch.nn.InstanceNorm2d(32, affine=True)
        self.conv2 = ConvLayer(32, 64, kernel_size=3, stride=2)
        self.in2 = torch.nn.InstanceNorm2d(64, affine=True)
        self.conv3 = ConvLayer(64, 128, kernel_size=3, stride=2)
        self.in3 = torch.nn.InstanceNorm2d(128, affine=True)
        self.res1 = ResidualBlock(128)
        self.res2 = ResidualBlock(128)
        self.res3 = ResidualBlock(128)
        self.res4 = ResidualBlock(128)
        self.res5 = ResidualBlock(128)
        self.deconv1 = UpsampleConvLayer(128, 64, kernel_size=3, stride=1, upsample=2)
        self.in4 = torch.nn.InstanceNorm2d(64, affine=True)
        self.deconv2 = UpsampleConvLayer(64, 32, kernel_size=3, stride=1, upsample=2)
        self.in5 = torch.nn.InstanceNorm2d(32, affine=True)
        self.deconv3 = ConvLayer(32, 3, kernel_size=9, stride=1)
        self.relu = torch.nn.ReLU()
    def forward(self, X):
        y = self.relu(self.in1(self.conv1(X)))
        y = self.relu(self.in2(self.conv2(y)))
        y = self.relu(self.in3(self.conv3(y)))
        y = self.res1(y)
        y = self.res2(y)
        y = self.res3(y)
        y = self.res4(y)
        y = self.res5(y)
        y = self.relu(self.in4(self.deconv1(y)))
        y = self.relu(self.in5(self.deconv2(y)))
        y = self.deconv3(y)
        return y
class ConvLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride):
        super(ConvLayer, self).__init__()
        reflection_padding = kernel_size // 2
        self.reflection_pad = torch.nn.ReflectionPad2d(reflection_padding)
        self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)
    def forward(self, x):
        out = self.reflection_pad(x)
        out = self.conv2d(out)
        return out
class ResidualBlock(torch.nn.Module):
    def __init__(self, channels):
        super(ResidualBlock, self).__init__()
        self.conv1 = ConvLayer(channels, channels, kernel_size=3, stride=1)
        self.in1 = torch.nn.InstanceNorm2d(channels, affine=True)
        self.conv2 = ConvLayer(channels, channels, kernel_size=3, stride=1)
        self.in2 = torch.nn.InstanceNorm2d(channels, affine=True)
        self.relu = torch.nn.ReLU()
    def forward(self, x):
        residual = x
        out = self.relu(self.in1(self.conv1(x)))
        out = self.in2(self.conv2(out))
        out = out + residual
        return out
class UpsampleConvLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride, upsample=None):
        super(UpsampleConvLayer, self).__init__()
        self.upsample = upsample
        reflection_padding = kernel_size // 2
        self.reflection_pad = torch.nn.ReflectionPad2d(reflection_padding)
        self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)
    def forward(self, x):
        x_in = x
        if self.upsample:
            x_in = torch.nn.functional.interpolate(x_in, mode='nearest', scale_factor=self.upsample)
        out = self.reflection_pad(x_in)
        out = self.conv2d(out)
        return out

def load_image(filename, size=None, scale=None):
    img = Image.open(filename).convert('RGB')
    if size is not None:
        img = img.resize((size, size), Image.ANTIALIAS)
    elif scale is not None:
        img = img.resize((int(img.size[0] / scale), int(img.size[1] / scale)), Image.ANTIALIAS)
    return img
def save_image(filename, data):
    img = data.clone().clamp(0, 255).numpy()
    img = img.transpose(1, 2, 0).astype("uint8")
    img = Image.fromarray(img)
    img.save(filename)
def gram_matrix(y):
    (b, ch, h, w) = y.size()
    features = y.view(b, ch, w * h)
    features_t = features.transpose(1, 2)
    gram = features.bmm(features_t) / (ch * h * w)
    return gram
def normalize_batch(batch):
    mean = batch.new_tensor([0.485, 0.456, 0.406]).view(-1, 1, 1)
    std = batch.new_tensor([0.229, 0.224, 0.225]).view(-1, 1, 1)
    batch = batch.div_(255.0)
    return (batch - mean) / std

class Vgg16(torch.nn.Module):
    def __init__(self, requires_grad=False, weights='IMAGENET1K_V1'):
        super(Vgg16, self).__init__()
        vgg_pretrained_features = models.vgg16(weights=weights).features
        self.slice1 = torch.nn.Sequential()
        self.slice2 = torch.nn.Sequential()
        self.slice3 = torch.nn.Sequential()
        self.slice4 = torch.nn.Sequential()
        for x in range(4):
            self.slice1.add_module(str(x), vgg_pretrained_features[x])
        for x in range(4, 9):
            self.slice2.add_module(str(x), vgg_pretrained_features[x])
        for x in range(9, 16):
            self.slice3.add_module(str(x), vgg_pretrained_features[x])
        for x in range(16, 23):
            self.slice4.add_module(str(x), vgg_pretrained_features[x])
        if not requires_grad:
            for param in self.parameters():
                param.requires_grad = False
    def forward(self, X):
        h = self.slice1(X)
        h_relu1_2 = h
        h = self.slice2(h)
        h_relu2_2 = h
        h = self.slice3(h)
        h_relu3_3 = h
        h = self.slice4(h)
        h_relu4_3 = h
        vgg_outputs = namedtuple("VggOutputs", ['relu1_2', 'relu2_2', 'relu3_3', 'relu4_3'])
        out = vgg_outputs(h_relu1_2, h_relu2_2, h_relu3_3, h_relu4_3)
        return out
`;

// neural_style.py's train() and stylize(), printed lines collected
const PY_TRAIN = `
LOG = []
def train(args):
    device = torch.device("cpu")
    LOG.append(f"Using device: {device}")
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    transform = transforms.Compose([
        transforms.Resize(args.image_size),
        transforms.CenterCrop(args.image_size),
        transforms.ToTensor(),
        transforms.Lambda(lambda x: x.mul(255))
    ])
    train_dataset = datasets.ImageFolder(args.dataset, transform)
    train_loader = DataLoader(train_dataset, batch_size=args.batch_size)
    transformer = TransformerNet().to(device)
    optimizer = Adam(transformer.parameters(), args.lr)
    mse_loss = torch.nn.MSELoss()
    vgg = Vgg16(requires_grad=False, weights=args.vgg_weights).to(device)
    style_transform = transforms.Compose([
        transforms.ToTensor(),
        transforms.Lambda(lambda x: x.mul(255))
    ])
    style = load_image(args.style_image, size=args.style_size)
    style = style_transform(style)
    style = style.repeat(args.batch_size, 1, 1, 1).to(device)
    features_style = vgg(normalize_batch(style))
    gram_style = [gram_matrix(y) for y in features_style]
    losses = []
    for e in range(args.epochs):
        transformer.train()
        agg_content_loss = 0.
        agg_style_loss = 0.
        count = 0
        for batch_id, (x, _) in enumerate(train_loader):
            n_batch = len(x)
            count += n_batch
            optimizer.zero_grad()
            x = x.to(device)
            y = transformer(x)
            y = normalize_batch(y)
            x = normalize_batch(x)
            features_y = vgg(y)
            features_x = vgg(x)
            content_loss = args.content_weight * mse_loss(features_y.relu2_2, features_x.relu2_2)
            style_loss = 0.
            for ft_y, gm_s in zip(features_y, gram_style):
                gm_y = gram_matrix(ft_y)
                style_loss += mse_loss(gm_y, gm_s[:n_batch, :, :])
            style_loss *= args.style_weight
            total_loss = content_loss + style_loss
            total_loss.backward()
            optimizer.step()
            agg_content_loss += content_loss.item()
            agg_style_loss += style_loss.item()
            losses.append(dict(content=content_loss.item(), style=style_loss.item()))
            if (batch_id + 1) % args.log_interval == 0:
                mesg = "{}\\tEpoch {}:\\t[{}/{}]\\tcontent: {:.6f}\\tstyle: {:.6f}\\ttotal: {:.6f}".format(
                    time.ctime(), e + 1, count, len(train_dataset),
                                  agg_content_loss / (batch_id + 1),
                                  agg_style_loss / (batch_id + 1),
                                  (agg_content_loss + agg_style_loss) / (batch_id + 1))
                LOG.append(mesg)
    transformer.eval().cpu()
    return transformer, losses
def stylize(args):
    content_image = load_image(args.content_image, scale=args.content_scale)
    content_transform = transforms.Compose([
        transforms.ToTensor(),
        transforms.Lambda(lambda x: x.mul(255))
    ])
    content_image = content_transform(content_image)
    content_image = content_image.unsqueeze(0)
    with torch.no_grad():
        style_model = TransformerNet()
        state_dict = torch.load(args.model)
        for k in list(state_dict.keys()):
            if re.search(r'in\\d+\\.running_(mean|var)$', k):
                del state_dict[k]
        style_model.load_state_dict(state_dict)
        style_model.eval()
        output = style_model(content_image).cpu()
    save_image(args.output_image, output[0])
`;

const sdJson = (sd: Record<string, torch.Tensor>) => Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, Array.from(v.reshape(-1).toTypedArray() as Float32Array)]));

test('TransformerNet: repr, forward and gradients, gram_matrix and normalize_batch equal Python\'s', () => {
  torch.manualSeed(0);
  const net = new TransformerNet();
  const x = torch.rand(2, 3, 16, 16).mul(255);
  const y = net(x);
  const gram = gram_matrix(y);
  const loss = gram.sum().add(normalize_batch(y.clone()).pow(2).mean());
  loss.backward();
  const py = runPython<{ repr: string; y: number[]; gram: number[]; loss: number; grads: Record<string, number[]> }>(`${PY_MODULES}
torch.manual_seed(0)
net = TransformerNet()
x = torch.rand(2, 3, 16, 16).mul(255)
y = net(x)
gram = gram_matrix(y)
loss = gram.sum() + normalize_batch(y.clone()).pow(2).mean()
loss.backward()
result = dict(repr=repr(net), y=y.detach().reshape(-1).tolist(), gram=gram.detach().reshape(-1).tolist(), loss=loss.item(),
              grads={n: p.grad.reshape(-1).tolist() for n, p in net.named_parameters() if n.startswith(('conv1.', 'in1.', 'res5.', 'deconv3.'))})`);
  expect(String(net)).toBe(py.repr);
  close(Array.from(y.detach().reshape(-1).toTypedArray() as Float32Array), py.y);
  close(Array.from(gram.detach().reshape(-1).toTypedArray() as Float32Array), py.gram);
  close(loss.item(), py.loss);
  const named = Object.fromEntries(net.namedParameters());
  for (const [n, g] of Object.entries(py.grads)) close(Array.from(named[n].grad!.reshape(-1).toTypedArray() as Float32Array), g, 1e-3, n);
});

describe('neural_style.py train and stylize on tiny images', () => {
  const ARGS = { epochs: 1, batch_size: 2, image_size: 32, style_size: null, seed: 42, content_weight: 1e5, style_weight: 1e10, lr: 1e-3, log_interval: 1, vgg_weights: null };
  let ours: TrainResult;
  const log: string[] = [];
  let py: { log: string[]; losses: { content: number; style: number }[]; state_dict: Record<string, number[]>; ckpt: [boolean, number]; pixels: number[]; ours_pixels: number[] };

  beforeAll(async () => {
    // 4 training images in one class folder, a style image and a content image, as PNGs
    torch.manualSeed(7);
    fs.mkdirSync(path.join(dir, 'train', 'class0'), { recursive: true });
    for (let i = 0; i < 4; i++) io.writePng(torch.randint(0, 256, [3, 32, 32], { dtype: torch.uint8 }), path.join(dir, 'train', 'class0', `img${i}.png`));
    io.writePng(torch.randint(0, 256, [3, 32, 32], { dtype: torch.uint8 }), path.join(dir, 'style.png'));
    io.writePng(torch.randint(0, 256, [3, 24, 20], { dtype: torch.uint8 }), path.join(dir, 'content.png'));
    fs.mkdirSync(path.join(dir, 'models'));
    fs.mkdirSync(path.join(dir, 'ckpt'));
    ours = await train({ ...ARGS, dataset: path.join(dir, 'train'), style_image: path.join(dir, 'style.png'), save_model_dir: path.join(dir, 'models'), checkpoint_model_dir: path.join(dir, 'ckpt'), checkpoint_interval: 2 }, (l) => log.push(l));
    await stylize({ content_image: path.join(dir, 'content.png'), content_scale: null, model: ours.savePath, output_image: path.join(dir, 'ours.png') }, () => {});
    const D = JSON.stringify(dir);
    py = runPython(`${PY_MODULES}${PY_TRAIN}
import argparse, os
D = ${D}
args = argparse.Namespace(**json.loads(${JSON.stringify(JSON.stringify(ARGS))}), dataset=os.path.join(D, 'train'), style_image=os.path.join(D, 'style.png'))
transformer, losses = train(args)
ckpt = torch.load(os.path.join(D, 'ckpt', 'ckpt_epoch_0_batch_id_2.pth'))
stylize(argparse.Namespace(content_image=os.path.join(D, 'content.png'), content_scale=None, model=${JSON.stringify(ours.savePath)}, output_image=os.path.join(D, 'py.png')))
result = dict(log=LOG, losses=losses, state_dict={k: v.reshape(-1).tolist() for k, v in transformer.state_dict().items()},
              ckpt=[list(ckpt.keys()) == list(transformer.state_dict().keys()), max((ckpt[k] - v).abs().max().item() for k, v in transformer.state_dict().items())],
              pixels=np.asarray(Image.open(os.path.join(D, 'py.png'))).reshape(-1).tolist(), ours_pixels=np.asarray(Image.open(os.path.join(D, 'ours.png'))).reshape(-1).tolist())`);
  }, 600000);

  test('every batch\'s content and style loss, and the log lines, equal Python\'s', () => {
    expect(ours.losses.length).toBe(2);
    close(ours.losses.map((l) => [l.content, l.style]), py.losses.map((l) => [l.content, l.style]));
    const untimed = (l: string) => l.replace(/^[^\t]*\t/, 'TIME\t');
    expect(log.slice(0, 3).map(untimed)).toEqual(py.log.map(untimed));
    expect(log[3]).toBe(`\nDone, trained model saved at ${ours.savePath}`);
  });

  test('the trained TransformerNet equals Python\'s, and the checkpoint opens in Python', () => {
    const sd = sdJson(ours.transformer.stateDict());
    expect(Object.keys(sd)).toEqual(Object.keys(py.state_dict));
    // largest difference relative to max(1, |Python's value|), over all 1.7M weights
    const worst = Math.max(...Object.entries(sd).map(([k, v]) => v.reduce((m, x, i) => Math.max(m, Math.abs(x - py.state_dict[k][i]) / Math.max(1, Math.abs(py.state_dict[k][i]))), 0)));
    expect(worst).toBeLessThan(1e-4);
    expect(py.ckpt[0]).toBe(true);
    expect(py.ckpt[1]).toBeLessThan(1e-4);
  });

  test('stylize() writes the PNG Python writes from the same model', () => {
    expect(py.ours_pixels.length).toBe(24 * 20 * 3);
    const diff = Math.max(...py.ours_pixels.map((v, i) => Math.abs(v - py.pixels[i])));
    expect(diff).toBe(0);
  });
});
