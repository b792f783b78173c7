// The operator commands' two kinds of failure: bad input (exit 2, like a usage error) and a failure
// while acting on the network (exit 1). Either is reported as one line; the details stay in the logs.
import { CommandFailedError } from '../env/command';

export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

export class OperatorError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = EXIT_RUNTIME,
  ) {
    super(message);
    this.name = 'OperatorError';
  }
}

/** The line of a Fabric tool's output that says why it failed (its `Error:` line, else its last line). */
function toolReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return (
    lines
      .find((line) => line.startsWith('Error:'))
      ?.slice('Error:'.length)
      .trim() ??
    lines.at(-1) ??
    ''
  );
}

/** One line saying what failed and why, for the terminal. */
export function oneLineReason(error: unknown): string {
  if (error instanceof CommandFailedError) return `${error.command}: ${toolReason(error.stderr)}`;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
