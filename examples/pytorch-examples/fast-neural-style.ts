// pytorch/examples fast_neural_style, line by line: transformer_net.py (TransformerNet with
// ReflectionPad2d convolutions, affine InstanceNorm2d, residual blocks, nearest upsampling),
// utils.py (load_image, save_image, gram_matrix, normalize_batch), vgg.py (Vgg16 slices of
// torchvision's vgg16.features) and neural_style.py's train() and stylize(). The ONNX paths
// (export and onnxruntime) are not ported.
// Run: node dist/examples/pytorch-examples/fast-neural-style.js (see main() below for the options)
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../../lib';
import { nn, Tensor } from '../../lib';
import { Adam } from '../../lib/optim';
import { DataLoader } from '../../lib/data';
import { datasets, transforms, models, io } from '../../lib/vision';

// ---------------------------------------------------------------- transformer_net.py

export class ConvLayer extends nn.Module {
  reflection_pad: nn.ReflectionPad2d;
  conv2d: nn.Conv2d;

  constructor(in_channels: number, out_channels: number, kernel_size: number, stride: number) {
    super();
    const reflection_padding = Math.floor(kernel_size / 2);
    this.reflection_pad = new torch.nn.ReflectionPad2d(reflection_padding);
    this.conv2d = new torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride);
  }

  forward(x: Tensor): Tensor {
    let out = this.reflection_pad(x);
    out = this.conv2d(out);
    return out;
  }
}

/** ResidualBlock (https://arxiv.org/abs/1512.03385) */
export class ResidualBlock extends nn.Module {
  conv1: ConvLayer;
  in1: nn.InstanceNorm2d;
  conv2: ConvLayer;
  in2: nn.InstanceNorm2d;
  relu: nn.ReLU;

  constructor(channels: number) {
    super();
    this.conv1 = new ConvLayer(channels, channels, 3, 1);   // kernel_size=3, stride=1
    this.in1 = new torch.nn.InstanceNorm2d(channels, { affine: true });
    this.conv2 = new ConvLayer(channels, channels, 3, 1);
    this.in2 = new torch.nn.InstanceNorm2d(channels, { affine: true });
    this.relu = new torch.nn.ReLU();
  }

  forward(x: Tensor): Tensor {
    const residual = x;
    let out = this.relu(this.in1(this.conv1(x)));
    out = this.in2(this.conv2(out));
    out = out.add(residual);
    return out;
  }
}

/** Upsamples the input and then convolves: fewer checkerboard artifacts than ConvTranspose2d. */
export class UpsampleConvLayer extends nn.Module {
  upsample: number | null;
  reflection_pad: nn.ReflectionPad2d;
  conv2d: nn.Conv2d;

  constructor(in_channels: number, out_channels: number, kernel_size: number, stride: number, upsample: number | null = null) {
    super();
    this.upsample = upsample;
    const reflection_padding = Math.floor(kernel_size / 2);
    this.reflection_pad = new torch.nn.ReflectionPad2d(reflection_padding);
    this.conv2d = new torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride);
  }

  forward(x: Tensor): Tensor {
    let x_in = x;
    if (this.upsample) x_in = torch.nn.functional.interpolate(x_in, { mode: 'nearest', scaleFactor: this.upsample });
    let out = this.reflection_pad(x_in);
    out = this.conv2d(out);
    return out;
  }
}

export class TransformerNet extends nn.Module {
  // Initial convolution layers
  conv1 = new ConvLayer(3, 32, 9, 1);
  in1 = new torch.nn.InstanceNorm2d(32, { affine: true });
  conv2 = new ConvLayer(32, 64, 3, 2);
  in2 = new torch.nn.InstanceNorm2d(64, { affine: true });
  conv3 = new ConvLayer(64, 128, 3, 2);
  in3 = new torch.nn.InstanceNorm2d(128, { affine: true });
  // Residual layers
  res1 = new ResidualBlock(128);
  res2 = new ResidualBlock(128);
  res3 = new ResidualBlock(128);
  res4 = new ResidualBlock(128);
  res5 = new ResidualBlock(128);
  // Upsampling Layers
  deconv1 = new UpsampleConvLayer(128, 64, 3, 1, 2);
  in4 = new torch.nn.InstanceNorm2d(64, { affine: true });
  deconv2 = new UpsampleConvLayer(64, 32, 3, 1, 2);
  in5 = new torch.nn.InstanceNorm2d(32, { affine: true });
  deconv3 = new ConvLayer(32, 3, 9, 1);
  // Non-linearities
  relu = new torch.nn.ReLU();

