// The events API's reads on the org's projection (its transitions, escrows and outbox messages). The
// statement comes from offchain-db's query builder.
import { buildEventQuery, type EventQuery, type EventRow } from '@p2p-escrow/offchain-db';
import type { Pool } from 'pg';

export interface EventStore {
  events(query: EventQuery): Promise<EventRow[]>;
}

export class PgEventStore implements EventStore {
  constructor(private readonly pool: Pool) {}

  async events(query: EventQuery): Promise<EventRow[]> {
    const statement = buildEventQuery(query);
    return (await this.pool.query<EventRow>(statement.text, statement.values)).rows;
  }
}
