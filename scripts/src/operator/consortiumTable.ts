// The human form of `consortium show`: one aligned table per section, plain text.
import type { ConsortiumView } from './consortiumView';

/** Left-aligned columns, two spaces apart, a header row first. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

function approvalsOf(approvals: Record<string, boolean>): string {
  const entries = Object.entries(approvals).sort(([a], [b]) => a.localeCompare(b));
  const approved = entries.filter(([, yes]) => yes).map(([mspId]) => mspId);
  const pending = entries.filter(([, yes]) => !yes).map(([mspId]) => mspId);
  return (
    `${String(approved.length)} of ${String(entries.length)}: ${approved.join(', ') || 'none'}` +
    (pending.length > 0 ? ` (not approved: ${pending.join(', ')})` : '')
  );
}

export function formatConsortium(view: ConsortiumView): string {
  const lines = [`channel ${view.channel}`, '', 'organizations'];
  lines.push(
    ...table(
      ['org', 'msp id', 'kind', 'anchor peers / orderer endpoints', 'node OUs'],
      view.orgs.map((org) => [
        org.name,
        org.mspId,
        org.kind,
        [...org.anchorPeers, ...org.ordererEndpoints].join(', ') || '-',
        org.nodeOus.join(',') || '-',
      ]),
    ),
  );
  lines.push('', `raft consenters  ${view.consenters.join(', ') || '-'}`, '', 'peers');
  lines.push(
    ...table(
      ['org', 'peer', 'endpoint', 'health', 'height'],
      view.peers.map((peer) => [
        peer.org,
        peer.peer,
        peer.endpoint,
        peer.health,
        peer.height === null ? '?' : String(peer.height),
      ]),
    ),
  );
  lines.push('', 'orderers');
  lines.push(
    ...table(
      ['node', 'endpoint', 'health'],
      view.orderers.map((orderer) => [orderer.node, orderer.endpoint, orderer.health]),
    ),
  );
  lines.push('', 'chaincode');
  const chaincode = view.chaincode;
  if (chaincode === null) {
    lines.push('  no definition committed');
  } else {
    lines.push(
      `  name         ${chaincode.name}`,
      `  version      ${chaincode.version}`,
      `  sequence     ${String(chaincode.sequence)}`,
      `  collections  ${chaincode.collections.join(', ') || '-'}`,
      `  approved by  ${approvalsOf(chaincode.approvals)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
