// The mirror's lag over the last minutes, as the consortium page samples it while it is open: the
// gateway keeps only the mirror's latest position (mirror_progress), so the history is the page's
// own, one sample per poll of GET /v1/consortium/status, the oldest dropped past a limit.

export interface LagSample {
  /** When the page read it (ms since the epoch). */
  readonly at: number;
  /** Blocks the mirror's checkpoint was behind the highest peer; null when that was unknown. */
  readonly lagBlocks: number | null;
}

/** The history with `sample` appended, keeping the newest `limit` samples. */
export function withSample(history: readonly LagSample[], sample: LagSample, limit: number): LagSample[] {
  const next = [...history, sample];
  return next.length > limit ? next.slice(next.length - limit) : next;
}

/** The chart's points: known lags only, labelled by the time of day they were read (local, to the second). */
export function lagPoints(
  history: readonly LagSample[],
  timeOf: (at: number) => string,
): { label: string; value: number }[] {
  return history.flatMap((sample) =>
    sample.lagBlocks === null ? [] : [{ label: timeOf(sample.at), value: sample.lagBlocks }],
  );
}
