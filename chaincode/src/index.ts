// Entry point of the chaincode server: fabric-chaincode-node serves every contract listed here.
import { EscrowContract } from './escrow/escrowContract';

export { EscrowContract };
export const contracts: (typeof EscrowContract)[] = [EscrowContract];
