/**
 * One NATS subject token: what a node name (KAD_NODE_NAME) and an actor's verb must be, since
 * both become tokens of `kad.<node>.<actor>.<verb>` (libs/bus/subjects.ts builds the subjects).
 */
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** A node name or verb must be one NATS subject token: letters, digits, `-` and `_`. */
export function isValidToken(token: string): boolean {
  return TOKEN.test(token);
}
