// Ending a child process a test or bench started: asked with SIGTERM, then SIGKILL after a grace;
// and the processes it started in turn, read from /proc.
// A child that has already ended, by its own exit or by a signal, is left as it is: its 'exit' event
// has fired and will not fire again, so waiting for it would wait forever (exitCode stays null for a
// child killed by a signal; signalCode says so).
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

/** Whether the child has ended, by an exit code or by a signal. */
export function childHasEnded(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Ends the child and resolves once it has: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function endChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (childHasEnded(child)) return;
  const ended = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!childHasEnded(child)) child.kill('SIGKILL');
  }, graceMs);
  try {
    await ended;
  } finally {
    clearTimeout(timer);
  }
}

/** The processes `pid` started and that still run (e.g. a gateway primary's cluster workers); none once it is gone. */
export function childPidsOf(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${String(pid)}/task/${String(pid)}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}
