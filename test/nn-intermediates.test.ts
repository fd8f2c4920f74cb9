// Containers free a forward's intermediates as soon as they are consumed (lib/nn/intermediates.ts),
// but never one that user code could still hold: what went through a user-written module or a hook,
// the forward's input, its output.
import * as torch from '../lib';
import { nn, Tensor } from '../lib';
import { models } from '../lib/vision';

const live = () => torch.memory().liveTensors;

/** Live tensors a call leaves behind besides its result (0: every intermediate was freed). */
function leftBehind(fn: () => unknown): number {
  const before = live();
  const out = torch.noGrad(fn);
  return live() - before - (out instanceof Tensor ? 1 : 0);
}

class Stash extends nn.Module {
  seen: Tensor[] = [];
  forward(x: Tensor): Tensor {
    this.seen.push(x);
    const y = x.mul(2);
    this.seen.push(y);
    return y;
  }
}

describe('a Sequential of library layers frees its intermediates', () => {
  test('nothing is left for the GC, and the input and output stay usable', () => {
    const seq = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 16), new nn.Tanh(), new nn.Linear(16, 4));
    const x = torch.randn(3, 8);
    let y!: Tensor;
    expect(leftBehind(() => (y = seq(x)))).toBe(0);
    expect(x.isDisposed).toBe(false);
    expect(y.shape).toEqual([3, 4]);
  });

  test('in-place layers and Identity pass the caller\'s tensor through without freeing it', () => {
    const x = torch.randn(3, 4);
    const seq = new nn.Sequential(new nn.ReLU({ inplace: true }), new nn.Identity(), new nn.Linear(4, 2));
    seq(x);
    expect(x.isDisposed).toBe(false);
    const passThrough = new nn.Sequential(new nn.Sequential(new nn.Identity()), new nn.Linear(4, 2));
    passThrough(x);
    expect(x.isDisposed).toBe(false);
  });

  test('an in-place ATen op returns the tensor passed in and leaves no second handle', () => {
    const x = torch.randn(5);
    const before = live();
    expect(nn.functional.relu(x, { inplace: true })).toBe(x);
    expect(live()).toBe(before);
  });

  test('gradients are those of the same layers composed by hand', () => {
    torch.manualSeed(0);
    const layers = [new nn.Conv2d(2, 4, 3), new nn.BatchNorm2d(4), new nn.ReLU({ inplace: true }), new nn.Conv2d(4, 3, 3), new nn.Flatten(), new nn.Linear(48, 2)];
    const seq = new nn.Sequential(...layers);
    const x = torch.randn(2, 2, 8, 8);
    seq(x).square().sum().backward();
    const viaSequential = [...seq.parameters()].map((p) => p.grad!.clone());
    seq.zeroGrad();
    let h: Tensor = x;
    for (const layer of layers) h = layer.forward(h); // forward() directly: nothing is freed early
    h.square().sum().backward();
    [...seq.parameters()].forEach((p, i) => expect(p.grad!.equal(viaSequential[i])).toBe(true));
  });

  test('what autograd saved survives: a second backward over the retained graph, and a gradient of a gradient', () => {
    torch.manualSeed(0);
    const seq = new nn.Sequential(new nn.Linear(3, 8), new nn.Tanh(), new nn.Linear(8, 8), new nn.Sigmoid(), new nn.Linear(8, 1));
    const x = torch.randn(4, 3, { requiresGrad: true });
    const y = seq(x).sum();
    y.backward(null, { retainGraph: true });
    const once = x.grad!.clone();
    y.backward();
    expect(x.grad!.allclose(once.mul(2))).toBe(true);
    const [gx] = torch.autograd.grad(seq(x).sum(), x, { createGraph: true });
    const [ggx] = torch.autograd.grad(gx!.square().sum(), x);
    let h: Tensor = x;
    for (const layer of seq) h = layer.forward(h); // the same without early frees
    const [hx] = torch.autograd.grad(h.sum(), x, { createGraph: true });
    expect(ggx!.equal(torch.autograd.grad(hx!.square().sum(), x)[0]!)).toBe(true);
  });

  test('inside torch.tidy: intermediates freed early are not freed twice, and the result is kept', () => {
    const seq = new nn.Sequential(new nn.Linear(4, 4), new nn.ReLU(), new nn.Linear(4, 2));
    const before = live();
    const out = torch.tidy(() => seq(torch.randn(3, 4)));
    expect(out.isDisposed).toBe(false);
    expect(live() - before).toBe(1);
  });
});

describe('what user code may hold is never freed', () => {
  test('tensors that went into or came out of a user-written module', () => {
    const stash = new Stash();
    const seq = new nn.Sequential(new nn.Linear(4, 4), stash, new nn.Linear(4, 4), new nn.ReLU());
    seq(torch.randn(2, 4));
    expect(stash.seen.map((t) => t.isDisposed)).toEqual([false, false]);
    expect(stash.seen[0].sum().item()).toEqual(expect.any(Number));
  });

  test('a user subclass of a library layer counts as user code', () => {
    class KeepOutput extends nn.Linear {
      last: Tensor | null = null;
      forward(x: Tensor): Tensor {
        return (this.last = super.forward(x));
      }
    }
    const keep = new KeepOutput(4, 4);
    new nn.Sequential(keep, new nn.ReLU(), new nn.Linear(4, 1))(torch.randn(2, 4));
    expect(keep.last!.isDisposed).toBe(false);
  });

  test('what forward hooks and pre-hooks were handed', () => {
    const seen: Tensor[] = [];
    const a = new nn.Linear(4, 4), b = new nn.ReLU(), c = new nn.Linear(4, 4), d = new nn.Tanh();
    a.registerForwardHook((_m, _in, out) => void seen.push(out as Tensor));
    d.registerForwardPreHook((_m, input) => void seen.push(input[0] as Tensor));
    new nn.Sequential(a, b, c, d, new nn.Linear(4, 1))(torch.randn(2, 4));
    expect(seen.map((t) => t.isDisposed)).toEqual([false, false]);
  });

  test('feature maps taken with a hook inside a torchvision ResNet', () => {
    torch.manualSeed(0);
    const model = models.resnet18({ numClasses: 10 }).eval();
    const features: Tensor[] = [];
    (model.layer1[0] as InstanceType<typeof models.BasicBlock>).bn1.registerForwardHook((_m, _in, out) => void features.push(out as Tensor));
    model.layer2.registerForwardHook((_m, _in, out) => void features.push(out as Tensor));
    torch.noGrad(() => model(torch.randn(1, 3, 64, 64)));
    expect(features.map((t) => t.isDisposed)).toEqual([false, false]);
    expect(features[1].shape).toEqual([1, 128, 8, 8]);
  });
});

// Upper bounds: a scavenge during the pass could only lower the count. Before the early frees, one
// pass left 60 (resnet18), 65 (squeezenet1_1) and 37 (mobilenetV2) handles for the GC.
test.each([
  // the avgpool output and its flattened view
  ['resnet18', 2],
  // the eight Fire modules' concatenations (made by an op, not a layer) and the head's output
  ['squeezenet1_1', 10],
  // the ten residual sums (ops too), the pooled features and their flattened view
  ['mobilenetV2', 15],
])('a torchvision %s leaves only a few small handles per pass for the GC', (name, most) => {
  torch.manualSeed(0);
  const model = (models as unknown as Record<string, (o: object) => nn.Module>)[name]({ numClasses: 10 }).eval();
  const x = torch.randn(1, 3, 64, 64);
  model(x);
  expect(leftBehind(() => model(x))).toBeLessThanOrEqual(most);
});
