// pytorch/examples time_sequence_prediction ported line by line (examples/pytorch-examples/
// time-sequence-prediction.ts), against the Python original: generate_sine_wave.py writes a small
// traindata.pt (10 waves of 100 points) in Python, then both train 3 LBFGS steps in float64 and
// predict 50 steps ahead: every closure's loss, the test losses, the prediction and the state_dict.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main, SequenceResult } from '../examples/pytorch-examples/time-sequence-prediction';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';

const close = closeWithin(1e-9);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsp-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const DATA = path.join(dir, 'traindata.pt');
const STEPS = 3;
const FUTURE = 50;

// generate_sine_wave.py with N = 10 waves of L = 100 points
const GENERATE = `
import numpy as np
np.random.seed(2)
T = 20
L = 100
N = 10
x = np.empty((N, L), 'int64')
x[:] = np.array(range(L)) + np.random.randint(-4 * T, 4 * T, N).reshape(N, 1)
data = np.sin(x / 1.0 / T).astype('float64')
torch.save(data, open(DATA, 'wb'))
result = list(data.shape)
`;

// train.py with steps = STEPS and future = FUTURE; printed lines collected, the plot left out
const TRAIN = `
import numpy as np
import torch.nn as nn
import torch.optim as optim
class Sequence(nn.Module):
    def __init__(self):
        super(Sequence, self).__init__()
        self.lstm1 = nn.LSTMCell(1, 51)
        self.lstm2 = nn.LSTMCell(51, 51)
        self.linear = nn.Linear(51, 1)
    def forward(self, input, future = 0):
        outputs = []
        h_t = torch.zeros(input.size(0), 51, dtype=torch.double)
        c_t = torch.zeros(input.size(0), 51, dtype=torch.double)
        h_t2 = torch.zeros(input.size(0), 51, dtype=torch.double)
        c_t2 = torch.zeros(input.size(0), 51, dtype=torch.double)
        for input_t in input.split(1, dim=1):
            h_t, c_t = self.lstm1(input_t, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        for i in range(future):
            h_t, c_t = self.lstm1(output, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        outputs = torch.cat(outputs, dim=1)
        return outputs
LOG = []
np.random.seed(0)
torch.manual_seed(0)
data = torch.load(DATA)
input = torch.from_numpy(data[3:, :-1])
target = torch.from_numpy(data[3:, 1:])
test_input = torch.from_numpy(data[:3, :-1])
test_target = torch.from_numpy(data[:3, 1:])
seq = Sequence()
seq.double()
criterion = nn.MSELoss()
optimizer = optim.LBFGS(seq.parameters(), lr=0.8)
losses, test_losses = [], []
for i in range(STEPS):
    LOG.append(['STEP: ', i])
    def closure():
        optimizer.zero_grad()
        out = seq(input)
        loss = criterion(out, target)
        LOG.append(['loss:', loss.item()])
        loss.backward()
        return loss
    optimizer.step(closure)
    with torch.no_grad():
        future = FUTURE
        pred = seq(test_input, future=future)
        loss = criterion(pred[:, :-future], test_target)
        LOG.append(['test loss:', loss.item()])
        y = pred.detach().numpy()
result = dict(log=LOG, pred=y.tolist(), state_dict={k: v.reshape(-1).tolist() for k, v in seq.state_dict().items()})
`;

let ours: SequenceResult;
const log: unknown[][] = [];
let py: { log: [string, number][]; pred: number[][]; state_dict: Record<string, number[]> };

beforeAll(async () => {
  expect(runPython(`DATA = ${JSON.stringify(DATA)}\n${GENERATE}`)).toEqual([10, 100]);
  ours = await main({ steps: STEPS, data: DATA, future: FUTURE }, (...a) => log.push(a));
  py = runPython(`DATA = ${JSON.stringify(DATA)}\nSTEPS = ${STEPS}\nFUTURE = ${FUTURE}\n${TRAIN}`);
}, 300000);

test('every closure evaluation and every test loss equal Python\'s (LBFGS, float64)', () => {
  expect(log.map((l) => l[0])).toEqual(py.log.map((l) => l[0]));
  expect(ours.losses.length).toBeGreaterThan(STEPS * 5);
  close(log.map((l) => l[1]), py.log.map((l) => l[1]));
  expect(ours.testLosses.length).toBe(STEPS);
});

test('the prediction 50 steps ahead and the trained state_dict equal Python\'s', () => {
  expect(ours.prediction.shape).toEqual([3, 99 + FUTURE]);
  close(ours.prediction.tolist(), py.pred);
  const sd = ours.seq.stateDict();
  expect(Object.keys(sd)).toEqual(Object.keys(py.state_dict));
  for (const [k, v] of Object.entries(sd)) close(Array.from(v.reshape(-1).toTypedArray() as Float64Array), py.state_dict[k], 1e-9, k);
});
