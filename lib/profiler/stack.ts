// withStack: the JS stack recorded with each op (native/profiler.cc reads it through the capture
// that anomaly mode installs, torch-node's own frames under lib/ already left out) in the form
// Python's profiler gives its frames: "file(line): function", innermost first.
import * as path from 'path';
import { fileURLToPath } from 'url';
// installs the stack capture the native side calls (EnvState::captureStack)
import '../autograd/anomaly-mode';

// "    at fn (location)" or "    at location"; location: "file:line:column" or a V8 placeholder
const V8_FRAME = /^\s*at (?:(.*?) \((.*)\)|(.*))$/;
const LOCATION = /^(.*):(\d+):\d+$/;

/** A file as Python's profiler names it: relative to the working directory when inside it. */
function displayFile(file: string): string {
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return file;
    }
  }
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

/** One V8 stack line as "file(line): function" ("<anonymous>" for unnamed functions). */
export function pythonFrame(line: string): string {
  const m = V8_FRAME.exec(line);
  if (m === null) return line.trim();
  const fn = m[1] ?? '<anonymous>';
  const location = m[2] ?? m[3];
  const loc = LOCATION.exec(location);
  // native frames (`new Promise (<anonymous>)`) have no line to show
  if (loc === null) return `${location}: ${fn}`;
  return `${displayFile(loc[1])}(${loc[2]}): ${fn}`;
}

/** Converts each event's raw stack lines; ops of one call share lines, so each is parsed once. */
export class StackFormatter {
  private readonly seen = new Map<string, string>();

  format(lines: string[]): string[] {
    return lines.map((line) => {
      let frame = this.seen.get(line);
      if (frame === undefined) {
        frame = pythonFrame(line);
        this.seen.set(line, frame);
      }
      return frame;
    });
  }
}
