// The chaincode's refusal inside a Fabric error, for every Fabric adapter of this package.
import { refusalIn, type Refusal } from '@p2p-escrow/chaincode';
import { fabricErrorTexts } from '@p2p-escrow/fabric-client';

/** The chaincode's refusal in a Fabric error, if it gave one. */
export function refusalOf(error: unknown): Refusal | undefined {
  return refusalIn(fabricErrorTexts(error));
}
