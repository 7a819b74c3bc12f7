/**
 * FIND_VALUE (§2.3) over the node lookup: the same iterative Lookup, plus the stop rule. "The
 * procedure halts immediately when any node returns the value"; with a quorum, once `wanted`
 * peers have (Get with quorum > 1 reads several versions and keeps the newest). With
 * `wanted` = 0 it never stops on a value: a FIND_NODE. Pure, like Lookup: the caller sends the
 * queries `next` asks for and reports each answer.
 */
import type { Contact } from './contact.js';
import type { Lookup, LookupStep } from './lookup.js';

export type ValueLookupStep = LookupStep | { readonly kind: 'found'; readonly values: number };

export class ValueLookup<V> {
  /** Values returned, with the peer that held each, in arrival order. */
  readonly values: { readonly value: V; readonly from: Contact }[] = [];
  /** Peers that answered without a value. */
  readonly answeredWithout: Contact[] = [];
  private found = false;

  constructor(
    readonly lookup: Lookup,
    private readonly wanted: number,
  ) {}

  next(nowMs: number): ValueLookupStep {
    return this.found ? { kind: 'found', values: this.values.length } : this.lookup.next(nowMs);
  }

  /** `peer` answered with a value. */
  onValue(peer: Contact, value: V, nowMs: number): void {
    if (this.found) return;
    this.values.push({ value, from: peer });
    if (this.wanted > 0 && this.values.length >= this.wanted) this.found = true;
    else this.lookup.onSuccess(peer.id, [], nowMs);
  }

  /** `peer` answered without a value, with contacts closer to the target. */
  onCloser(peer: Contact, closer: readonly Contact[], nowMs: number): void {
    if (this.found) return;
    this.answeredWithout.push(peer);
    this.lookup.onSuccess(peer.id, closer, nowMs);
  }

  onFailure(peer: Contact, nowMs: number): void {
    if (!this.found) this.lookup.onFailure(peer.id, nowMs);
  }
}

/** What a Get reads: a quorum of 1..k versions (the newest wins); the local copy counts as one,
 * so with quorum 1 it answers at once, without a lookup, and otherwise the lookup wants the rest. */
export interface ReadPlan {
  readonly quorum: number;
  readonly answerLocally: boolean;
  /** Values the FIND_VALUE lookup stops at. */
  readonly valuesWanted: number;
}

export function planRead(requestedQuorum: number, k: number, haveLocal: boolean): ReadPlan {
  const quorum = Math.min(Math.max(requestedQuorum, 1), k);
  return { quorum, answerLocally: haveLocal && quorum === 1, valuesWanted: quorum - (haveLocal ? 1 : 0) };
}
