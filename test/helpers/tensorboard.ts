// The TensorBoard oracle from a jest test: Python with tensorboard_oracle.py loaded on the schema
// torch-node writes with, PyTorch's summary code on top (see that file).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SCHEMA_JSON } from '../../lib/utils/tensorboard/schema';
import { runPython } from './python';

let schemaFile: string | undefined;

function schema(): string {
  if (!schemaFile || !fs.existsSync(schemaFile)) {
    schemaFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tb-schema-')), 'schema.json');
    fs.writeFileSync(schemaFile, JSON.stringify(SCHEMA_JSON));
  }
  return schemaFile;
}

/**
 * Runs Python with `O` (the oracle module), `c` (message classes by full name), `S` (PyTorch's
 * summary module), `Event` and `T(spec)` (a tensor from { data, dtype, shape }); returns `result`.
 * `runner`: runPython, or python-session's runPythonShared (one process for the test file).
 */
export function tensorboardOracle<T = unknown>(body: string, runner: (code: string) => unknown = runPython): T {
  return runner(`import sys
sys.path.insert(0, ${JSON.stringify(__dirname)})
import tensorboard_oracle as O
c, S = O.install(json.load(open(${JSON.stringify(schema())})))
Event = c['tensorboard.Event']
DTYPES = {'float32': torch.float32, 'float64': torch.float64, 'uint8': torch.uint8, 'int64': torch.int64}
DTYPES['int32'] = torch.int32
def T(spec):
    return torch.tensor(spec['data'], dtype=DTYPES[spec['dtype']]).reshape(spec['shape'])
${body}`) as T;
}

/** The event files of a run directory. */
export function eventFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.')).map((f) => path.join(dir, f));
}

/** [tag, step, simple_value] of every scalar summary in a run directory's event file. */
export function readScalars(dir: string): [string, number, number][] {
  return tensorboardOracle(`result = [[e.summary.value[0].tag, e.step, e.summary.value[0].simple_value]
          for e in O.read_events(${JSON.stringify(eventFiles(dir)[0])}, Event) if e.HasField('summary') and e.summary.value[0].HasField('simple_value')]`);
}
