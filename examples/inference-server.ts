// Serves the main job's model over HTTP: POST /predict with JSON {"image": [...784 pixels 0-255]},
// raw 28x28 grayscale bytes or a binary PGM. Concurrent requests are micro-batched into one forward.
// --weights takes the state_dict or the TorchScript module the main job saves (or one traced in
// Python); a TorchScript forward runs on the libuv pool, so requests keep arriving meanwhile.
// Run: node dist/examples/inference-server.js [--weights out/fashion-cnn.pt] [--port 8080]
import * as http from 'http';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { parseArgs } from 'util';
import { AddressInfo } from 'net';
import { loadFashionCNN } from './fashion-mnist/model';
import { CLASSES } from './fashion-mnist/dataset';
import { MicroBatcher, BatcherStats } from './inference-server/batcher';
import { BadRequest, decodeBytes, decodeJson } from './inference-server/decode';

export interface ServerOptions {
  weights: string;
  port?: number;
  host?: string;
  maxBatch?: number;
  maxDelayMs?: number;
}

export interface RunningServer {
  url: string;
  stats: BatcherStats;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new BadRequest(`body larger than ${MAX_BODY} bytes`));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The model's probabilities for a batch: from a TorchScript archive (run off the event loop) or a state_dict. */
async function loadPredictor(file: string): Promise<(batch: Tensor) => Tensor | Promise<Tensor>> {
  try {
    const model = await loadFashionCNN(file);
    return (batch) => model(batch).softmax(1);
  } catch (e) {
    if (!(e instanceof torch.TorchError) || !/TorchScript archive/.test(e.message)) throw e;
  }
  const scripted = (await torch.jit.load(file)).eval();
  return async (batch) => ((await scripted.forwardAsync(batch)) as Tensor).softmax(1);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const predict = await loadPredictor(options.weights);
  const batcher = new MicroBatcher(predict, options.maxBatch ?? 32, options.maxDelayMs ?? 5);

  const server = http.createServer(async (req, res) => {
    try {
      if (req.url === '/health' && req.method === 'GET') return send(res, 200, { ok: true, ...batcher.stats });
      if (req.url !== '/predict') return send(res, 404, { error: `no route ${req.url}; use POST /predict` });
      if (req.method !== 'POST') return send(res, 405, { error: 'use POST /predict' });
      const body = await readBody(req);
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
      const image = type === 'application/json' ? decodeJson(body.toString('utf8')) : decodeBytes(body);
      const probs = Array.from((await batcher.submit(image)).toTypedArray() as Float32Array);
      const cls = probs.indexOf(Math.max(...probs));
      send(res, 200, { class: cls, label: CLASSES[cls], confidence: probs[cls], probabilities: probs });
    } catch (e) {
      if (e instanceof BadRequest) send(res, 400, { error: e.message });
      else send(res, 500, { error: (e as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    stats: batcher.stats,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: { weights: { type: 'string', default: 'out/fashion-cnn.pt' }, port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' } },
  });
  startServer({ weights: values.weights!, port: Number(values.port), host: values.host })
    .then((s) => console.log(`serving ${values.weights} at ${s.url}/predict (JSON {"image": [784 pixels]}, raw 784 bytes or PGM)`))
    .catch((e: Error) => {
      console.error(`error: ${e.message}`);
      process.exitCode = 1;
    });
}
