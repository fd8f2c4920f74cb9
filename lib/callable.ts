// Instances that are also functions, as Python objects with __call__ are: nn.Module (`model(x)`),
// vision transforms, distribution transforms and constraint registries. The instance is a function
// whose prototype is its class's, so instanceof, methods and fields work as on any object.

/** A function running `call(self, args)` whose prototype is `proto`: the callable instance itself. */
export function callableInstance<T extends object>(proto: object, call: (self: T, args: any[]) => unknown): T {
  const self = ((...args: unknown[]) => call(self, args)) as unknown as T;
  // a function's own name and length would shadow fields of those names
  delete (self as { name?: unknown }).name;
  delete (self as { length?: unknown }).length;
  Object.setPrototypeOf(self, proto);
  return self;
}
