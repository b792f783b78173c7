// The file every security event also goes to: one JSON line per event under the state directory,
// readable by a SOC's log shipper and kept when the broker is down (or, for operator commands, absent).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SecurityEventSink } from './securityEmitter';
import type { SecurityEvent } from './securityEvent';

/** Appends one JSON line per event; whole lines per write, so a reader never sees half an event. */
export class JsonLinesSecurityEventSink implements SecurityEventSink {
  readonly name = 'file';

  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  }

  async write(events: readonly SecurityEvent[]): Promise<void> {
    await fs.promises.appendFile(this.file, events.map((event) => `${JSON.stringify(event)}\n`).join(''), {
      mode: 0o600,
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
