// Param-group options are camelCase in JS (weightDecay) and snake_case in state dicts
// (weight_decay), so that optimizer and scheduler state dicts round-trip with Python's.
export function toSnake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}

export function toCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
