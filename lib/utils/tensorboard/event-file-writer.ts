// TensorBoard's EventFileWriter: a new events.out.tfevents.<time>.<host>.<pid>.<uid> file in the log
// directory, opened with the file-version event; events queue in memory and are appended as whole
// records when the queue is full, every flushSecs, on flush() and close(), and at process exit.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TorchError } from '../../errors';
import { frameRecord } from './record-writer';
import { encode } from './schema';

let globalUid = 0; // tensorboard's _global_uid: one number per writer of this process
const open = new Set<EventFileWriter>();
let exitHookInstalled = false;

function flushAllAtExit(): void {
  for (const w of open) w.flush();
}

/** An Event as a plain object with TensorBoard's field names (wall_time, step, summary, ...). */
export type EventObject = Record<string, unknown>;

export class EventFileWriter {
  readonly fileName: string;
  private fd: number | null;
  private queue: Buffer[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(readonly logdir: string, readonly maxQueueSize = 10, flushSecs = 120, filenameSuffix = '') {
    fs.mkdirSync(logdir, { recursive: true });
    const stamp = String(Math.floor(Date.now() / 1000)).padStart(10, '0');
    this.fileName = path.join(logdir, `events.out.tfevents.${stamp}.${os.hostname()}.${process.pid}.${globalUid++}`) + filenameSuffix;
    this.fd = fs.openSync(this.fileName, 'w');
    this.timer = setInterval(() => this.flush(), flushSecs * 1000);
    this.timer.unref(); // never keeps the process alive
    open.add(this);
    if (!exitHookInstalled) {
      process.on('exit', flushAllAtExit);
      exitHookInstalled = true;
    }
    this.addEvent({ wall_time: Date.now() / 1000, file_version: 'brain.Event:2', source_metadata: { writer: 'tensorboard.summary.writer.event_file_writer' } });
    this.flush();
  }

  getLogdir(): string {
    return this.logdir;
  }

  /** Queues one Event; a full queue is written out. */
  addEvent(event: EventObject): void {
    if (this.fd === null) throw new TorchError('Writer is closed');
    this.queue.push(frameRecord(encode('tensorboard.Event', event)));
    if (this.queue.length >= this.maxQueueSize) this.flush();
  }

  /** Appends the queued records to the file (one write: records are whole or absent). */
  flush(): void {
    if (this.fd === null || this.queue.length === 0) return;
    const bytes = Buffer.concat(this.queue);
    this.queue = [];
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done);
  }

  close(): void {
    if (this.fd === null) return;
    this.flush();
    clearInterval(this.timer);
    fs.closeSync(this.fd);
    this.fd = null;
    open.delete(this);
  }
}