  forward(X: Tensor): Tensor {
    let y = this.relu(this.in1(this.conv1(X)));
    y = this.relu(this.in2(this.conv2(y)));
    y = this.relu(this.in3(this.conv3(y)));
    y = this.res1(y);
    y = this.res2(y);
    y = this.res3(y);
    y = this.res4(y);
    y = this.res5(y);
    y = this.relu(this.in4(this.deconv1(y)));
    y = this.relu(this.in5(this.deconv2(y)));
    y = this.deconv3(y);
    return y;
  }
}

// ---------------------------------------------------------------- utils.py

/**
 * An RGB uint8 [3, H, W] image (what PIL's image holds). PIL's ANTIALIAS filter is Lanczos, which
 * torch-node (as torchvision) has only for PIL images: tensors resize bilinear with antialiasing, so
 * a resized image is close to Python's, not equal (an image already of that size is unchanged).
 */
export async function load_image(filename: string, size: number | null = null, scale: number | null = null): Promise<Tensor> {
  let img = await io.readImage(filename, 'RGB');   // Image.open(filename).convert('RGB')
  const resize = transforms.functional.resize;
  if (size !== null) {
    img = resize(img, [size, size]);
  } else if (scale !== null) {
    img = resize(img, [Math.trunc(img.size(1) / scale), Math.trunc(img.size(2) / scale)]);
  }
  return img;
}

export function save_image(filename: string, data: Tensor): void {
  let img = data.clone().clamp(0, 255);
  img = img.to(torch.uint8);   // .numpy().astype("uint8"): truncated toward zero
  io.writePng(img, filename);  // PIL chooses the format by the extension; PNG here
}

export function gram_matrix(y: Tensor): Tensor {
  const [b, ch, h, w] = y.size();
  const features = y.view(b, ch, w * h);
  const features_t = features.transpose(1, 2);
  const gram = features.bmm(features_t).div(ch * h * w);
  return gram;
}

export function normalize_batch(batch: Tensor): Tensor {
  // normalize using imagenet mean and std
  const mean = batch.newTensor([0.485, 0.456, 0.406]).view(-1, 1, 1);
  const std = batch.newTensor([0.229, 0.224, 0.225]).view(-1, 1, 1);
  batch = batch.div_(255.0);
  return batch.sub(mean).div(std);
}

// ---------------------------------------------------------------- vgg.py

/** Python's namedtuple("VggOutputs", ['relu1_2', 'relu2_2', 'relu3_3', 'relu4_3']) */
export type VggOutputs = Tensor[] & { relu1_2: Tensor; relu2_2: Tensor; relu3_3: Tensor; relu4_3: Tensor };

export class Vgg16 extends nn.Module {
  slice1 = new torch.nn.Sequential();
  slice2 = new torch.nn.Sequential();
  slice3 = new torch.nn.Sequential();
  slice4 = new torch.nn.Sequential();

  /** weights: torchvision's IMAGENET1K_V1 as in Python (from torchvision's cache), or null for random ones */
  constructor(requires_grad = false, weights: string | null = 'IMAGENET1K_V1') {
    super();
    const vgg_pretrained_features = models.vgg16({ weights }).features;
    for (let x = 0; x < 4; x++) this.slice1.addModule(String(x), vgg_pretrained_features[x]);
    for (let x = 4; x < 9; x++) this.slice2.addModule(String(x), vgg_pretrained_features[x]);
    for (let x = 9; x < 16; x++) this.slice3.addModule(String(x), vgg_pretrained_features[x]);
    for (let x = 16; x < 23; x++) this.slice4.addModule(String(x), vgg_pretrained_features[x]);
    if (!requires_grad) for (const param of this.parameters()) param.requiresGrad = false;
  }

