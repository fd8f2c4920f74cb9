// Sequence layers, PyTorch vs torch-node in one run (float32, BENCH_THREADS threads, default 1):
// (a) LSTM(64, 128, 2) forward+backward on (35, 16, 64); (b) GRU(64, 128, bidirectional) forward+
// backward; (c) a 2-layer batch_first TransformerEncoder (d_model 64, 4 heads, ff 128) training
// forward+backward on (16, 32, 64); (d) the same encoder in eval under no_grad with a key padding
// mask (PyTorch's fused/nested inference kernels). Prints ms per call (best of repeats, CPU time)
// and the ratio torch-node / PyTorch.
import * as torch from '../lib';
import { nn } from '../lib';
import { runPythonJson } from './python';

const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const ITERS = Number(process.env.BENCH_STEPS ?? 30);
const REPEATS = 5;
const LABELS = ['LSTM(64,128,2) fwd+bwd', 'GRU(64,128,bidir) fwd+bwd', 'TransformerEncoder train fwd+bwd', 'TransformerEncoder eval no_grad + kpm'];

const PYTHON = `
import json, time, torch
from torch import nn
from torch_threads import set_threads; set_threads(${THREADS})
torch.manual_seed(0)
def timed(step):
    for _ in range(5): step()
    best = float('inf')
    for _ in range(${REPEATS}):
        c0 = time.process_time()
        for _ in range(${ITERS}): step()
        best = min(best, (time.process_time() - c0) / ${ITERS})
    return best * 1e3
lstm = nn.LSTM(64, 128, 2); x = torch.randn(35, 16, 64)
gru = nn.GRU(64, 128, bidirectional=True)
enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(64, 4, 128, batch_first=True), 2); s = torch.randn(16, 32, 64)
kpm = torch.zeros(16, 32, dtype=torch.bool); kpm[:, 24:] = True
def infer():
    with torch.no_grad(): enc(s, src_key_padding_mask=kpm)
r = [timed(lambda: lstm(x)[0].sum().backward()), timed(lambda: gru(x)[0].sum().backward()),
     timed(lambda: enc(s).sum().backward())]
enc.eval()
r.append(timed(infer))
print(json.dumps(r))
`;

function timed(step: () => void): number {
  for (let i = 0; i < 5; i++) step();
  let best = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < ITERS; i++) step();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1e3 / ITERS);
  }
  return best;
}

function main(): void {
  torch.setNumThreads(THREADS);
  const py = runPythonJson<number[]>(PYTHON);
  torch.manualSeed(0);
  const lstm = new nn.LSTM(64, 128, 2);
  const x = torch.randn([35, 16, 64]);
  const gru = new nn.GRU(64, 128, { bidirectional: true });
  const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(64, 4, 128, { batchFirst: true }), 2);
  const s = torch.randn([16, 32, 64]);
  const kpm = torch.zeros([16, 32], { dtype: torch.bool });
  kpm.narrow(1, 24, 8).fill_(true);
  const mine = [
    timed(() => lstm(x)[0].sum().backward()),
    timed(() => gru(x)[0].sum().backward()),
    timed(() => enc(s).sum().backward()),
  ];
  enc.eval();
  mine.push(timed(() => torch.noGrad(() => enc(s, { srcKeyPaddingMask: kpm }))));
  LABELS.forEach((label, i) => {
    console.log(`${label.padEnd(40)} PyTorch ${py[i].toFixed(2)} ms  torch-node ${mine[i].toFixed(2)} ms  ratio ${(mine[i] / py[i]).toFixed(2)}`);
  });
}

main();
