// Runs tasks one after another per key (e.g. per escrow) and in parallel across keys; a key's entry
// is dropped once its last task settles, so the map holds only keys with work in flight.
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Keys with work in flight (for tests and metrics). */
  get size(): number {
    return this.#tails.size;
  }
}
