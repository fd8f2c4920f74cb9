// torch.hub against PyTorch 1.13: files Python saved, served by a local http server in this test,
// download into the cache once (redirects followed, HTTP errors and hash mismatches refused with
// Python's messages, no half file left), load as torch.load reads them, and the cache folder follows
// TORCH_HOME / XDG_CACHE_HOME as torch.hub.get_dir() does.
import { execFile, execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import * as torch from '../lib';
import { checkpointsDir } from '../lib/vision/models/weights';
import { ResNet18_Weights } from '../lib/vision/models/resnet';
import { oraclePython } from './helpers/python';

const { hub } = torch;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-hub-'));
const at = (...names: string[]) => path.join(tmp, ...names);
const served = at('served');
fs.mkdirSync(served);

// What Python saves: a state_dict (zip format), the same in the legacy format zipped by hand (as
// hub accepted before 1.6), and the expected tensors.
execFileSync(
  oraclePython(),
  [
    '-c',
    `
import torch, zipfile, hashlib, json
torch.manual_seed(0)
sd = {'weight': torch.randn(3, 4), 'bias': torch.arange(3.), 'steps': torch.tensor(7)}
torch.save(sd, 'weights.pth')
torch.save(sd, 'old.pth', _use_new_zipfile_serialization=False)
with zipfile.ZipFile('legacy.zip', 'w') as z: z.write('old.pth')
h = hashlib.sha256(open('weights.pth', 'rb').read()).hexdigest()
json.dump({'sha256': h, 'expected': {k: v.tolist() for k, v in sd.items()}}, open('info.json', 'w'))
`,
  ],
  { cwd: served },
);
const info = JSON.parse(fs.readFileSync(path.join(served, 'info.json'), 'utf8')) as { sha256: string; expected: Record<string, unknown> };
const hash8 = info.sha256.slice(0, 8);
const weightsBytes = fs.readFileSync(path.join(served, 'weights.pth'));

// The server: /files/<name> serves weights.pth under any name (legacy.zip for names ending .zip),
// /moved/<name> redirects there (twice), everything else is a 404. It counts requests per path.
const requests: string[] = [];
const server = http.createServer((req, res) => {
  const url = req.url ?? '';
  requests.push(url);
  const [, kind, name] = url.split('/');
  if (kind === 'files' && name) {
    const body = name.endsWith('.zip') ? fs.readFileSync(path.join(served, 'legacy.zip')) : weightsBytes;
    res.writeHead(200, { 'Content-Length': body.length });
    res.end(body);
  } else if (kind === 'moved') {
    res.writeHead(302, { Location: `/again/${name}` });
    res.end();
  } else if (kind === 'again') {
    res.writeHead(301, { Location: `http://127.0.0.1:${port()}/files/${name}` });
    res.end();
  } else {
    res.writeHead(404);
    res.end('no such file');
  }
});
const port = () => (server.address() as { port: number }).port;
const url = (p: string) => `http://127.0.0.1:${port()}${p}`;

beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
afterAll(() => {
  server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Python run without blocking this process (the server must keep answering it); returns its JSON. */
async function pythonAsync<T>(code: string, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const { stdout } = await promisify(execFile)(oraclePython(), ['-c', `import torch, json\n${code}`], { env, cwd: tmp });
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

/** What stderr received while fn ran (kept off the test output). */
async function capturingStderr<T>(fn: () => Promise<T>): Promise<[T, string]> {
  let text = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  try {
    return [await fn(), text];
  } finally {
    spy.mockRestore();
  }
}

const asLists = (sd: Record<string, torch.Tensor>) => Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, v.tolist()]));
let dirCount = 0;
const freshDir = () => {
  const d = at(`models${dirCount++}`);
  return d;
};
const leftovers = (d: string) => fs.readdirSync(d).filter((f) => f.startsWith('.') || f.startsWith('tmp'));

/** The environments of the cache-directory table: HOME=/home/someone, none of the hub variables but these. */
const DIR_ENVS: [string, Record<string, string>][] = [
  ['TORCH_HOME', { TORCH_HOME: '/opt/th', XDG_CACHE_HOME: '/xdg' }],
  ['TORCH_HOME with ~', { TORCH_HOME: '~/models/torch' }],
  ['TORCH_HOME ending in /', { TORCH_HOME: '/opt//th/' }],
  ['XDG_CACHE_HOME', { XDG_CACHE_HOME: '/var/cache' }],
  ['neither (~/.cache)', {}],
];
function dirEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, HOME: '/home/someone' };
  delete base.TORCH_HOME;
  delete base.XDG_CACHE_HOME;
  delete base.TORCH_HUB;
  return { ...base, ...env };
}

