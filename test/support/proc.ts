/** Reading Linux's /proc in tests. */
import * as fs from 'node:fs';

/** The nice value in a `stat` file of /proc (field 19): `/proc/<pid>/stat` or `/proc/<pid>/task/<tid>/stat`. */
export function niceIn(statFile: string): number {
  const stat = fs.readFileSync(statFile, 'utf8');
  // The command name may hold spaces and parentheses: the fields start after its last ')'.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}
