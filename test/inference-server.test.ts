// The inference server example end to end on loopback: concurrent requests in JSON, raw bytes and
// PGM are micro-batched and answered as the model (and PyTorch with the same .pt) answers; bad
// requests get 400 with a message and the server keeps serving.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as http from 'http';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { datasets } from '../lib/vision';
import { FashionCNN, PYTHON_MODEL } from '../examples/fashion-mnist/model';
import { startServer, RunningServer } from '../examples/inference-server';
import { runPython } from './helpers/python';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-'));
const weights = path.join(tmp, 'model.pt');
let server: RunningServer;
let model: FashionCNN;
const N = 24;
let images: Uint8Array[];

beforeAll(async () => {
  torch.manualSeed(7);
  model = new FashionCNN();
  torch.saveSync(model.stateDict(), weights);
  model.eval();
  const test = new datasets.FashionMNIST({ train: false });
  images = Array.from({ length: N }, (_, i) => new Uint8Array(test.getItem(i)[0].toTypedArray() as Uint8Array));
  server = await startServer({ weights, maxBatch: 8, maxDelayMs: 30 });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: { class?: number; label?: string; confidence?: number; probabilities?: number[]; error?: string; requests?: number; batches?: number; largestBatch?: number };
}

function request(method: string, route: string, body?: Buffer | string, type = 'application/octet-stream', url = server.url): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${route}`, { method, agent: false, headers: body === undefined ? {} : { 'content-type': type } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const pgm = (pixels: Uint8Array, header = 'P5\n# a comment\n28 28\n255\n') => Buffer.concat([Buffer.from(header), Buffer.from(pixels)]);

test('concurrent JSON, raw and PGM requests are micro-batched and answered as the model answers', async () => {
  const replies = await Promise.all(
    images.map((img, i) =>
      i % 3 === 0
        ? request('POST', '/predict', JSON.stringify({ image: Array.from(img) }), 'application/json')
        : i % 3 === 1
          ? request('POST', '/predict', Buffer.from(img))
          : request('POST', '/predict', pgm(img), 'image/x-portable-graymap'),
    ),
  );
  const batch = torch.stack(images.map((img) => torch.tensor(Float32Array.from(img)).div(255).view(1, 28, 28)));
  const probs = torch.noGrad(() => (model(batch) as Tensor).softmax(1));
  const expectedProbs = probs.tolist() as number[][];
  const pyClasses = runPython<number[]>(`
${PYTHON_MODEL}
m = FashionCNN(); m.load_state_dict(torch.load(${JSON.stringify(weights)}, weights_only=True)); m.eval()
x = torch.tensor(${JSON.stringify(images.map((img) => Array.from(img)))}, dtype=torch.float32).div(255).view(-1, 1, 28, 28)
with torch.no_grad(): result = m(x).argmax(1).tolist()
`);
  replies.forEach((r, i) => {
    expect(r.status).toBe(200);
    expect(r.body.class).toBe(pyClasses[i]);
    expect(r.body.probabilities!.length).toBe(10);
    r.body.probabilities!.forEach((p, k) => expect(p).toBeCloseTo(expectedProbs[i][k], 5));
    expect(r.body.confidence).toBe(Math.max(...r.body.probabilities!));
    expect(typeof r.body.label).toBe('string');
  });
  const health = await request('GET', '/health');
  expect(health.body.requests).toBe(N);
  expect(health.body.batches).toBeLessThan(N); // shared forward passes
  expect(health.body.largestBatch).toBeGreaterThan(1);
  expect(health.body.largestBatch).toBeLessThanOrEqual(8);
});

test('bad requests get 400 with a message, and the server stays up', async () => {
  const cases: [Buffer | string, string, RegExp][] = [
    ['{"image": [1, 2', 'application/json', /^invalid JSON/],
    ['{"pixels": []}', 'application/json', /JSON body must be \{"image": \[\.\.\.\]\}/],
    [JSON.stringify({ image: [1, 2, 3] }), 'application/json', /image must have 784 pixels, got 3/],
    [JSON.stringify({ image: Array(784).fill(300) }), 'application/json', /pixel values must be numbers from 0 to 255/],
    [Buffer.alloc(100), 'application/octet-stream', /raw image must be 784 bytes .* got 100 bytes/],
    [pgm(images[0], 'P5 32 32 255\n'), 'image/x-portable-graymap', /PGM image must be 28x28, got 32x32/],
    [pgm(images[0].subarray(0, 700)), 'image/x-portable-graymap', /PGM has 700 pixel bytes, expected 784/],
    [Buffer.alloc(2 << 20), 'application/octet-stream', /body larger than/],
  ];
  for (const [body, type, message] of cases) {
    const r = await request('POST', '/predict', body, type);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(message);
  }
  expect((await request('GET', '/predict')).status).toBe(405);
  const missing = await request('POST', '/nope', Buffer.from(images[0]));
  expect(missing.status).toBe(404);
  expect(missing.body.error).toMatch(/use POST \/predict/);
  const ok = await request('POST', '/predict', Buffer.from(images[5]));
  expect(ok.status).toBe(200);
});

test('a TorchScript module traced in Python is served too (its forward on the libuv pool), with its outputs', async () => {
  const scriptFile = path.join(tmp, 'traced.pt');
  const x = images.slice(0, 6).map((img) => Array.from(img));
  const want = runPython<number[][]>(`
${PYTHON_MODEL}
torch.manual_seed(3)
m = FashionCNN().eval()
torch.jit.trace(m, torch.zeros(1, 1, 28, 28)).save(${JSON.stringify(scriptFile)})
x = torch.tensor(${JSON.stringify(x)}, dtype=torch.float32).div(255).view(-1, 1, 28, 28)
with torch.no_grad(): result = m(x).softmax(1).tolist()
`);
  const scripted = await startServer({ weights: scriptFile, maxBatch: 4, maxDelayMs: 30 });
  try {
    const replies = await Promise.all(x.map((img) => request('POST', '/predict', Buffer.from(img), undefined, scripted.url)));
    replies.forEach((r, i) => {
      expect(r.status).toBe(200);
      r.body.probabilities!.forEach((p, k) => expect(p).toBeCloseTo(want[i][k], 6));
    });
    expect(scripted.stats.largestBatch).toBeGreaterThan(1);
  } finally {
    await scripted.close();
  }
});
