// PyTorch's first nn.Module example, line by line: a model with two conv layers, called like a
// function, its modules() and its state_dict printed.
// Run: node dist/examples/my-model.js
import * as torch from '../lib';
import { nn, Tensor } from '../lib';

export class MyModel extends nn.Module {
  conv1 = new nn.Conv2d(1, 20, 5);
  conv2 = new nn.Conv2d(20, 20, 5);

  forward(x: Tensor): Tensor {
    x = torch.relu(this.conv1(x));
    return torch.relu(this.conv2(x));
  }
}

export function main(log: (line: string) => void = console.log): { output: number[]; stateDict: Record<string, number[]> } {
  torch.manualSeed(0);
  const model = new MyModel();
  log(String(model));
  for (const m of model.modules()) log(`module: ${m._getName()}`);
  const sd = model.stateDict();
  for (const [name, t] of Object.entries(sd)) log(`${name}\t${JSON.stringify(t.shape)}`);
  const output = model(torch.randn(1, 1, 28, 28));
  log(`output shape ${JSON.stringify(output.shape)}`);
  return { output: output.shape, stateDict: Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, t.shape])) };
}

if (require.main === module) main();