  forward(X: Tensor): VggOutputs {
    let h = this.slice1(X);
    const h_relu1_2 = h;
    h = this.slice2(h);
    const h_relu2_2 = h;
    h = this.slice3(h);
    const h_relu3_3 = h;
    h = this.slice4(h);
    const h_relu4_3 = h;
    return Object.assign([h_relu1_2, h_relu2_2, h_relu3_3, h_relu4_3], { relu1_2: h_relu1_2, relu2_2: h_relu2_2, relu3_3: h_relu3_3, relu4_3: h_relu4_3 });
  }
}

// ---------------------------------------------------------------- neural_style.py

export interface TrainArgs {
  epochs: number;
  batch_size: number;
  dataset: string;
  style_image: string;
  save_model_dir: string;
  checkpoint_model_dir: string | null;
  image_size: number;
  style_size: number | null;
  seed: number;
  content_weight: number;
  style_weight: number;
  lr: number;
  log_interval: number;
  checkpoint_interval: number;
  /** Vgg16's weights (null: random, for a run without torchvision's cache) */
  vgg_weights: string | null;
}
export const trainDefaults = {
  epochs: 2, batch_size: 4, checkpoint_model_dir: null, image_size: 256, style_size: null, seed: 42, content_weight: 1e5,
  style_weight: 1e10, lr: 1e-3, log_interval: 500, checkpoint_interval: 2000, vgg_weights: 'IMAGENET1K_V1',
};

export interface TrainResult {
  transformer: TransformerNet;
  losses: { content: number; style: number }[];   // per batch
  savePath: string;
}

export async function train(given: Partial<TrainArgs> & Pick<TrainArgs, 'dataset' | 'style_image' | 'save_model_dir'>, print: (line: string) => void = console.log): Promise<TrainResult> {
  const args: TrainArgs = { ...trainDefaults, ...given };
  const device = torch.device('cpu');
  print(`Using device: ${device}`);

  torch.manualSeed(args.seed);   // np.random.seed(args.seed) too in Python; nothing here draws from NumPy

  const transform = new transforms.Compose([
    new transforms.Resize(args.image_size),
    new transforms.CenterCrop(args.image_size),
    new transforms.ToTensor(),
    new transforms.Lambda((x: Tensor) => x.mul(255)),
  ]);
  const train_dataset = new datasets.ImageFolder(args.dataset, transform);
  const train_loader = new DataLoader(train_dataset, { batchSize: args.batch_size });

  const transformer = new TransformerNet().to(device);
  const optimizer = new Adam(transformer.parameters(), args.lr);
  const mse_loss = new torch.nn.MSELoss();

  const vgg = new Vgg16(false, args.vgg_weights).to(device);
  const style_transform = new transforms.Compose([new transforms.ToTensor(), new transforms.Lambda((x: Tensor) => x.mul(255))]);
  let style = await load_image(args.style_image, args.style_size);
  style = style_transform(style);
  style = style.repeat(args.batch_size, 1, 1, 1).to(device);

  const features_style = vgg(normalize_batch(style));
  const gram_style = features_style.map((y) => gram_matrix(y));

  const losses: TrainResult['losses'] = [];
  for (let e = 0; e < args.epochs; e++) {
    transformer.train();
    let agg_content_loss = 0;
    let agg_style_loss = 0;
    let count = 0;
    let batch_id = 0;
    for await (let [x] of train_loader) {
      const n_batch = x.length;
      count += n_batch;
      optimizer.zeroGrad();

      x = x.to(device);
      let y = transformer(x);

      y = normalize_batch(y);
      x = normalize_batch(x);

      const features_y = vgg(y);
      const features_x = vgg(x);

      const content_loss = mse_loss(features_y.relu2_2, features_x.relu2_2).mul(args.content_weight);

      // Python starts from the number 0. and adds tensors to it; a 0-dim zero adds the same
      let style_loss = torch.zeros([]);
      features_y.forEach((ft_y, i) => {
        const gm_y = gram_matrix(ft_y);
        style_loss = style_loss.add(mse_loss(gm_y, gram_style[i].index(torch.slice(null, n_batch), ':', ':')));
      });
      style_loss = style_loss.mul(args.style_weight);

      const total_loss = content_loss.add(style_loss);
      total_loss.backward();
      optimizer.step();

      agg_content_loss += content_loss.item();
      agg_style_loss += style_loss.item();
      losses.push({ content: content_loss.item(), style: style_loss.item() });

      if ((batch_id + 1) % args.log_interval === 0) {
        const mesg = `${new Date().toString()}\tEpoch ${e + 1}:\t[${count}/${train_dataset.length}]\tcontent: ${(agg_content_loss / (batch_id + 1)).toFixed(6)}` +
          `\tstyle: ${(agg_style_loss / (batch_id + 1)).toFixed(6)}\ttotal: ${((agg_content_loss + agg_style_loss) / (batch_id + 1)).toFixed(6)}`;
        print(mesg);
      }

      if (args.checkpoint_model_dir !== null && (batch_id + 1) % args.checkpoint_interval === 0) {
        transformer.eval().cpu();
        const ckpt_model_filename = `ckpt_epoch_${e}_batch_id_${batch_id + 1}.pth`;
        const ckpt_model_path = path.join(args.checkpoint_model_dir, ckpt_model_filename);
        await torch.save(transformer.stateDict(), ckpt_model_path);
        transformer.to(device).train();
      }
      batch_id++;
    }
  }

  // save model
  transformer.eval().cpu();
  const timestamp = new Date().toISOString().slice(0, 19).replace('T', '_').replace(/:/g, '-');
  const save_model_filename = `epoch_${args.epochs}_${timestamp}_${args.content_weight}_${args.style_weight}.model`;
  const save_model_path = path.join(args.save_model_dir, save_model_filename);
  await torch.save(transformer.stateDict(), save_model_path);
  print(`\nDone, trained model saved at ${save_model_path}`);
  return { transformer, losses, savePath: save_model_path };
}

