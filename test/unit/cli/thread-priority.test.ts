/**
 * The worker thread's lower priority (src/cli/thread-priority.ts): Linux keeps a nice value per
 * thread; elsewhere nothing is changed.
 */
import { spawn } from 'node:child_process';
import { currentThreadId, lowerThreadPriority, WORKER_NICE } from '../../../src/cli/thread-priority';
import { niceIn } from '../../support/proc';

const onLinux = process.platform === 'linux' ? it : it.skip;

const niceOf = (id: number) => niceIn(`/proc/${id}/stat`);

describe('thread priority', () => {
  onLinux("names the calling thread as Linux does (the main thread's id is the process id)", () => {
    expect(currentThreadId()).toBe(process.pid);
  });

  onLinux('lowers a thread to the worker nice value, and never raises one', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const id = child.pid!;
      // The child starts at this process's nice value (0, unless the tests themselves run niced).
      const lowered = Math.max(niceOf(id), WORKER_NICE);
      expect(lowerThreadPriority(id)).toBe(true);
      expect(niceOf(id)).toBe(lowered);
      // Asked for a higher priority than it has: left as it is (raising one needs a privilege).
      expect(lowerThreadPriority(id, lowered - 5)).toBe(true);
      expect(niceOf(id)).toBe(lowered);
    } finally {
      child.kill();
    }
  });

  it('says when it could not lower a priority: no such thread, or not Linux (nothing changed there)', () => {
    if (process.platform === 'linux') expect(lowerThreadPriority(-1)).toBe(false);
    else {
      expect(currentThreadId()).toBeNull();
      expect(lowerThreadPriority(process.pid)).toBe(false);
    }
  });
});
