/**
 * A node's Ed25519 keys and signatures: the client package's (libs/client/ed25519.ts), one
 * implementation for an owner key and a node's identity key.
 */
export { SigningKey, rawEd25519PublicKey, verifyEd25519 } from '../client/node.js';
