// Checkpoints across languages, both ways: Python trains 3 steps and saves {epoch, model_state_dict,
// optimizer_state_dict, loss}; torch-node loads it and resumes; then torch-node saves one and Python
// resumes it. Each side also continues without the round trip: the weights must agree.
// Needs a Python with torch (TORCH_NODE_PYTHON, python3 or /usr/bin/python3).
// Run: node dist/examples/checkpoint-interop.js
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn, optim, Tensor } from '../lib';

function python(): string {
  for (const py of [process.env.TORCH_NODE_PYTHON, 'python3', '/usr/bin/python3']) {
    if (!py) continue;
    try {
      execFileSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
      return py;
    } catch {
      // no torch there
    }
  }
  throw new Error('no Python with torch found (install python3-torch or set TORCH_NODE_PYTHON)');
}

/** Runs Python code that prints one JSON value last. */
function runPython<T>(code: string): T {
  const out = execFileSync(python(), ['-c', code]).toString().trim().split('\n');
  return JSON.parse(out[out.length - 1]) as T;
}

const PY_SETUP = `
import json, torch
from torch import nn
torch.set_num_threads(1)
torch.manual_seed(0)
x = torch.randn(16, 4); y = torch.randn(16, 2)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
def step():
    optimizer.zero_grad(); loss = nn.functional.mse_loss(model(x), y); loss.backward(); optimizer.step(); return loss.item()
def weights():
    return [v for p in model.parameters() for v in p.detach().reshape(-1).tolist()]
`;

function setup() {
  torch.manualSeed(0);
  const x = torch.randn(16, 4);
  const y = torch.randn(16, 2);
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 2));
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
  const criterion = new nn.MSELoss();
  const step = (): number => {
    optimizer.zeroGrad();
    const loss = criterion(model(x), y);
    loss.backward();
    optimizer.step();
    return loss.item() as number;
  };
  const weights = () => [...model.parameters()].flatMap((p) => Array.from(p.detach().reshape(-1).toTypedArray() as Float32Array));
  return { model, optimizer, step, weights };
}

const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

export interface InteropResult {
  pythonToNode: number;
  nodeToPython: number;
}

export async function main(log: (line: string) => void = console.log): Promise<InteropResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkpoint-'));
  try {
    // 1. Python saves after 3 steps, then goes on for 2 more
    const fromPython = path.join(dir, 'python.pt');
    const pyAfter5 = runPython<number[]>(`${PY_SETUP}
for _ in range(3): loss = step()
torch.save({'epoch': 3, 'model_state_dict': model.state_dict(), 'optimizer_state_dict': optimizer.state_dict(), 'loss': loss}, ${JSON.stringify(fromPython)})
for _ in range(2): step()
print(json.dumps(weights()))`);
    // torch-node resumes from the file: the PyTorch tutorial's resume recipe
    const a = setup();
    const checkpoint = (await torch.load(fromPython, { weightsOnly: true })) as {
      epoch: number; model_state_dict: Record<string, Tensor>; optimizer_state_dict: optim.OptimizerStateDict; loss: number;
    };
    a.model.loadStateDict(checkpoint.model_state_dict);
    a.optimizer.loadStateDict(checkpoint.optimizer_state_dict);
    a.model.train();
    log(`loaded Python's checkpoint: epoch ${checkpoint.epoch}, loss ${checkpoint.loss.toFixed(6)}`);
    for (let i = 0; i < 2; i++) a.step();
    const pythonToNode = maxDiff(a.weights(), pyAfter5);
    log(`resumed here for 2 steps: max |difference| from Python's own 2 steps ${pythonToNode.toExponential(2)}`);

    // 2. torch-node saves after 3 steps; Python resumes
    const fromNode = path.join(dir, 'node.pt');
    const b = setup();
    let loss = 0;
    for (let i = 0; i < 3; i++) loss = b.step();
    await torch.save({ epoch: 3, model_state_dict: b.model.stateDict(), optimizer_state_dict: b.optimizer.stateDict(), loss }, fromNode);
    for (let i = 0; i < 2; i++) b.step();
    // PyTorch 1.13's weights_only loader has no opcode for Python floats (2.x has): 1.13 loads it in full
    const pyResumed = runPython<number[]>(`${PY_SETUP}
c = torch.load(${JSON.stringify(fromNode)}, weights_only=torch.__version__ >= '2')
model.load_state_dict(c['model_state_dict']); optimizer.load_state_dict(c['optimizer_state_dict'])
for _ in range(2): step()
print(json.dumps(weights()))`);
    const nodeToPython = maxDiff(pyResumed, b.weights());
    log(`Python resumed our checkpoint for 2 steps: max |difference| from ours ${nodeToPython.toExponential(2)}`);
    return { pythonToNode, nodeToPython };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) main().catch((e: Error) => {
  console.error(`error: ${e.message}`);
  process.exitCode = 1;
});
