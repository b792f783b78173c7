// The checks of a payee account registration: a seller's user id as the ledger spells it, and an
// account the provider pays out to. A bad one is refused with a stable code before anything is stored.
import { LIMITS } from '@p2p-escrow/chaincode';

export type PayeeAccountErrorCode = 'PAYEE_USER_INVALID' | 'PAYEE_ACCOUNT_INVALID';

export class PayeeAccountError extends Error {
  constructor(
    readonly code: PayeeAccountErrorCode,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'PayeeAccountError';
  }
}

/** The ledger's id rule (the chaincode's `requireId`): a letter or digit, then letters, digits, `._@-`. */
const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

export function checkedPayeeAccount(
  userId: string,
  accountId: string,
  isPayeeAccount: (account: string) => boolean,
): { userId: string; accountId: string } {
  if (!USER_ID.test(userId) || userId.length > LIMITS.idLength)
    throw new PayeeAccountError(
      'PAYEE_USER_INVALID',
      `${JSON.stringify(userId)} is not a user id of the ledger`,
    );
  if (!isPayeeAccount(accountId))
    throw new PayeeAccountError(
      'PAYEE_ACCOUNT_INVALID',
      `${JSON.stringify(accountId)} is not an account the provider pays out to`,
    );
  return { userId, accountId };
}
