/** A node's identity: its Ed25519 key file, the id bound to it, its TLS certificate. */

export * from './certificate.js';
export * from './ed25519.js';
export * from './key-file.js';
export * from './node-identity.js';
