// A scratch schema's projection as Oversight's mirror writes it: an empty genesis block, then one block
// of the given transactions, applied through the real block effects and projection store (which also
// fills the outbox the relay and redelivery read).
import { OVERSIGHT } from '@p2p-escrow/chaincode';
import { projectionPool } from '@p2p-escrow/testkit';
import { blockEffects } from '../mirror/blockEffects';
import { PgProjectionStore } from '../store/pgProjectionStore';
import { deliveredBlock, type TxSpec } from './blockBuilder';

export async function projectFirstBlock(
  schema: string,
  transactions: readonly TxSpec[],
  topic = 'escrow-events',
): Promise<void> {
  const channel = 'marketplace';
  const options = { chaincodeName: 'escrow', channel, organization: OVERSIGHT };
  const projection = new PgProjectionStore(projectionPool(schema), topic);
  try {
    await projection.lastBlock(channel);
    await projection.applyBlock(channel, await blockEffects(deliveredBlock(0, []), options));
    await projection.applyBlock(channel, await blockEffects(deliveredBlock(1, transactions), options));
  } finally {
    await projection.close();
  }
}