/** What torch.hub gives in each test's situation, from ONE Python process (starting one costs a CPU second). */
interface PythonHub {
  redirected: string[];
  badHash: string;
  notFound: string;
  dirs: string[];
  setDir: string;
}
let py: PythonHub;
// after the server's beforeAll: Python downloads from it. get_dir() reads os.environ when called,
// so setting each table row's environment in turn gives what a process started with it would.
beforeAll(async () => {
  const dir = (name: string) => JSON.stringify(at(`py-${name}`));
  py = await pythonAsync<PythonHub>(`import os, torch.hub
def error(f):
    try:
        f()
        return 'no error'
    except Exception as e:
        return str(e)
out = {}
torch.hub.load_state_dict_from_url('${url('/moved/w.pth?x=1')}', model_dir=${dir('redirect')}, progress=False)
out['redirected'] = sorted(os.listdir(${dir('redirect')}))
out['badHash'] = error(lambda: torch.hub.load_state_dict_from_url('${url('/files/net-0badc0de.pth')}', model_dir=${dir('hash')}, check_hash=True, progress=False))
out['notFound'] = error(lambda: torch.hub.load_state_dict_from_url('${url('/nothing/here.pth')}', model_dir=${dir('404')}, progress=False))
def get_dir_under(env):
    os.environ.clear()
    os.environ.update(env)
    return torch.hub.get_dir()
out['dirs'] = [get_dir_under(env) for env in ${JSON.stringify(DIR_ENVS.map(([, env]) => dirEnv(env)))}]
get_dir_under(${JSON.stringify({ ...process.env, HOME: '/home/someone' })})
torch.hub.set_dir('~/hubdir')
out['setDir'] = torch.hub.get_dir()
print(json.dumps(out))`);
});

describe('loadStateDictFromUrl', () => {
  test("downloads into modelDir once, loads Python's tensors, and reads the cache without a request", async () => {
    const dir = freshDir();
    const [sd, err] = await capturingStderr(() => hub.loadStateDictFromUrl(url('/files/resnet-x.pth'), { modelDir: dir, progress: false }));
    expect(asLists(sd)).toEqual(info.expected);
    expect(err).toBe(`Downloading: "${url('/files/resnet-x.pth')}" to ${dir}/resnet-x.pth\n`);
    expect(fs.readFileSync(path.join(dir, 'resnet-x.pth'))).toEqual(weightsBytes);
    const before = requests.length;
    const [again, err2] = await capturingStderr(() => hub.loadStateDictFromUrl(url('/files/resnet-x.pth'), dir, null, false));
    expect(requests.length).toBe(before);
    expect(err2).toBe('');
    expect(asLists(again)).toEqual(info.expected);
  });

  test('follows redirects and names the file after the URL asked for, as Python does', async () => {
    const dir = freshDir();
    const before = requests.length;
    await capturingStderr(() => hub.loadStateDictFromUrl(url('/moved/w.pth?x=1'), { modelDir: dir, progress: false }));
    expect(requests.slice(before)).toEqual(['/moved/w.pth?x=1', '/again/w.pth?x=1', '/files/w.pth?x=1']);
    expect(fs.readdirSync(dir)).toEqual(py.redirected);
  });

  test('checkHash: a file named -<sha256 prefix>. that matches loads; one that does not is refused and not kept', async () => {
    const dir = freshDir();
    const good = await capturingStderr(() => hub.loadStateDictFromUrl(url(`/files/net-${hash8}.pth`), { modelDir: dir, checkHash: true, progress: false }));
    expect(asLists(good[0])).toEqual(info.expected);
    const bad = url('/files/net-0badc0de.pth');
    const want = py.badHash;
    expect(want).toMatch(/^invalid hash value/);
    await expect(capturingStderr(() => hub.loadStateDictFromUrl(bad, { modelDir: dir, checkHash: true, progress: false }))).rejects.toThrow(want);
    expect(fs.readdirSync(dir)).toEqual([`net-${hash8}.pth`]);
    // without checkHash the name is not checked
    const unchecked = await capturingStderr(() => hub.loadStateDictFromUrl(bad, { modelDir: dir, progress: false }));
    expect(asLists(unchecked[0])).toEqual(info.expected);
  });

  test('fileName names the cached file', async () => {
    const dir = freshDir();
    await capturingStderr(() => hub.loadStateDictFromUrl(url('/files/a.pth'), { modelDir: dir, progress: false, fileName: 'mine.pt' }));
    expect(fs.readdirSync(dir)).toEqual(['mine.pt']);
  });

  test('an HTTP error raises urllib\'s message and leaves nothing behind', async () => {
    const dir = freshDir();
    const want = py.notFound;
    expect(want).toBe('HTTP Error 404: Not Found');
    await expect(capturingStderr(() => hub.loadStateDictFromUrl(url('/nothing/here.pth'), { modelDir: dir }))).rejects.toThrow(new torch.TorchError(want));
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a zip holding one legacy file (weights zipped by hand before 1.6) is unpacked and loaded, with the warning', async () => {
    const dir = freshDir();
    const warnings: string[] = [];
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation((w: string | Error) => void warnings.push(String(w)));
    try {
      const [sd] = await capturingStderr(() => hub.loadStateDictFromUrl(url('/files/old-model.zip'), { modelDir: dir, progress: false }));
      expect(asLists(sd)).toEqual(info.expected);
    } finally {
      emit.mockRestore();
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['old-model.zip', 'old.pth']);
    expect(warnings.some((w) => w.startsWith('Falling back to the old format < 1.6.'))).toBe(true);
  });

  test('mapLocation is passed to torch.load', async () => {
    const dir = freshDir();
    const [sd] = await capturingStderr(() => hub.loadStateDictFromUrl(url('/files/m.pth'), { modelDir: dir, progress: false, mapLocation: 'cpu' }));
    expect(String(sd.weight.device)).toBe('cpu');
  });
});

