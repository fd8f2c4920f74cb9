// A layer of your own: MyLinear holds its weight and bias as nn.Parameter (registered, trainable,
// in the state_dict) and learns y = 3x - 1 with the PyTorch loop.
// Run: node dist/examples/my-linear.js
import * as torch from '../lib';
import { nn, optim, Tensor } from '../lib';

export class MyLinear extends nn.Module {
  weight: nn.Parameter;
  bias: nn.Parameter;

  constructor(inFeatures: number, outFeatures: number) {
    super();
    this.weight = new nn.Parameter(torch.randn(inFeatures, outFeatures));
    this.bias = new nn.Parameter(torch.randn(outFeatures));
  }

  forward(input: Tensor): Tensor {
    return input.matmul(this.weight).add(this.bias);
  }
}

export function main(steps = 200, log: (line: string) => void = console.log): { weight: number; bias: number; loss: number } {
  torch.manualSeed(0);
  const model = new MyLinear(1, 1);
  log(`parameters: ${[...model.namedParameters()].map(([n, p]) => `${n} ${JSON.stringify(p.shape)} requiresGrad=${p.requiresGrad}`).join(', ')}`);
  const x = torch.linspace(-1, 1, 64).unsqueeze(1);
  const y = x.mul(3).sub(1);
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
  const criterion = new nn.MSELoss();
  let loss = torch.zeros(1);
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    loss = criterion(model(x), y);
    loss.backward();
    optimizer.step();
  }
  const result = { weight: model.weight.item() as number, bias: model.bias.item() as number, loss: loss.item() as number };
  log(`after ${steps} steps: weight ${result.weight.toFixed(4)} (3), bias ${result.bias.toFixed(4)} (-1), loss ${result.loss.toExponential(2)}`);
  log(`state_dict keys: ${Object.keys(model.stateDict()).join(', ')}`);
  return result;
}

if (require.main === module) main();
