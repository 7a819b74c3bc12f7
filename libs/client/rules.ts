/**
 * The client's pure rules that the node's core (libs/kademlia) shares, one copy: record limits
 * and their messages, the owner's signing bytes, address parsing. No I/O and no dependency, so
 * the core can import them and stay pure.
 */
export * from './address.js';
export * from './owner-signature.js';
export * from './record-limits.js';
