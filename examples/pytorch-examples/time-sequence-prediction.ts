// pytorch/examples time_sequence_prediction/train.py, line by line: two LSTMCells and a Linear in
// double precision learn sine waves with LBFGS (a closure per step), then predict `future` steps.
// generate_sine_wave.py draws its phases with NumPy's random generator, which has no JavaScript
// counterpart: run it in Python; its traindata.pt (a pickled NumPy array) loads here as a tensor.
// The matplotlib plot of each step's prediction is not ported.
// Run: node dist/examples/pytorch-examples/time-sequence-prediction.js (traindata.pt in the folder)
import * as torch from '../../lib';
import { nn, optim, Tensor } from '../../lib';

export class Sequence extends nn.Module {
  lstm1 = new nn.LSTMCell(1, 51);
  lstm2 = new nn.LSTMCell(51, 51);
  linear = new nn.Linear(51, 1);

  forward(input: Tensor, future = 0): Tensor {
    const outputs: Tensor[] = [];
    let h_t = torch.zeros(input.size(0), 51, { dtype: torch.double });
    let c_t = torch.zeros(input.size(0), 51, { dtype: torch.double });
    let h_t2 = torch.zeros(input.size(0), 51, { dtype: torch.double });
    let c_t2 = torch.zeros(input.size(0), 51, { dtype: torch.double });

    let output!: Tensor;
    for (const input_t of input.split(1, { dim: 1 })) {
      [h_t, c_t] = this.lstm1(input_t, [h_t, c_t]);
      [h_t2, c_t2] = this.lstm2(h_t, [h_t2, c_t2]);
      output = this.linear(h_t2);
      outputs.push(output);   // outputs += [output]
    }
    for (let i = 0; i < future; i++) {   // if we should predict the future
      [h_t, c_t] = this.lstm1(output, [h_t, c_t]);
      [h_t2, c_t2] = this.lstm2(h_t, [h_t2, c_t2]);
      output = this.linear(h_t2);
      outputs.push(output);   // outputs += [output]
    }
    return torch.cat(outputs, { dim: 1 });
  }
}

export interface Options {
  steps: number;
  /** the file generate_sine_wave.py wrote */
  data: string;
  /** how far the test prediction runs (1000 in Python) */
  future: number;
}

export interface SequenceResult {
  seq: Sequence;
  losses: number[];       // every closure evaluation's loss
  testLosses: number[];   // one per step
  prediction: Tensor;     // the last step's pred, as plotted
}

export async function main(options: Partial<Options> = {}, print: (...args: unknown[]) => void = console.log): Promise<SequenceResult> {
  const opt: Options = { steps: 15, data: 'traindata.pt', future: 1000, ...options };
  // set random seed to 0 (np.random.seed(0) too in Python; nothing here draws from NumPy)
  torch.manualSeed(0);
  // load data and make training set
  const data = (await torch.load(opt.data)) as Tensor;
  const input = torch.fromNumpy(data.index(torch.slice(3), torch.slice(null, -1)));
  const target = torch.fromNumpy(data.index(torch.slice(3), torch.slice(1)));
  const test_input = torch.fromNumpy(data.index(torch.slice(null, 3), torch.slice(null, -1)));
  const test_target = torch.fromNumpy(data.index(torch.slice(null, 3), torch.slice(1)));
  // build the model
  const seq = new Sequence();
  seq.double();
  const criterion = new nn.MSELoss();
  // use LBFGS as optimizer since we can load the whole data to train
  const optimizer = new optim.LBFGS(seq.parameters(), { lr: 0.8 });
  const losses: number[] = [];
  const testLosses: number[] = [];
  let prediction!: Tensor;
  // begin to train
  for (let i = 0; i < opt.steps; i++) {
    print('STEP: ', i);
    const closure = () => {
      optimizer.zeroGrad();
      const out = seq(input);
      const loss = criterion(out, target);
      print('loss:', loss.item());
      losses.push(loss.item());
      loss.backward();
      return loss;
    };
    optimizer.step(closure);
    // begin to predict, no need to track gradient here
    torch.noGrad(() => {
      const future = opt.future;
      const pred = seq(test_input, future);
      const loss = criterion(pred.index(':', torch.slice(null, -future)), test_target);
      print('test loss:', loss.item());
      testLosses.push(loss.item());
      prediction = pred.detach();
    });
  }
  return { seq, losses, testLosses, prediction };
}

if (require.main === module) void main();
