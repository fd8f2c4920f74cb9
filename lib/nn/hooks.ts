// Removable hook handles, as torch.utils.hooks.RemovableHandle: remove() takes the hook out of the
// dict it was registered in; ids are unique per process so one handle never removes another's hook.
let nextId = 0;

export class RemovableHandle {
  readonly id = nextId++;
  constructor(private readonly dicts: Map<number, unknown>[]) {}
  remove(): void {
    for (const d of this.dicts) d.delete(this.id);
  }
  [Symbol.dispose](): void {
    this.remove();
  }
}

/** Registers fn in dict (and in extra dicts sharing its id); prepend puts it first. */
export function addHook<F>(dict: Map<number, F>, fn: F, prepend = false): RemovableHandle {
  const handle = new RemovableHandle([dict as Map<number, unknown>]);
  if (!prepend) {
    dict.set(handle.id, fn);
  } else {
    const rest = [...dict];
    dict.clear();
    dict.set(handle.id, fn);
    for (const [k, v] of rest) dict.set(k, v);
  }
  return handle;
}
