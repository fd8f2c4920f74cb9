// The training loop, literally PyTorch's, and the evaluation loop. The progress bar shows the
// running loss and accuracy and the ETA of the epoch.
import * as torch from '../../lib';
import { nn, optim, Tensor } from '../../lib';
import { DataLoader } from '../../lib/data';
import { ProgressBar } from '../../lib/train';

export interface EpochResult {
  loss: number;
  accuracy: number;
}

export interface LoopOptions {
  device?: string;
  /** progress bar label; no bar when undefined */
  label?: string;
  stream?: { write(s: string): unknown; isTTY?: boolean };
  /** modules kept in eval mode while the rest trains (a frozen backbone's batchnorm statistics) */
  frozen?: nn.Module[];
}

export async function trainEpoch(
  model: nn.Module,
  loader: DataLoader,
  criterion: nn.Module,
  optimizer: optim.Optimizer,
  options: LoopOptions = {},
): Promise<EpochResult> {
  model.train();
  for (const m of options.frozen ?? []) m.eval();
  const bar = options.label === undefined ? undefined : new ProgressBar({ total: loader.length, label: options.label, stream: options.stream });
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  let step = 0;
  for await (let [inputs, labels] of loader as AsyncIterable<[Tensor, Tensor]>) {
    if (options.device) [inputs, labels] = [inputs.to(options.device), labels.to(options.device)];
    optimizer.zeroGrad();
    const outputs = model(inputs) as Tensor;
    const loss = criterion(outputs, labels) as Tensor;
    loss.backward();
    optimizer.step();

    const n = labels.size(0);
    lossSum += (loss.item() as number) * n;
    correct += outputs.argmax(1).eq(labels).sum().item() as number;
    seen += n;
    bar?.update(++step, { loss: lossSum / seen, acc: correct / seen });
  }
  const result = { loss: lossSum / seen, accuracy: correct / seen };
  bar?.done(step, { loss: result.loss, acc: result.accuracy });
  return result;
}

/** Mean loss and accuracy over a loader, in eval mode, without building a graph. */
export async function evaluate(model: nn.Module, loader: DataLoader, criterion: nn.Module, device?: string): Promise<EpochResult> {
  model.eval();
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  for await (let [inputs, labels] of loader as AsyncIterable<[Tensor, Tensor]>) {
    if (device) [inputs, labels] = [inputs.to(device), labels.to(device)];
    torch.noGrad(() => {
      const outputs = model(inputs) as Tensor;
      lossSum += ((criterion(outputs, labels) as Tensor).item() as number) * labels.size(0);
      correct += outputs.argmax(1).eq(labels).sum().item() as number;
      seen += labels.size(0);
    });
  }
  return { loss: lossSum / seen, accuracy: correct / seen };
}
