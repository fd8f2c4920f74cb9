// The native CPU allocator (native/cpu_allocator.cc) keeps freed large blocks for reuse and returns
// those unused for IDLE_MS whenever it runs. A process that stops allocating (a server between
// requests) would keep them, so this timer returns them too; unref'd, it never keeps Node alive.
import { native } from '../native';

const IDLE_MS = 5000;

setInterval(() => native.releaseCpuCache(IDLE_MS), IDLE_MS).unref();
