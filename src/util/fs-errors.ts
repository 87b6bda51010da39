/** One wording for file-system failures, so every command reports them the same way. */
import type * as fs from 'node:fs';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'input/output error',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EFBIG: 'file too large',
  EXDEV: 'not on the same file system',
  EPIPE: 'the reading end of the pipe is closed',
};

/** `no such file or directory (ENOENT)`: the reason for people, then the code for searching. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string') return `${REASONS[code] ?? 'system error'} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/** `cannot read file: no such file or directory (ENOENT)` (or `directory` for a directory listing). */
export function cannotRead(error: unknown, what: 'file' | 'directory' = 'file'): string {
  return `cannot read ${what}: ${describeFsError(error)}`;
}

/** What a non-regular file is, for messages: `a FIFO`, `a character device`, … */
export function fileKind(stat: fs.Stats): string {
  if (stat.isFile()) return 'a regular file';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'a special file';
}
