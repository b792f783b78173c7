// The texts a failed Fabric call carries, for reading a chaincode's refusal out of them (the chaincode's
// refusalIn): the endorsers' details first, where the chaincode's `CODE: detail` message is, then the
// error's own message.
import { GatewayError } from '@hyperledger/fabric-gateway';

export function fabricErrorTexts(error: unknown): string[] {
  const texts = error instanceof GatewayError ? error.details.map((detail) => detail.message) : [];
  texts.push(error instanceof Error ? error.message : String(error));
  return texts;
}
