// What the stack itself says of each lost answer, so a failed verdict explains itself: each org's
// peer asked for the answered transaction id (qscc GetTransactionByID, as that org's admin), and the
// lines of the gateways' and peers' logs that name it (the peer's gateway logs every orderer it tried).
import { loadRecord, peerOrgs, peerServiceName, gatewayServiceName } from '@p2p-escrow/scripts';
import { openGateway, validationCodeOnLedger } from '@p2p-escrow/testkit';
import { StatusCode } from '@hyperledger/fabric-gateway';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { describeLostAnswer, type LostAnswer } from './lostAnswers';

export interface LostAnswerDiagnosis extends LostAnswer {
  /** Org → what its peer's ledger holds of the transaction id. */
  readonly peers: Readonly<Record<string, string>>;
  /** Log lines (gateways, peers) naming the transaction id, oldest first per log. */
  readonly logLines: readonly string[];
}

const codeNames = new Map<number, string>(Object.entries(StatusCode).map(([name, code]) => [code, name]));

function messageOf(error: unknown): string {
  const details = (error as { details?: { message?: string }[] }).details ?? [];
  const text = [
    error instanceof Error ? error.message : String(error),
    ...details.map((d) => d.message ?? ''),
  ];
  return text.join(' | ');
}

/** One org's peer's answer for a transaction id. */
async function onPeer(org: string, transactionId: string): Promise<string> {
  const session = openGateway(org, `${org.toLowerCase()}-admin`);
  try {
    const code = await validationCodeOnLedger(session.gateway, transactionId);
    return code === 0 ? 'VALID' : `INVALID ${codeNames.get(code) ?? String(code)}`;
  } catch (error) {
    const message = messageOf(error);
    return /no such transaction/i.test(message) ? 'not on this peer' : `error: ${message.slice(0, 200)}`;
  } finally {
    session.close();
  }
}

/** The lines of `files` that contain any of `needles` (grep -F), at most `max` per file. */
function grepLogs(files: readonly string[], needles: readonly string[], max = 40): Promise<string[]> {
  const present = files.filter((file) => fs.existsSync(file));
  if (present.length === 0 || needles.length === 0) return Promise.resolve([]);
  const args = ['-F', '-H', '-m', String(max), ...needles.flatMap((needle) => ['-e', needle]), ...present];
  return new Promise((resolve) => {
    execFile('grep', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (_error, stdout) => {
      resolve(stdout.split('\n').filter((line) => line !== ''));
    });
  });
}

/** The logs of every org's gateway and peer, as the runner recorded them. */
function ledgerLogs(): string[] {
  return peerOrgs
    .flatMap((org) => [gatewayServiceName(org.name), peerServiceName(org)])
    .map((name) => loadRecord(name)?.log)
    .filter((file): file is string => file !== undefined);
}

export async function diagnoseLostAnswers(lost: readonly LostAnswer[]): Promise<LostAnswerDiagnosis[]> {
  const txIds = lost.map((answer) => answer.transactionId).filter((id): id is string => id !== undefined);
  const lines = await grepLogs(ledgerLogs(), txIds);
  const diagnoses: LostAnswerDiagnosis[] = [];
  for (const answer of lost) {
    const peers: Record<string, string> = {};
    if (answer.transactionId !== undefined)
      for (const org of peerOrgs) peers[org.name] = await onPeer(org.name, answer.transactionId);
    const id = answer.transactionId;
    diagnoses.push({
      ...answer,
      peers,
      logLines: id === undefined ? [] : lines.filter((line) => line.includes(id)).map((l) => l.slice(0, 600)),
    });
  }
  return diagnoses;
}

/** The diagnosis in one line: the lost answer and each peer's word on its transaction. */
export function describeDiagnosis(diagnosis: LostAnswerDiagnosis): string {
  const peers = Object.entries(diagnosis.peers)
    .map(([org, said]) => `${org}: ${said}`)
    .join(', ');
  return `${describeLostAnswer(diagnosis)}${peers === '' ? '' : `; peers: ${peers}`}`;
}
