// An in-memory stand-in for the peer side of the chaincode API, for unit tests of the contract
// class only (the live-network tests use real peers). Like Fabric, a transaction does not see
// its own writes, and a transaction that throws leaves the ledger untouched.
import type { Context } from 'fabric-contract-api';
import type { Iterators } from 'fabric-shim';

interface Version {
  readonly txId: string;
  readonly timestampMs: number;
  readonly value: Uint8Array | null;
}

export interface Caller {
  readonly mspId: string;
  readonly attributes: Readonly<Record<string, string>>;
}

const SEP = '\u0000';

function iterator<T>(values: readonly T[]): Iterators.CommonIterator<T> {
  let index = 0;
  return {
    next: () => {
      const value = values[index];
      index += 1;
      return Promise.resolve(
        value === undefined ? { value: undefined as never, done: true } : { value, done: false },
      );
    },
    close: () => Promise.resolve(),
  };
}

export interface SubmitOptions {
  readonly txTimeMs?: number;
  readonly transient?: Record<string, string | Uint8Array>;
}

export class FakeLedger {
  readonly history = new Map<string, Version[]>();
  readonly validationParameters = new Map<string, Uint8Array>();
  readonly privateData = new Map<string, Uint8Array>();
  readonly purged: string[] = [];
  readonly events: { name: string; payload: unknown; txId: string }[] = [];
  private txCounter = 0;

  /** The collections of the chaincode definition; undefined: every name is defined. */
  constructor(readonly definedCollections?: ReadonlySet<string>) {}

  get(key: string): Uint8Array | undefined {
    const versions = this.history.get(key);
    const latest = versions?.at(-1);
    return latest?.value ?? undefined;
  }

  /** `as(caller, options)(body)`: submit, curried so a test reads as who does what. */
  as(caller: Caller, options: SubmitOptions = {}): <T>(body: (ctx: Context) => Promise<T>) => Promise<T> {
    return (body) => this.submit(caller, body, options);
  }

  /** Runs one transaction as `caller` at `txTimeMs`, committing its writes only if it succeeds. */
  async submit<T>(
    caller: Caller,
    body: (ctx: Context) => Promise<T>,
    options: SubmitOptions = {},
  ): Promise<T> {
    this.txCounter += 1;
    const txId = `tx${String(this.txCounter).padStart(4, '0')}`;
    const tx = new FakeTransaction(this, txId, options.txTimeMs ?? Date.now(), {
      ...(options.transient ?? {}),
    });
    const ctx = {
      stub: tx,
      clientIdentity: {
        getMSPID: () => caller.mspId,
        getAttributeValue: (name: string) => caller.attributes[name] ?? null,
      },
    } as unknown as Context;
    const result = await body(ctx);
    tx.commit();
    return result;
  }

  keysFrom(prefix: string): string[] {
    return [...this.history.keys()]
      .filter((key) => key.startsWith(prefix) && this.get(key) !== undefined)
      .sort();
  }
}

export class FakeTransaction {
  private readonly writes = new Map<string, Uint8Array | null>();
  private readonly parameterWrites = new Map<string, Uint8Array>();
  private readonly privateWrites = new Map<string, Uint8Array | null>();
  private event: { name: string; payload: unknown } | undefined;
  /** Fabric's simulator: private-data range queries only in a transaction that writes nothing. */
  private wrote = false;
  private queriedPrivateData = false;

  constructor(
    private readonly ledger: FakeLedger,
    private readonly txId: string,
    private readonly txTimeMs: number,
    private readonly transient: Record<string, string | Uint8Array>,
  ) {}

  commit(): void {
    for (const [key, value] of this.writes) {
      const versions = this.ledger.history.get(key) ?? [];
      versions.push({ txId: this.txId, timestampMs: this.txTimeMs, value });
      this.ledger.history.set(key, versions);
    }
    for (const [key, value] of this.parameterWrites) this.ledger.validationParameters.set(key, value);
    for (const [key, value] of this.privateWrites) {
      if (value === null) {
        this.ledger.privateData.delete(key);
        this.ledger.purged.push(key);
      } else this.ledger.privateData.set(key, value);
    }
    if (this.event !== undefined) this.ledger.events.push({ ...this.event, txId: this.txId });
  }

  getTxID(): string {
    return this.txId;
  }

  getDateTimestamp(): Date {
    return new Date(this.txTimeMs);
  }

  /** Adds transient entries to this transaction's proposal (the test's client side). */
  addTransient(entries: Record<string, string | Uint8Array>): void {
    Object.assign(this.transient, entries);
  }

  getTransient(): Map<string, Uint8Array> {
    return new Map(Object.entries(this.transient).map(([key, value]) => [key, Buffer.from(value)]));
  }

  getState(key: string): Promise<Uint8Array> {
    return Promise.resolve(this.ledger.get(key) ?? new Uint8Array());
  }

