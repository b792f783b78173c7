// Runs a CLI (Fabric, Fabric CA, tar) and returns its output; a failure carries the command's stderr.
import { execFile } from 'node:child_process';
import { systemUser } from './systemUser';

export class CommandFailedError extends Error {
  readonly code = 'COMMAND_FAILED';
  constructor(
    readonly command: string,
    readonly stderr: string,
  ) {
    super(`${command} failed:\n${stderr.trim().split('\n').slice(-15).join('\n')}`);
    this.name = 'CommandFailedError';
  }
}

export interface CommandOptions {
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** A system user to run as, for tools that refuse root (PostgreSQL's initdb). */
  user?: string;
  /** Written to the command's standard input: a secret there stays out of the process list. */
  input?: string;
}

export function runCommand(command: string, args: string[], options: CommandOptions = {}): Promise<string> {
  const user = options.user === undefined ? undefined : systemUser(options.user);
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      {
        env: { ...process.env, ...options.env },
        cwd: options.cwd,
        uid: user?.uid,
        gid: user?.gid,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          const shown = [command.split('/').pop() ?? command, ...args.slice(0, 3)].join(' ');
          reject(new CommandFailedError(shown, `${stderr}\n${stdout}\n${error.message}`));
        } else {
          resolve(stdout);
        }
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
