/**
 * Kademlia protocol parameters (Maymounkov & Mazières 2002, "Kademlia", §2.3, §2.5, §4) and
 * their defaults, with a validator that lists every problem at once.
 */
import { DEFAULT_RECORD_LIMITS, type RecordLimits } from './record.js';

export interface KademliaConfig {
  /** Bucket size and replication factor (§2.2). */
  k: number;
  /** Lookup parallelism (§2.3). */
  alpha: number;
  rpcTimeoutMs: number;
  /** Deadline of one whole lookup. */
  lookupTimeoutMs: number;
  /** Refresh a bucket with no lookup in this long (§2.3). */
  refreshMs: number;
  /** Holders re-replicate their records this often (§2.5). */
  replicateMs: number;
  /** The original publisher republishes this often (§2.5). */
  republishMs: number;
  /** Record lifetime from its creation (§2.5). */
  expireMs: number;
  /** Records one node holds at most. */
  maxRecords: number;
  limits: RecordLimits;
}

const SECOND_MS = 1000;
const HOUR_MS = 60 * 60 * SECOND_MS;

/** Largest accepted k: a bucket of 256 already far exceeds any practical replication factor. */
export const MAX_K = 256;

export const DEFAULT_CONFIG: KademliaConfig = {
  /** §4: k = 20. */
  k: 20,
  /** §4: alpha = 3. */
  alpha: 3,
  /** Design choice: 2 s covers a round trip within one region. */
  rpcTimeoutMs: 2 * SECOND_MS,
  /** Design choice: a few rounds of RPC timeouts. */
  lookupTimeoutMs: 10 * SECOND_MS,
  /** §2.3: buckets not looked up in an hour are refreshed. */
  refreshMs: HOUR_MS,
  /** §2.5: holders republish every hour. */
  replicateMs: HOUR_MS,
  /** §2.5: the original publisher republishes every 24 hours. */
  republishMs: 24 * HOUR_MS,
  /**
   * §2.5: records expire 24 hours after publication. The paper has the publisher republish on
   * the same 24 h period; equal values are the design's choice, so a record lives as long as its
   * publisher keeps republishing it in time, and holders' hourly replication carries it between.
   */
  expireMs: 24 * HOUR_MS,
  /** Design choice: bounds memory at about maxRecords * (maxKeyBytes + maxValueBytes). */
  maxRecords: 100_000,
  limits: DEFAULT_RECORD_LIMITS,
};

/**
 * The longest one client operation may take: a whole lookup, then one more RPC round (the
 * STOREs of a Put) with room for one RPC in flight when the lookup's deadline struck.
 */
export function maxOperationMs(c: KademliaConfig): number {
  return c.lookupTimeoutMs + 2 * c.rpcTimeoutMs;
}

const isPositiveInteger = (n: unknown): boolean => typeof n === 'number' && Number.isSafeInteger(n) && n > 0;

/** Every problem with c, as readable sentences; empty when c is usable. */
export function validateConfig(c: KademliaConfig): string[] {
  const problems: string[] = [];
  if (!isPositiveInteger(c.k) || c.k > MAX_K) problems.push(`k must be an integer in 1..${MAX_K}, got ${c.k}`);
  if (!isPositiveInteger(c.alpha) || (isPositiveInteger(c.k) && c.alpha > c.k)) {
    problems.push(`alpha must be an integer in 1..k (${c.k}), got ${c.alpha}`);
  }
  const positive = ['rpcTimeoutMs', 'lookupTimeoutMs', 'refreshMs', 'replicateMs', 'republishMs', 'expireMs', 'maxRecords'] as const;
  for (const name of positive) {
    if (!isPositiveInteger(c[name])) problems.push(`${name} must be a positive integer, got ${c[name]}`);
  }
  if (!c.limits || !isPositiveInteger(c.limits.maxKeyBytes)) {
    problems.push(`limits.maxKeyBytes must be a positive integer, got ${c.limits?.maxKeyBytes}`);
  }
  if (!c.limits || !isPositiveInteger(c.limits.maxValueBytes)) {
    problems.push(`limits.maxValueBytes must be a positive integer, got ${c.limits?.maxValueBytes}`);
  }
  return problems;
}
