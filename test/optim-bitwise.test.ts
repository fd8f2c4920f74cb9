// Optimizer steps in float32 are bit-identical to PyTorch 1.13's (the same libtorch kernels in the
// same order): a literal port of a training script reproduces Python's numbers exactly, not only
// to a tolerance. optim-oracle.test.ts checks every option in float64 to 1e-10; this catches an
// update that rounds differently (a fused momentum update drifted by 1e-7 a step).
import * as torch from '../lib';
import { runPython } from './helpers/python';

const { optim } = torch;
const N = 4096;
const STEPS = 5;
/** [optimizer, options here, Python kwargs] */
const CONFIGS: [string, Record<string, unknown>, string][] = [
  ['SGD', { lr: 0.1, momentum: 0.9 }, 'lr=0.1, momentum=0.9'],
  ['SGD', { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4 }, 'lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4'],
  ['SGD', { lr: 0.1, momentum: 0.5, dampening: 0.1 }, 'lr=0.1, momentum=0.5, dampening=0.1'],
  ['Adam', { lr: 1e-3 }, 'lr=1e-3'],
  ['Adam', { lr: 1e-3, weightDecay: 0.01, amsgrad: true }, 'lr=1e-3, weight_decay=0.01, amsgrad=True'],
  ['AdamW', { lr: 1e-3 }, 'lr=1e-3'],
  ['RMSprop', { lr: 1e-3, momentum: 0.9 }, 'lr=1e-3, momentum=0.9'],
  ['Adagrad', { lr: 0.01 }, 'lr=0.01'],
  ['Adadelta', {}, ''],
  ['Adamax', {}, ''],
  ['NAdam', {}, ''],
];

// Parameters and gradients from float64 formulas cast to float32: the same bits on both sides.
const start = () => torch.sin(torch.arange(N, { dtype: torch.float64 }).mul(0.37)).float();
const gradAt = (step: number) => torch.cos(torch.arange(N, { dtype: torch.float64 }).mul(0.11 + step)).float();

const PY = runPython<number[][]>(`
def run(cls, kwargs):
    p = torch.sin(torch.arange(${N}, dtype=torch.float64) * 0.37).float().requires_grad_()
    opt = cls([p], **kwargs)
    for step in range(${STEPS}):
        p.grad = torch.cos(torch.arange(${N}, dtype=torch.float64) * (0.11 + step)).float()
        opt.step()
    return p.detach().tolist()
result = [${CONFIGS.map(([name, , py]) => `run(torch.optim.${name}, dict(${py}))`).join(', ')}]
`);

test.each(CONFIGS.map((c, i) => [c[0], c[2], c[1], i] as const))('%s(%s): float32 steps bit-identical to PyTorch', (name, _py, options, i) => {
  const p = new torch.nn.Parameter(start());
  const Cls = (optim as unknown as Record<string, new (ps: torch.Tensor[], o: object) => torch.optim.Optimizer>)[name];
  const opt = new Cls([p], options);
  for (let step = 0; step < STEPS; step++) {
    p.grad = gradAt(step);
    opt.step();
  }
  const got = p.detach().tolist() as number[];
  const differing = got.filter((v, j) => v !== PY[i][j]).length;
  expect(differing).toBe(0);
});