describe('downloadUrlToFile', () => {
  test('writes the file (whole), checks a hash prefix, and shows progress on stderr only when asked', async () => {
    const dst = at('direct.pth');
    const [, quiet] = await capturingStderr(() => hub.downloadUrlToFile(url('/files/direct.pth'), dst, info.sha256.slice(0, 12), false));
    expect(quiet).toBe('');
    expect(fs.readFileSync(dst)).toEqual(weightsBytes);
    const [, shown] = await capturingStderr(() => hub.downloadUrlToFile(url('/files/direct.pth'), at('shown.pth'), { progress: true }));
    expect(shown).toMatch(/100\.0%\n$/);
    const dst2 = at('wrong', 'x.pth');
    fs.mkdirSync(path.dirname(dst2));
    await expect(hub.downloadUrlToFile(url('/files/x.pth'), dst2, { hashPrefix: 'ffff', progress: false })).rejects.toThrow(
      `invalid hash value (expected "ffff", got "${info.sha256}")`,
    );
    expect(fs.readdirSync(path.dirname(dst2))).toEqual([]);
    expect(leftovers(tmp)).toEqual([]);
  });

  test('an unknown host or refused connection is a TorchError', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(hub.downloadUrlToFile(`http://127.0.0.1:${deadPort}/x`, at('dead.pth'), { progress: false })).rejects.toThrow(torch.TorchError);
    expect(fs.existsSync(at('dead.pth'))).toBe(false);
  });
});

describe('the cache directory', () => {
  const saved = { TORCH_HOME: process.env.TORCH_HOME, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, HOME: process.env.HOME };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  test.each(DIR_ENVS.map(([name, env], i) => [name, env, i] as const))('getDir() with %s is torch.hub.get_dir() under the same environment', (_, env, i) => {
    const full = dirEnv(env);
    const want = py.dirs[i];
    process.env.HOME = full.HOME;
    for (const k of ['TORCH_HOME', 'XDG_CACHE_HOME']) {
      if (full[k] === undefined) delete process.env[k];
      else process.env[k] = full[k];
    }
    expect(hub.getDir()).toBe(want);
    // torchvision's weights read the same folder that downloads go to
    expect(checkpointsDir()).toBe(`${want}/checkpoints`);
  });

  test("loadStateDictFromUrl's default folder is <TORCH_HOME>/hub/checkpoints, where a weights enum finds the file", async () => {
    process.env.TORCH_HOME = at('torch-home');
    const file = `resnet18-f37072fd.pth`;
    const w = ResNet18_Weights.IMAGENET1K_V1;
    expect(w.fileName).toBe(file);
    expect(() => w.getStateDict()).toThrow(`await torch.hub.loadStateDictFromUrl('${w.url}')`);
    await capturingStderr(() => hub.loadStateDictFromUrl(url(`/files/${file}`), { progress: false }));
    expect(fs.existsSync(at('torch-home', 'hub', 'checkpoints', file))).toBe(true);
    expect(asLists(w.getStateDict() as Record<string, torch.Tensor>)).toEqual(info.expected);
  });

  test('setDir (with ~) changes getDir, as torch.hub.set_dir', async () => {
    process.env.HOME = '/home/someone';
    const want = py.setDir;
    hub.setDir('~/hubdir');
    expect(hub.getDir()).toBe(want);
    expect(checkpointsDir()).toBe(`${want}/checkpoints`);
  });
});

test('the sha256 of the served file is what Python computed', () => {
  expect(crypto.createHash('sha256').update(weightsBytes).digest('hex')).toBe(info.sha256);
});
