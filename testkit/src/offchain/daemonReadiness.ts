// The readiness of the off-chain daemons as a partner's monitoring sees it: GET <ops url>/readyz.
export interface Readiness {
  readonly url: string;
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export async function readinessOf(opsUrl: string): Promise<Readiness> {
  const url = `${opsUrl}/readyz`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { url, status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Polls every daemon's /readyz until all answer `status`; bounded by `timeoutMs`. */
export async function waitForReadiness(
  opsUrls: readonly string[],
  status: number,
  timeoutMs = 60_000,
): Promise<Readiness[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answers = await Promise.all(opsUrls.map(readinessOf));
    if (answers.every((answer) => answer.status === status)) return answers;
    if (Date.now() > deadline)
      throw new Error(`readiness did not become ${status} in ${timeoutMs} ms: ${JSON.stringify(answers)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
