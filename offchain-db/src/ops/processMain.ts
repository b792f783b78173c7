// How every off-chain process ends when its work fails (exit code `failureCode`, 1 for the daemons):
// a configuration problem prints its one message naming each variable, before anything connected;
// anything else is logged with its stack.
import { ConfigError } from '@p2p-escrow/fabric-client';

export interface FailureLog {
  error(fields: object, message: string): void;
}

export function runProcess(name: string, work: () => Promise<void>, log: FailureLog, failureCode = 1): void {
  work().catch((error: unknown) => {
    process.exitCode = failureCode;
    if (error instanceof ConfigError) console.error(error.message);
    else log.error({ err: error instanceof Error ? error.stack : String(error) }, `${name} failed`);
  });
}
