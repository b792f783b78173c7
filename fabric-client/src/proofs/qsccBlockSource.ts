// A proof's block source over a peer's query system chaincode (qscc), through a Network of the one
// connection recipe: the peer answers with whole blocks, and its chain's height.
import type { Network } from '@hyperledger/fabric-gateway';
import { common } from '@hyperledger/fabric-protos';
import type { BlockSource } from './proofAssembly';

export function qsccBlockSource(network: Network): BlockSource {
  const qscc = network.getContract('qscc');
  const channel = network.getName();
  const block = async (name: string, argument: string) =>
    common.Block.deserializeBinary(await qscc.evaluateTransaction(name, channel, argument));
  return {
    blockByTxId: (txId) => block('GetBlockByTxID', txId),
    blockByNumber: (number) => block('GetBlockByNumber', String(number)),
    height: async () =>
      BigInt(
        common.BlockchainInfo.deserializeBinary(
          await qscc.evaluateTransaction('GetChainInfo', channel),
        ).getHeight(),
      ),
  };
}
