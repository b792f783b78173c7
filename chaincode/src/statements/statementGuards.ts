// Who may act on a statement between two marketplaces. Only the pair's own operators propose it (an
// admin or payments identity of either), only the paying marketplace's payments identity settles it,
// and besides the pair's operators only Oversight's auditors read it: no buyer, seller, other
// marketplace or arbiter (disputes are settled per escrow, never per statement).
import { OVERSIGHT, type Role } from '../config/identityConfig';
import { ForbiddenActorError } from '../errors/escrowErrors';
import type { Actor } from '../identity/actor';

const PROPOSER_ROLES: readonly Role[] = ['admin', 'payments'];
const OPERATOR_ROLES: readonly Role[] = ['admin', 'payments', 'marketplace'];

function describe(actor: Actor): string {
  return `${actor.role} ${actor.userId}@${actor.organization}`;
}

function ofPair(first: string, second: string, actor: Actor): boolean {
  return actor.organization === first || actor.organization === second;
}

export function requireStatementProposer(first: string, second: string, actor: Actor): void {
  if (!ofPair(first, second, actor) || !PROPOSER_ROLES.includes(actor.role))
    throw new ForbiddenActorError(
      `${describe(actor)} is not an admin or payments identity of ${first} or ${second}`,
    );
}

export function requireStatementSettler(payer: string, statementId: string, actor: Actor): void {
  if (actor.role !== 'payments' || actor.organization !== payer)
    throw new ForbiddenActorError(
      `${describe(actor)} is not a payments identity of ${payer}, which pays statement ${statementId}`,
    );
}

export function requireStatementReader(first: string, second: string, actor: Actor): void {
  if (ofPair(first, second, actor) && OPERATOR_ROLES.includes(actor.role)) return;
  if (actor.organization === OVERSIGHT && actor.role === 'auditor') return;
  throw new ForbiddenActorError(`${describe(actor)} may not read the statements of ${first} and ${second}`);
}
