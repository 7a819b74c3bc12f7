/**
 * The bus: how a node's actors talk (subjects, the protocol table, the memory, NATS and
 * local-first buses, mailboxes, serving an actor and asking one, the actor context).
 */

export * from './actor-context.js';
export * from './actor-runtime.js';
export * from './bus.js';
export * from './bus-tally.js';
export * from './local-first-bus.js';
export * from './mailbox.js';
export * from './memory-bus.js';
export * from './nats-bus.js';
export * from './nats-permissions.js';
export * from './protocol.js';
export * from './service-error.js';
export * from './subjects.js';
