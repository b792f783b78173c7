// The processed-events record of one payments service: a JSON-lines journal under its state
// directory, read once at start and appended (and synced) before an event is answered. The ledger
// stays the authority on funding; this record lets a repeated delivery be answered without it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { ProcessedEvent, ProcessedEvents } from './fundingPorts';

const entry = z.object({
  eventId: z.string().min(1),
  escrowId: z.string().min(1),
  paymentId: z.string().min(1),
  transactionId: z.string().min(1).optional(),
  processedAt: z.string().min(1),
});

export class FileProcessedEvents implements ProcessedEvents {
  readonly #byEventId = new Map<string, ProcessedEvent>();

  private constructor(private readonly file: string) {}

  /** Opens (or creates) the journal; a torn last line, from a crash mid-append, is skipped. */
  static open(dir: string): FileProcessedEvents {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const store = new FileProcessedEvents(path.join(dir, 'processed-events.jsonl'));
    if (!fs.existsSync(store.file)) return store;
    for (const line of fs.readFileSync(store.file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      const read = entry.safeParse(parsed);
      if (read.success)
        store.#byEventId.set(read.data.eventId, {
          ...read.data,
          transactionId: read.data.transactionId,
        });
    }
    return store;
  }

  find(eventId: string): Promise<ProcessedEvent | undefined> {
    return Promise.resolve(this.#byEventId.get(eventId));
  }

  async record(event: ProcessedEvent): Promise<void> {
    const handle = await fs.promises.open(this.file, 'a', 0o600);
    try {
      await handle.appendFile(`${JSON.stringify(event)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.#byEventId.set(event.eventId, event);
  }

  get size(): number {
    return this.#byEventId.size;
  }
}
