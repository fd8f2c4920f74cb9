// Protocol buffers' text format, as Python's text_format.MessageToString writes it: fields in
// field-number order, unset and empty ones left out, strings C-escaped byte by byte.
import * as protobuf from 'protobufjs';
import { messageType } from './schema';

/** google.protobuf.text_encoding.CEscape(as_utf8=False): escapes, and octal for other bytes outside ASCII's printables. */
function cEscape(s: string): string {
  const named: Record<number, string> = { 10: '\\n', 13: '\\r', 9: '\\t', 34: '\\"', 39: "\\'", 92: '\\\\' };
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if (named[b]) out += named[b];
    else if (b < 32 || b >= 127) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return out;
}

function scalarText(field: protobuf.Field, v: unknown): string {
  if (field.resolvedType instanceof protobuf.Enum) return field.resolvedType.valuesById[v as number] ?? String(v);
  if (field.type === 'string') return `"${cEscape(String(v))}"`;
  if (field.type === 'bool') return v ? 'true' : 'false';
  return String(v);
}

function lines(type: protobuf.Type, value: Record<string, unknown>, indent: string): string[] {
  const out: string[] = [];
  for (const field of [...type.fieldsArray].sort((a, b) => a.id - b.id)) {
    const v = value[field.name];
    const items = field.repeated ? ((v as unknown[] | undefined) ?? []) : v === undefined || v === null || v === '' || v === 0 || v === false ? [] : [v];
    for (const item of items) {
      if (field.resolvedType instanceof protobuf.Type) {
        out.push(`${indent}${field.name} {`, ...lines(field.resolvedType, item as Record<string, unknown>, indent + '  '), `${indent}}`);
      } else {
        out.push(`${indent}${field.name}: ${scalarText(field, item)}`);
      }
    }
  }
  return out;
}

/** text_format.MessageToString(message) for a plain object of message type `name`. */
export function toTextFormat(name: string, value: Record<string, unknown>): string {
  const type = messageType(name);
  type.resolveAll();
  return lines(type, value, '').map((l) => `${l}\n`).join('');
}
