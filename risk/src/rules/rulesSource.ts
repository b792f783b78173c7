// The rules in force: loaded from the file at start (a bad file stops the service there), then
// reloaded whenever the file changes or on SIGHUP. A bad edit keeps the rules in force and is
// reported (health, log) until the file is fixed, so a typo never stops the pipeline.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { loadRuleSet, type RuleSet } from './ruleSet';

export interface LoadedRules {
  readonly ruleSet: RuleSet;
  /** sha256 of the file's bytes, so an operator (or a test) can tell which version is in force. */
  readonly sha256: string;
  readonly loadedAt: Date;
}

function digestOf(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export class RulesSource {
  #loaded: LoadedRules;
  #error: string | undefined;

  constructor(
    readonly file: string,
    private readonly onReload: (outcome: { loaded?: LoadedRules; error?: string }) => void = () => undefined,
  ) {
    this.#loaded = RulesSource.read(file);
  }

  private static read(file: string): LoadedRules {
    const sha256 = digestOf(file);
    return { ruleSet: loadRuleSet(file), sha256, loadedAt: new Date() };
  }

  get current(): RuleSet {
    return this.#loaded.ruleSet;
  }

  get status(): { file: string; sha256: string; rules: number; loadedAt: string; error?: string } {
    return {
      file: this.file,
      sha256: this.#loaded.sha256,
      rules: this.#loaded.ruleSet.rules.length,
      loadedAt: this.#loaded.loadedAt.toISOString(),
      ...(this.#error === undefined ? {} : { error: this.#error }),
    };
  }

  /** Reads the file again if its bytes changed; keeps the rules in force when it is bad. */
  reload(): void {
    try {
      if (digestOf(this.file) === this.#loaded.sha256 && this.#error === undefined) return;
      this.#loaded = RulesSource.read(this.file);
      this.#error = undefined;
      this.onReload({ loaded: this.#loaded });
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error);
      this.onReload({ error: this.#error });
    }
  }

  /** Reloads on every change the file's mtime shows (polled) and on SIGHUP; returns the stopper. */
  watch(pollMs: number): () => void {
    const listener = () => {
      this.reload();
    };
    fs.watchFile(this.file, { interval: pollMs }, listener);
    process.on('SIGHUP', listener);
    return () => {
      fs.unwatchFile(this.file, listener);
      process.off('SIGHUP', listener);
    };
  }
}
