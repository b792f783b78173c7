// Prometheus metrics (prom-client): HTTP rate and latency by route and status, Fabric endorse/submit
// and commit latency by transaction, and retries.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LedgerMetrics, PeerCallKind } from '../fabric/escrowLedgerClient';
import type { CatchUpOutcome } from '../fabric/peerCatchUp';

export class GatewayMetrics implements LedgerMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'gateway_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly fabricEndorseSubmit = new Histogram({
    name: 'gateway_fabric_submit_duration_seconds',
    help: 'Endorsement plus submission to the orderers, by transaction',
    labelNames: ['transaction'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly fabricCommit = new Histogram({
    name: 'gateway_fabric_commit_duration_seconds',
    help: 'Wait from submission until the commit status is known, by transaction',
    labelNames: ['transaction'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  readonly peerCatchUp = new Histogram({
    name: 'gateway_fabric_peer_catch_up_seconds',
    help: "After a commit on the caller's peer, the wait until another org's peer has it too, by org and outcome",
    labelNames: ['org', 'outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly readYourWrites = new Histogram({
    name: 'gateway_fabric_read_your_writes_seconds',
    help: "After a commit on the caller's peer, the whole wait until every other org's peer has it too, by transaction",
    labelNames: ['transaction'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });
  // What each transition costs the peers beyond its own endorsement: the bench divides these by the
  // transitions it drove.
  readonly peerCalls = new Counter({
    name: 'gateway_fabric_peer_calls_total',
    help: 'Calls to the peers by kind (evaluate: a chaincode or qscc query; endorse: a proposal to submit; commit_status: one commit-status request to one peer; block_stream_open: a block stream (re)opened to follow the peer of another org) and transaction',
    labelNames: ['kind', 'transaction'] as const,
    registers: [this.registry],
  });
  readonly fabricRetries = new Counter({
    name: 'gateway_fabric_retries_total',
    help: 'Fabric calls retried, by transaction and error code',
    labelNames: ['transaction', 'code'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeEndorse(transaction: string, seconds: number): void {
    this.fabricEndorseSubmit.observe({ transaction }, seconds);
  }

  observeCommit(transaction: string, seconds: number): void {
    this.fabricCommit.observe({ transaction }, seconds);
  }

  observeReadYourWrites(transaction: string, seconds: number): void {
    this.readYourWrites.observe({ transaction }, seconds);
  }

  observeCatchUp(org: string, outcome: CatchUpOutcome, seconds: number): void {
    this.peerCatchUp.observe({ org, outcome }, seconds);
  }

  countPeerCall(kind: PeerCallKind, transaction: string): void {
    this.peerCalls.inc({ kind, transaction });
  }

  countBlockStreamOpened(org: string): void {
    this.peerCalls.inc({ kind: 'block_stream_open', transaction: `filtered-blocks:${org}` });
  }

  countRetry(transaction: string, code: string): void {
    this.fabricRetries.inc({ transaction, code });
  }
}
