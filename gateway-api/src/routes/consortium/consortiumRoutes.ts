// The consortium's read-only views. GET /v1/consortium/trust-anchors: the channel's members and their
// public CA certificates with the chaincode definition's endorsement policy, everything a proof
// verifier trusts (readable by any ledger reader: it is public material). GET /v1/consortium/status:
// each org's peer's channel height, whether each orderer answers a TLS handshake at the address the
// channel's configuration gives it, the chaincode definition, the mirror's lag behind the ledger and
// its lag per minute over the last half hour (from the projection), for auditors (the peer operator's page); each read is signed by the caller's auditor identity, so
// a role with no ledger identity (the operator's) reads the gateway's /readyz instead.
import {
  DEFAULT_MIRROR_LAG_WINDOW,
  type MirrorLagBucket,
  type MirrorPosition,
} from '@p2p-escrow/offchain-db';
import type { Request, Response } from 'express';
import { principalOf } from '../../auth/authenticate';
import type { ConsortiumLedger } from '../../fabric/consortiumLedger';
import type { RouteContext } from '../routeContext';
import { callerAs, firstHeld, readerFor } from '../escrows/escrowAccess';

export interface ConsortiumViews {
  readonly ledger: ConsortiumLedger;
  /** The org's mirror's position per channel (its projection's mirror_progress). */
  mirrorPositions(): Promise<MirrorPosition[]>;
  /** The mirror's lag per slice of the default window (DEFAULT_MIRROR_LAG_WINDOW), from the projection. */
  mirrorLagHistory(): Promise<MirrorLagBucket[]>;
}

export function getTrustAnchorsRoute(context: RouteContext) {
  return async (_request: Request, response: Response): Promise<void> => {
    const caller = await readerFor(context.identities, principalOf(response));
    const [anchors, definition] = await Promise.all([
      context.consortium.ledger.trustAnchors(caller),
      context.consortium.ledger.chaincodeDefinition(caller),
    ]);
    response.json({
      ...anchors,
      chaincode: definition.name,
      chaincodePolicy: definition.endorsementRule,
    });
  };
}

/** Blocks the mirror's checkpoint is behind the highest peer height seen (0 when none answered). */
function lagOf(position: MirrorPosition | undefined, tallest: bigint | undefined): number | null {
  if (position === undefined || tallest === undefined) return null;
  const applied = position.checkpoint === null ? -1n : BigInt(position.checkpoint);
  const behind = tallest - 1n - applied;
  return Number(behind < 0n ? 0n : behind);
}

export function getConsortiumStatusRoute(context: RouteContext) {
  return async (_request: Request, response: Response): Promise<void> => {
    const principal = principalOf(response);
    const caller = await callerAs(context.identities, principal, firstHeld(principal, ['auditor']));
    const [peers, orderers, chaincode, positions, lagHistory] = await Promise.all([
      context.consortium.ledger.peerHeights(caller),
      context.consortium.ledger.ordererReach(caller),
      context.consortium.ledger.chaincodeDefinition(caller),
      context.consortium.mirrorPositions(),
      context.consortium.mirrorLagHistory(),
    ]);
    const heights = peers.flatMap((each) => (each.height === null ? [] : [BigInt(each.height)]));
    const tallest = heights.length === 0 ? undefined : heights.reduce((a, b) => (a > b ? a : b));
    const position =
      positions.find((each) => each.channel === context.consortium.ledger.channel) ?? positions[0];
    // The rule tree is for verifiers (trust-anchors); this view shows the policy as text.
    const definition = {
      name: chaincode.name,
      version: chaincode.version,
      sequence: chaincode.sequence,
      endorsementPolicy: chaincode.endorsementPolicy,
      initRequired: chaincode.initRequired,
      approvals: chaincode.approvals,
    };
    response.json({
      peers,
      orderers,
      chaincode: definition,
      mirror: position === undefined ? null : { ...position, lagBlocks: lagOf(position, tallest) },
      mirrorLagHistory: { ...DEFAULT_MIRROR_LAG_WINDOW, buckets: lagHistory },
    });
  };
}
