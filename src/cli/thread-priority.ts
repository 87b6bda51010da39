/**
 * Scheduling priority of one thread. The standalone rules' worker gives way to the main thread: its
 * findings are needed only once the main thread has computed reachability and run the other rules,
 * so on a busy machine the main thread should get the CPU first and the worker what is left. Linux
 * keeps a nice value per thread and `setpriority` takes a thread id; elsewhere the value belongs to
 * the whole process, so nothing is changed there. A priority is only ever lowered (no privilege needed).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

/** The nice value the worker thread runs at (0 is the usual one, 19 the lowest). */
export const WORKER_NICE = 10;

/** The calling thread's id as Linux numbers threads (the main thread's is the process id), or null elsewhere. */
export function currentThreadId(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const id = Number(lastPart(fs.readlinkSync('/proc/thread-self')));
    return Number.isInteger(id) && id > 0 ? id : null;
  } catch {
    return null; // no /proc mounted
  }
}

/** The last part of `/proc/<pid>/task/<tid>`. */
function lastPart(link: string): string {
  return link.slice(link.lastIndexOf('/') + 1);
}

/**
 * Lowers the priority of the thread `threadId` (from currentThreadId) to `nice`; false when it could
 * not (not Linux, or refused), and then the thread runs as before.
 */
export function lowerThreadPriority(threadId: number, nice = WORKER_NICE): boolean {
  if (process.platform !== 'linux') return false;
  try {
    if (os.getPriority(threadId) >= nice) return true;
    os.setPriority(threadId, nice);
    return true;
  } catch {
    return false;
  }
}
