// The two clocks every deadline is judged by: the transaction time (stamped by the client within the
// endorsers' skew) and the endorser's own clock. Shared by the escrow's and the items' rules.
import type { Actor } from '../identity/actor';

export interface Step {
  /** The transaction time: the escrow's clock, stamped by the client within the endorsers' skew. */
  readonly now: number;
  /** This endorser's own clock, consulted only to decide whether a deadline has passed. */
  readonly endorserNow: number;
  readonly at: string;
  readonly actor: Actor;
}

/**
 * A deadline has passed only once it has on both clocks. A client may stamp a proposal up to the
 * allowed skew ahead of (or behind) the endorsers, so the transaction time alone would let a
 * deadline-driven transition (auto-release, cancel after fund-by, refund after ship-by) run up to
 * the skew early, or a transition that a deadline closes (fund, ship, dispute) run up to it late.
 */
export function reached(step: Step, deadlineMs: number): boolean {
  return Math.min(step.now, step.endorserNow) >= deadlineMs;
}

export function passed(step: Step, deadlineMs: number): boolean {
  return Math.min(step.now, step.endorserNow) > deadlineMs;
}

/** Still within a deadline on both clocks (the inclusive counterpart of `passed`). */
export function within(step: Step, deadlineMs: number): boolean {
  return Math.max(step.now, step.endorserNow) <= deadlineMs;
}

/** Still before a deadline on both clocks (the counterpart of `reached`). */
export function before(step: Step, deadlineMs: number): boolean {
  return Math.max(step.now, step.endorserNow) < deadlineMs;
}
