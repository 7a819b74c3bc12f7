/**
 * The IPC messages between the benchmark and a bittorrent-dht node process (fork's JSON channel):
 * requests (put, get, stats, stop, each with an id), the node's replies (one per request, with
 * its id; an error reply to a message too malformed to have one carries id null) and the `ready`
 * message a node sends once its UDP socket is bound. Both directions are validated here: what
 * comes over the channel is `unknown` until one of these parsers accepts it.
 */

/** BEP 44 caps a value at 1000 bytes bencoded; bittorrent-dht refuses a `v` of 1000 bytes or more. */
export const MAX_VALUE_BYTES = 999;

export type PeerRequest =
  | { readonly id: number; readonly op: 'put'; /** base64 */ readonly value: string }
  | { readonly id: number; readonly op: 'get'; /** 40 hex digits: SHA-1 of the bencoded value */ readonly hash: string }
  | { readonly id: number; readonly op: 'stats' }
  | { readonly id: number; readonly op: 'stop' };

export type PeerOp = PeerRequest['op'];

export type PeerReply =
  | {
      readonly kind: 'reply';
      readonly id: number;
      readonly ok: true;
      readonly op: 'put';
      readonly hash: string;
      /** replicas that acknowledged */ readonly stored: number;
    }
  | {
      readonly kind: 'reply';
      readonly id: number;
      readonly ok: true;
      readonly op: 'get';
      readonly found: boolean;
      /** the value's length, 0 when not found */ readonly bytes: number;
    }
  | {
      readonly kind: 'reply';
      readonly id: number;
      readonly ok: true;
      readonly op: 'stats';
      /** contacts in the routing table */ readonly nodes: number;
    }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: true; readonly op: 'stop' }
  | PeerErrorReply;

export interface PeerErrorReply {
  readonly kind: 'reply';
  /** null when the request had no usable id. */
  readonly id: number | null;
  readonly ok: false;
  readonly error: string;
}

export interface PeerReady {
  readonly kind: 'ready';
  readonly port: number;
  readonly nodeId: string;
}

export type PeerChildMessage = PeerReply | PeerReady;

const HASH = /^[0-9a-f]{40}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_BASE64_CHARS = Math.ceil(MAX_VALUE_BYTES / 3) * 4;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A request the node can serve, or why not (with the id to answer to, when it had one). */
export function parseRequest(message: unknown): { readonly request: PeerRequest } | { readonly id: number | null; readonly error: string } {
  if (!isRecord(message)) return { id: null, error: 'a request is an object' };
  const { id, op } = message;
  if (!isId(id)) return { id: null, error: 'a request needs an id: a non-negative integer' };
  switch (op) {
    case 'put': {
      const { value } = message;
      if (typeof value !== 'string' || value.length > MAX_BASE64_CHARS || !BASE64.test(value)) {
        return { id, error: `put needs value: base64 of at most ${MAX_VALUE_BYTES} bytes` };
      }
      return { request: { id, op, value } };
    }
    case 'get': {
      const { hash } = message;
      if (typeof hash !== 'string' || !HASH.test(hash)) return { id, error: 'get needs hash: 40 lowercase hex digits' };
      return { request: { id, op, hash } };
    }
    case 'stats':
    case 'stop':
      return { request: { id, op } };
    default:
      return { id, error: `unknown op ${JSON.stringify(op) ?? String(op)}: put, get, stats or stop` };
  }
}

/** A message from a node process, or undefined when it is none of the shapes above. */
export function parseChildMessage(message: unknown): PeerChildMessage | undefined {
  if (!isRecord(message)) return undefined;
  if (message['kind'] === 'ready') {
    const { port, nodeId } = message;
    return isCount(port) && typeof nodeId === 'string' ? { kind: 'ready', port, nodeId } : undefined;
  }
  if (message['kind'] !== 'reply') return undefined;
  const { id, ok, op } = message;
  if (ok === false) {
    const { error } = message;
    return (id === null || isId(id)) && typeof error === 'string' ? { kind: 'reply', id, ok, error } : undefined;
  }
  if (ok !== true || !isId(id)) return undefined;
  switch (op) {
    case 'put': {
      const { hash, stored } = message;
      return typeof hash === 'string' && HASH.test(hash) && isCount(stored) ? { kind: 'reply', id, ok, op, hash, stored } : undefined;
    }
    case 'get': {
      const { found, bytes } = message;
      return typeof found === 'boolean' && isCount(bytes) ? { kind: 'reply', id, ok, op, found, bytes } : undefined;
    }
    case 'stats': {
      const { nodes } = message;
      return isCount(nodes) ? { kind: 'reply', id, ok, op, nodes } : undefined;
    }
    case 'stop':
      return { kind: 'reply', id, ok, op };
    default:
      return undefined;
  }
}
