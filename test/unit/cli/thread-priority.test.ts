/**
 * The worker thread's lower priority (src/cli/thread-priority.ts): Linux keeps a nice value per
 * thread; elsewhere nothing is changed.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { currentThreadId, lowerThreadPriority, WORKER_NICE } from '../../../src/cli/thread-priority';

const onLinux = process.platform === 'linux' ? it : it.skip;

/** The nice value of a thread (or process), field 19 of /proc/<id>/stat. */
function niceOf(id: number): number {
  const stat = fs.readFileSync(`/proc/${id}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe('thread priority', () => {
  onLinux("names the calling thread as Linux does (the main thread's id is the process id)", () => {
    expect(currentThreadId()).toBe(process.pid);
  });

  onLinux('lowers a thread to the worker nice value, and never raises one', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const id = child.pid!;
      expect(niceOf(id)).toBe(0);
      expect(lowerThreadPriority(id)).toBe(true);
      expect(niceOf(id)).toBe(WORKER_NICE);
      // Asked for a higher priority than it has: left as it is (raising one needs a privilege).
      expect(lowerThreadPriority(id, WORKER_NICE - 5)).toBe(true);
      expect(niceOf(id)).toBe(WORKER_NICE);
    } finally {
      child.kill();
    }
  });

  it('changes nothing where the nice value belongs to the whole process', () => {
    if (process.platform === 'linux') expect(lowerThreadPriority(-1)).toBe(false);
    else {
      expect(currentThreadId()).toBeNull();
      expect(lowerThreadPriority(process.pid)).toBe(false);
    }
  });
});