  private write(): void {
    if (this.queriedPrivateData)
      throw new Error('unsupported transaction: it has queried private data, writes are not allowed');
    this.wrote = true;
  }

  putState(key: string, value: Uint8Array): Promise<void> {
    this.write();
    if (value.length === 0) throw new Error('empty put');
    this.writes.set(key, value);
    return Promise.resolve();
  }

  deleteState(key: string): Promise<void> {
    this.write();
    this.writes.set(key, null);
    return Promise.resolve();
  }

  setStateValidationParameter(key: string, policy: Uint8Array): Promise<void> {
    this.parameterWrites.set(key, policy);
    return Promise.resolve();
  }

  setEvent(name: string, payload: Uint8Array): void {
    this.event = { name, payload: JSON.parse(Buffer.from(payload).toString('utf8')) as unknown };
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    return SEP + objectType + SEP + attributes.map((attribute) => attribute + SEP).join('');
  }

  splitCompositeKey(key: string): { objectType: string; attributes: string[] } {
    const [, objectType = '', ...rest] = key.split(SEP);
    return { objectType, attributes: rest.slice(0, -1) };
  }

  getStateByPartialCompositeKey(
    objectType: string,
    attributes: string[],
  ): Promise<Iterators.StateQueryIterator> {
    const prefix = this.createCompositeKey(objectType, attributes);
    const entries = this.ledger
      .keysFrom(prefix)
      .map((key) => ({ namespace: 'escrow', key, value: this.ledger.get(key) ?? new Uint8Array() }));
    return Promise.resolve(iterator(entries));
  }

  async getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark = '',
  ): Promise<{
    iterator: Iterators.StateQueryIterator;
    metadata: { fetchedRecordsCount: number; bookmark: string };
  }> {
    const prefix = this.createCompositeKey(objectType, attributes);
    const keys = this.ledger.keysFrom(prefix).filter((key) => bookmark === '' || key >= bookmark);
    const page = keys.slice(0, pageSize);
    const next = keys[pageSize] ?? '';
    const entries = page.map((key) => ({
      namespace: 'escrow',
      key,
      value: this.ledger.get(key) ?? new Uint8Array(),
    }));
    return Promise.resolve({
      iterator: iterator(entries),
      metadata: { fetchedRecordsCount: page.length, bookmark: next },
    });
  }

  getHistoryForKey(key: string): Promise<Iterators.HistoryQueryIterator> {
    const versions = [...(this.ledger.history.get(key) ?? [])].reverse();
    return Promise.resolve(
      iterator(
        versions.map((version) => ({
          txId: version.txId,
          isDelete: version.value === null,
          value: version.value ?? new Uint8Array(),
          timestamp: {
            seconds: Math.floor(version.timestampMs / 1000),
            nanos: (version.timestampMs % 1000) * 1_000_000,
          },
        })),
      ) as unknown as Iterators.HistoryQueryIterator,
    );
  }

  putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    this.write();
    this.privateWrites.set(`${collection}/${key}`, value);
    return Promise.resolve();
  }

  setPrivateDataValidationParameter(collection: string, key: string, policy: Uint8Array): Promise<void> {
    this.parameterWrites.set(`${collection}/${key}`, policy);
    return Promise.resolve();
  }

  /** Like the peer, fails only for a collection the chaincode definition lacks. */
  getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
    const defined = this.ledger.definedCollections;
    if (defined !== undefined && !defined.has(collection))
      return Promise.reject(new Error(`collection ${collection} could not be found`));
    return Promise.resolve(
      this.ledger.privateData.has(`${collection}/${key}`) ? Uint8Array.of(1) : new Uint8Array(),
    );
  }

  getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    return Promise.resolve(this.ledger.privateData.get(`${collection}/${key}`) ?? new Uint8Array());
  }

  deletePrivateData(collection: string, key: string): Promise<void> {
    this.write();
    this.privateWrites.set(`${collection}/${key}`, null);
    return Promise.resolve();
  }

  getPrivateDataByPartialCompositeKey(
    collection: string,
    objectType: string,
    attributes: string[],
  ): Promise<Iterators.StateQueryIterator> {
    if (this.wrote)
      return Promise.reject(
        new Error('unsupported transaction: private data queries only in a read-only one'),
      );
    this.queriedPrivateData = true;
    const prefix = `${collection}/${this.createCompositeKey(objectType, attributes)}`;
    const entries = [...this.ledger.privateData.keys()]
      .filter((key) => key.startsWith(prefix))
      .sort()
      .map((key) => ({
        namespace: 'escrow',
        key: key.slice(collection.length + 1),
        value: this.ledger.privateData.get(key) ?? new Uint8Array(),
      }));
    return Promise.resolve(iterator(entries));
  }

  purgePrivateData(collection: string, key: string): Promise<void> {
    this.privateWrites.set(`${collection}/${key}`, null);
    return Promise.resolve();
  }
}
