// The native CPU allocator (native/cpu_allocator.cc) keeps freed large blocks for reuse and returns
// those left unused for a few seconds whenever it runs. A process that stops allocating (a server
// between requests) would keep them, so this timer returns them too; unref'd, it never keeps Node
// alive.
import { native } from '../native';

setInterval(() => native.releaseCpuCache(), 2000).unref();