export interface StylizeArgs {
  content_image: string;
  content_scale: number | null;
  output_image: string;
  model: string;
}

export async function stylize(args: StylizeArgs, print: (line: string) => void = console.log): Promise<Tensor> {
  const device = torch.device('cpu');
  print(`Using device: ${device}`);

  let content_image = await load_image(args.content_image, null, args.content_scale);
  const content_transform = new transforms.Compose([new transforms.ToTensor(), new transforms.Lambda((x: Tensor) => x.mul(255))]);
  content_image = content_transform(content_image);
  content_image = content_image.unsqueeze(0).to(device);

  const output = await torch.noGrad(async () => {
    const style_model = new TransformerNet();
    const state_dict = (await torch.load(args.model)) as Record<string, Tensor>;
    // remove saved deprecated running_* keys in InstanceNorm from the checkpoint
    for (const k of Object.keys(state_dict)) if (/in\d+\.running_(mean|var)$/.test(k)) delete state_dict[k];
    style_model.loadStateDict(state_dict);
    style_model.to(device);
    style_model.eval();
    return style_model(content_image).cpu();
  });
  save_image(args.output_image, output.index(0));
  return output;
}

function check_paths(args: Pick<TrainArgs, 'save_model_dir' | 'checkpoint_model_dir'>): void {
  fs.mkdirSync(args.save_model_dir, { recursive: true });
  if (args.checkpoint_model_dir !== null) fs.mkdirSync(args.checkpoint_model_dir, { recursive: true });
}

if (require.main === module) {
  // node fast-neural-style.js train <dataset> <style image> <save dir> | eval <content> <model> <output>
  const [sub, a, b, c] = process.argv.slice(2);
  if (sub === 'train') {
    const args = { dataset: a, style_image: b, save_model_dir: c, checkpoint_model_dir: null };
    check_paths(args);
    void train(args);
  } else {
    void stylize({ content_image: a, content_scale: null, model: b, output_image: c });
  }
}
