// The chaincode's refusal inside a Fabric error, for every Fabric adapter of this package: the
// endorsers' details first (where the chaincode's `CODE: detail` message is), then the error's own text.
import { GatewayError } from '@hyperledger/fabric-gateway';
import { refusalIn, type Refusal } from '@p2p-escrow/chaincode';

/** The chaincode's refusal in a Fabric error, if it gave one. */
export function refusalOf(error: unknown): Refusal | undefined {
  const texts = error instanceof GatewayError ? error.details.map((detail) => detail.message) : [];
  texts.push(error instanceof Error ? error.message : String(error));
  return refusalIn(texts);
}
