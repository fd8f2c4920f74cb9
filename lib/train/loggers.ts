// Epoch loggers: CSV (Keras' CSVLogger layout: epoch, then the log names sorted) and JSON lines
// (one object per epoch). Each line is appended when its epoch ends, so a crash keeps earlier epochs.
import * as fs from 'fs';
import * as path from 'path';
import { Callback, Logs } from './callback';
import { checkKeywords, keysOf } from '../keywords';

export interface CSVLoggerOptions {
  separator?: string;
  append?: boolean;
}
const CSV_LOGGER_KEYS = keysOf<CSVLoggerOptions>()('separator', 'append');
export interface JSONLinesLoggerOptions {
  append?: boolean;
}
const JSON_LINES_LOGGER_KEYS = keysOf<JSONLinesLoggerOptions>()('append');

function prepare(file: string, append: boolean): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (!append) fs.writeFileSync(file, '');
}

export class CSVLogger extends Callback {
  private columns?: string[];

  constructor(
    readonly filename: string,
    readonly options: CSVLoggerOptions = {},
  ) {
    super();
    checkKeywords('CSVLogger', options, CSV_LOGGER_KEYS);
  }

  onTrainBegin(): void {
    const append = this.options.append ?? false;
    prepare(this.filename, append);
    // appending to a file with a header: keep its columns
    const existing = append && fs.existsSync(this.filename) ? fs.readFileSync(this.filename, 'utf8').split('\n')[0] : '';
    this.columns = existing ? existing.split(this.options.separator ?? ',').slice(1) : undefined;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const sep = this.options.separator ?? ',';
    if (!this.columns) {
      this.columns = Object.keys(logs).sort();
      fs.appendFileSync(this.filename, ['epoch', ...this.columns].join(sep) + '\n');
    }
    fs.appendFileSync(this.filename, [epoch, ...this.columns.map((c) => (c in logs ? String(logs[c]) : ''))].join(sep) + '\n');
  }
}

export class JSONLinesLogger extends Callback {
  constructor(
    readonly filename: string,
    readonly options: JSONLinesLoggerOptions = {},
  ) {
    super();
    checkKeywords('JSONLinesLogger', options, JSON_LINES_LOGGER_KEYS);
  }

  onTrainBegin(): void {
    prepare(this.filename, this.options.append ?? false);
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    fs.appendFileSync(this.filename, JSON.stringify({ epoch, ...logs }) + '\n');
  }
}
