// The run/stop state of a polling loop: `running` until stop(), and pauses that stop() (or an early
// wake(), e.g. when new work arrives) cuts short, so a stop never waits out a poll interval.
export class StoppableLoop {
  #stopped = false;
  #wake: (() => void) | undefined;

  get running(): boolean {
    return !this.#stopped;
  }

  stop(): void {
    this.#stopped = true;
    this.wake();
  }

  /** Ends the current pause now. */
  wake(): void {
    this.#wake?.();
  }

  pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
