// What `fabric-chaincode-node server` serves: it loads this module through server/package.json. Kept
// apart from the package's face (index.ts) so that reading the contract's definitions does not load
// fabric-contract-api in every process that talks to the chaincode.
import { EscrowContract } from './escrow/escrowContract';

export { EscrowContract };
export const contracts: (typeof EscrowContract)[] = [EscrowContract];
