// A block source over synthetic blocks (with their private data), for mirror tests without a peer.
import type { BlockSource, BlockStream } from '../ledger/ledgerPorts';
import { deliveredBlock, escrowRecord, escrowTx, type TxSpec } from './blockBuilder';

/** Blocks 0..height-1, block n holding one escrow transaction, or `special(n)` when it gives one. */
export function syntheticChain(
  height: number,
  special: (n: number) => TxSpec | undefined = () => undefined,
): BlockSource {
  return {
    blocks: (start: bigint): Promise<BlockStream> => {
      let closed = false;
      return Promise.resolve({
        close: () => {
          closed = true;
        },
        async *[Symbol.asyncIterator]() {
          for (let n = Number(start); n < height && !closed; n += 1) {
            await Promise.resolve();
            const tx = special(n) ?? escrowTx(`tx-${n}`, 'EscrowCreated', escrowRecord(`esc-${n}`));
            yield deliveredBlock(n, n === 0 ? [] : [tx]);
          }
        },
      });
    },
  };
}
