// torch.utils.data.graph: the graph of DataPipes a pipe is built from. Python finds a pipe's inputs
// by pickling it; here they are the pipes among its own properties (in definition order, as
// Python's __dict__), looking inside arrays, plain objects, Maps, Sets and other objects they hold.
import { IterDataPipe, MapDataPipe, isIterDataPipe, isMapDataPipe } from './datapipe';
import { TorchError, warn } from '../../errors';
import { isTensor } from '../kinds';

export type DataPipe = IterDataPipe<any> | MapDataPipe<any>;
/** id -> [pipe, the graph of its inputs] (Python's Dict[int, Tuple[DataPipe, DataPipeGraph]]) */
export type DataPipeGraph = Map<number, [DataPipe, DataPipeGraph]>;

const ids = new WeakMap<object, number>();
let nextId = 1;
/** Python's id(): a number per object, stable for its lifetime. */
export function pipeId(x: object): number {
  let id = ids.get(x);
  if (id === undefined) ids.set(x, (id = nextId++));
  return id;
}

const isPipe = (x: unknown): x is DataPipe => isIterDataPipe(x) || isMapDataPipe(x);

/** The pipes `dp` holds directly (not through another pipe), in property order. */
function connected(dp: DataPipe, cache: Set<number>): DataPipe[] {
  const found: DataPipe[] = [];
  const seen = new Set<unknown>([dp]);
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (isPipe(v)) {
      // a pipe already on the path is looked through, as Python's pickler does with it
      if (cache.has(pipeId(v))) visitFields(v);
      else {
        found.push(v);
        cache.add(pipeId(v));
      }
      return;
    }
    if (isTensor(v) || ArrayBuffer.isView(v)) return;
    if (Array.isArray(v)) v.forEach(visit);
    else if (v instanceof Map) v.forEach((value, key) => (visit(key), visit(value)));
    else if (v instanceof Set) v.forEach(visit);
    else visitFields(v);
  };
  const visitFields = (o: object): void => {
    for (const key of Object.keys(o)) visit((o as Record<string, unknown>)[key]);
  };
  visitFields(dp);
  return found;
}

function traverseHelper(dp: unknown, cache: Set<number>): DataPipeGraph {
  if (!isPipe(dp)) throw new TorchError(`Expected \`IterDataPipe\` or \`MapDataPipe\`, but ${(dp as object)?.constructor?.name ?? typeof dp} is found`);
  const id = pipeId(dp);
  if (cache.has(id)) return new Map();
  cache.add(id);
  const sub: DataPipeGraph = new Map();
  for (const item of connected(dp, new Set(cache))) {
    for (const [k, v] of traverseHelper(item, new Set(cache))) sub.set(k, v);
  }
  return new Map([[id, [dp, sub]]]);
}

/** traverse_dps(datapipe): the graph ending at `datapipe`. */
export function traverseDps(datapipe: DataPipe): DataPipeGraph {
  return traverseHelper(datapipe, new Set());
}

/** traverse(datapipe, only_datapipe=None): deprecated in 1.13, the same graph as traverseDps here. */
export function traverse(datapipe: DataPipe, onlyDatapipe: boolean | null = null): DataPipeGraph {
  let msg = '`traverse` function and will be removed after 1.13. Please use `traverse_dps` instead.';
  if (!onlyDatapipe) msg += ' And, the behavior will be changed to the equivalent of `only_datapipe=True`.';
  warn(msg, 'FutureWarning');
  return traverseHelper(datapipe, new Set());
}
