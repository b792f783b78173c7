// Every operator command is an `admin.action` security event, appended to the operator's JSON-lines
// file under the state directory (`<state>/security/operator.jsonl`). Only the command's words are
// recorded, never its options or arguments after them, which may name secrets or files. The file
// alone: operator commands run on an org's host with or without a broker.
import { JsonLinesSecurityEventSink, SecurityEventEmitter } from '@p2p-escrow/fabric-client';
import * as os from 'node:os';
import { securityEventsFile } from '../offchain/securityEvents';

/** The command's leading words (`channel add-org`, `payments reconcile`), at most three. */
export function operatorActionOf(argv: readonly string[]): string {
  const words: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-') || words.length === 3 || !/^[a-z][a-z0-9-]{0,40}$/.test(arg)) break;
    words.push(arg);
  }
  return words.length === 0 ? '(none)' : words.join(' ');
}

export async function recordOperatorAction(argv: readonly string[], exitCode: number): Promise<void> {
  const emitter = new SecurityEventEmitter([new JsonLinesSecurityEventSink(securityEventsFile('operator'))]);
  emitter.record({
    type: 'admin.action',
    source: 'operator',
    actor: { subject: os.userInfo().username.slice(0, 256), verified: false },
    detail: {
      action: `operator ${operatorActionOf(argv)}`,
      outcome: exitCode === 0 ? 'succeeded' : 'failed',
    },
  });
  await emitter.close(2_000);
}
