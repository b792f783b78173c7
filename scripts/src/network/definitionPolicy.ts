// The escrow chaincode definition's own endorsement policy: the one every key without a key-level
// policy falls back to (a new escrow's keys, the channel settings, the marketplace registry when new).
//
// Any two member orgs' peers, whatever the channel's size. With the three founders this is exactly
// the channel's `MAJORITY Endorsement`; with more members a majority would make every new escrow
// gather endorsements from orgs outside its trade, and every endorser receives the proposal's
// transient terms, so a growing consortium would leak each trade to its competitors. Once written,
// an escrow's keys carry their own state-based policy (its marketplaces, Oversight on a dispute).

/** The `--signature-policy` of the definition for the channel's application orgs (MSP IDs). */
export function definitionEndorsementPolicy(memberMspIds: readonly string[]): string {
  const members = [...new Set(memberMspIds)].sort();
  if (members.length < 2)
    throw new Error(`a channel needs two application orgs to endorse, not ${String(members.length)}`);
  return `OutOf(2, ${members.map((mspId) => `'${mspId}.peer'`).join(', ')})`;
}
