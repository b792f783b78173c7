import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { fromStateBytes, toStateBytes } from '../ledger/stateSerializer';

interface EscrowRecord {
  id: string;
  amount: string;
  currency: string;
  createdBy: string;
}

function parseEscrowRecord(bytes: Uint8Array): EscrowRecord {
  const value = fromStateBytes(bytes);
  if (typeof value !== 'object' || value === null) throw new Error('ESCROW_CORRUPT: not an object');
  const { id, amount, currency, createdBy } = value as Record<string, unknown>;
  if (typeof id !== 'string' || typeof amount !== 'string' || typeof currency !== 'string' || typeof createdBy !== 'string') {
    throw new Error('ESCROW_CORRUPT: missing fields');
  }
  return { id, amount, currency, createdBy };
}

@Info({ title: 'EscrowContract', description: 'Escrow of marketplace trades' })
export class EscrowContract extends Contract {
  constructor() {
    super('escrow');
  }

  @Transaction()
  public async createEscrow(ctx: Context, id: string, amount: string, currency: string): Promise<string> {
    const existing = await ctx.stub.getState(id);
    if (existing.length > 0) throw new Error(`ESCROW_EXISTS: escrow ${id} already exists`);
    const record: EscrowRecord = { id, amount, currency, createdBy: ctx.clientIdentity.getMSPID() };
    await ctx.stub.putState(id, toStateBytes(record));
    return JSON.stringify(record);
  }

  @Transaction(false)
  public async readEscrow(ctx: Context, id: string): Promise<string> {
    const bytes = await ctx.stub.getState(id);
    if (bytes.length === 0) throw new Error(`ESCROW_NOT_FOUND: escrow ${id} does not exist`);
    return JSON.stringify(parseEscrowRecord(bytes));
  }
}
