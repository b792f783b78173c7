// How every off-chain process ends when its work fails: a configuration problem prints its one
// message (naming each variable) and exits 1 before anything connected; anything else is logged with
// its stack and exits with `failureCode`.
import { ConfigError } from '@p2p-escrow/fabric-client';

export interface FailureLog {
  error(fields: object, message: string): void;
}

export function runProcess(
  name: string,
  work: () => Promise<void>,
  log: FailureLog,
  failureCode = 1,
): void {
  work().catch((error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 1;
      return;
    }
    log.error({ err: error instanceof Error ? error.stack : String(error) }, `${name} failed`);
    process.exitCode = failureCode;
  });
}
