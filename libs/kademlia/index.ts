/**
 * The pure Kademlia core (Maymounkov & Mazières 2002, "Kademlia"): ids and the XOR metric,
 * contacts, the k-bucket routing table, the iterative lookup state machine, record rules, an
 * in-memory record store and the protocol parameters.
 *
 * It never does I/O: no network, no files, no clock, no randomness source, no timers, no logging.
 * Time arrives as `nowMs` arguments and randomness as a `RandomBytes` function, so every
 * behaviour here is deterministic and testable; the actors in services/ do the rest.
 */
export * from './id.js';
export * from './contact.js';
export * from './routing-table.js';
export * from './lookup.js';
export * from './record.js';
export * from './record-store.js';
export * from './config.js';
export * from './replication-schedule.js';
export * from './record-placement.js';
export * from './record-signature.js';
export * from './hybrid-clock.js';
export * from './admission.js';
export * from './bounded-map.js';
export * from './ip-group.js';
export * from './membership.js';
export * from './peer-proof.js';
export * from './store-quota.js';
export * from './value-lookup.js';
export * from './maintenance-schedule.js';
export * from './record-publishing.js';
export * from './held-records.js';
export * from './rpc-verdict.js';
