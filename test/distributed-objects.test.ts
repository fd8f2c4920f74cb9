// torch.distributed's object collectives with Node as rank 0 and Python as rank 1 of one gloo group:
// each rank must receive what it receives in a world of two Python ranks running the same program
// (distributed_programs_extra.objects); the Python rank's reprs show Node's pickles load as Python's.
import * as torch from '../lib';
import { allGatherObject, broadcastObjectList, gatherObject, scatterObjectList } from '../lib/distributed/object-collectives';
import { runPythonWorld, withNodeRank0 } from './helpers/distributed';

const dist = torch.distributed;
jest.setTimeout(120_000);

interface Received {
  js: unknown[];
  repr?: string[];
}
type Results = Record<string, Received | null>;

/** distributed_programs_extra._object, as a JS value. */
function object(rank: number, i = 0): unknown {
  return {
    rank, i, name: `rank${rank}`, floats: [0.5 * rank + 0.25, -1.5], none: null,
    flags: [true, false], nested: { a: [1, 2, { b: 'c'.repeat(i + 1) }] }, big: 2n ** 60n + BigInt(rank),
    text: 'h\u00e9llo \u2713', neg: -7 - rank, intkeys: new Map([[1, 'one'], [2 + i, 'two']]), empty: [{}, []],
  };
}

/** distributed_programs_extra._js: a received value, JSON-able as the Python side writes it. */
function js(v: unknown): unknown {
  if (typeof v === 'bigint') return `int:${v}`;
  if (Array.isArray(v)) return v.map(js);
  if (v instanceof Map) return { __map__: [...v].map(([k, x]) => [js(k), js(x)]) };
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, js(x)]));
  return v;
}
const received = (objects: unknown[]): Received => ({ js: objects.map(js) });

/** distributed_programs_extra.objects, for the Node rank. */
function objects(rank: number, world: number): Results {
  const out: Results = {};
  const gathered: unknown[] = new Array(world).fill(null);
  allGatherObject(gathered, object(rank));
  out.all_gather = received(gathered);
  for (const dst of [0, 1]) {
    const got = rank === dst ? new Array(world).fill(null) : null;
    gatherObject(object(rank, dst), got, { dst });
    out[`gather_${dst}`] = got === null ? null : received(got);
  }
  for (const src of [0, 1]) {
    const objs = rank === src ? [0, 1, 2].map((j) => object(rank, j)) : [null, null, null];
    broadcastObjectList(objs, { src });
    out[`broadcast_${src}`] = received(objs);
  }
  for (const src of [0, 1]) {
    const inputs = rank === src ? Array.from({ length: world }, (_, j) => object(rank, 10 + j)) : null;
    const got: unknown[] = [null];
    scatterObjectList(got, inputs, src);
    out[`scatter_${src}`] = received(got);
  }
  return out;
}

/** The oracle's results for the Node rank: what it received, without Python's reprs. */
const withoutRepr = (r: Results): Results => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : { js: v.js }]));

describe('torch.distributed object collectives (Node rank 0, Python rank 1)', () => {
  if (!dist.isAvailable()) {
    test.skip('torch.distributed is not in this build', () => undefined);
    return;
  }

  test('each rank receives what a Python-only world receives', async () => {
    const oracle = await runPythonWorld<Results>('distributed_programs_extra.objects', 2);
    const [, [python]] = await withNodeRank0<void, Results>('distributed_programs_extra.objects', 2, () => {
      // checked before anything is sent, so the world stays in step
      expect(() => allGatherObject([null, null], { weights: torch.ones(2) })).toThrow(
        "all_gather_object: cannot pickle a Tensor; torch-node's object collectives take null, booleans, numbers, bigints, strings, arrays, Maps and plain objects",
      );
      expect(() => scatterObjectList([], null)).toThrow('Expected argument scatter_object_output_list to be a list of size at least 1.');
      const mine = objects(0, 2);
      expect(mine).toEqual(withoutRepr(oracle[0]));
      // the received strings are the ones Python sent, character for character
      expect((mine.all_gather!.js[1] as { text: string }).text).toBe('h\u00e9llo \u2713');
    });
    expect(python).toEqual(oracle[1]);
  });
});
