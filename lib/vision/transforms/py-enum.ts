// Python's Enum classes that torchvision's arguments and reprs use (InterpolationMode,
// AutoAugmentPolicy): members as properties (InterpolationMode.BILINEAR), and the class called with
// a value gives that member or Python's ValueError (InterpolationMode('bilinear')).
import { ValueError } from '../../errors';

export type PyEnum<M extends Record<string, string>> = M & ((value: string) => M[keyof M]);

export function pyEnum<M extends Record<string, string>>(name: string, members: M): PyEnum<M> {
  const values = new Set<string>(Object.values(members));
  const lookup = (value: string): M[keyof M] => {
    if (!values.has(value)) throw new ValueError(`${typeof value === 'string' ? `'${value}'` : String(value)} is not a valid ${name}`);
    return value as M[keyof M];
  };
  Object.defineProperty(lookup, 'name', { value: name });
  return Object.freeze(Object.assign(lookup, members)) as PyEnum<M>;
}

/** The member's name of a value, for reprs: InterpolationMode.BILINEAR. */
export function memberName(members: object, value: string): string {
  return Object.entries(members).find(([, v]) => v === value)?.[0] ?? value.toUpperCase();
}
