// The mirror's lag per minute of the last half hour, as the gateway reads it from the projection
// (GET /v1/consortium/status, mirrorLagHistory): the chart shows each minute's p95 of transaction
// time → row written, so a mirror falling behind shows as a rising line whoever opened the page when.
import type { ConsortiumStatus } from '../api/gatewayApi';

export type LagBucket = ConsortiumStatus['mirrorLagHistory']['buckets'][number];

/** The chart's points: each minute's p95 in milliseconds, labelled by the minute it starts (local time). */
export function lagPoints(
  buckets: readonly LagBucket[],
  timeOf: (start: Date) => string,
): { label: string; value: number }[] {
  return buckets.map((bucket) => ({ label: timeOf(new Date(bucket.start)), value: bucket.p95Ms }));
}
