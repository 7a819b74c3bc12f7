/**
 * A contact (paper §2.2: the <IP address, port, Node ID> triple) and helpers to validate its
 * address and to order contacts by XOR distance.
 */
import { compareDistance, idEquals, idToHex, type NodeId } from './id.js';

/** "host:port" into host and port: the client package's, which sends a TLS server name by it. */
export { splitAddress } from '../client/rules.js';

export interface Contact {
  readonly id: NodeId;
  /** "host:port"; see isValidAddress. */
  readonly address: string;
}

/** Longest accepted address, in characters (a DNS name's 253 plus ":" and a port, rounded up). */
export const MAX_ADDRESS_CHARS = 255;
/** Longest DNS host name, in characters (RFC 1035 §2.3.4). */
const MAX_HOSTNAME_CHARS = 253;
/** Longest DNS label, in characters (RFC 1035 §2.3.4). */
const MAX_LABEL_CHARS = 63;

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const DOTTED_NUMBERS = /^[0-9]+(?:\.[0-9]+)*$/;
const IPV4 = /^(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const PORT = /^[1-9][0-9]{0,4}$/;

function isHostname(host: string): boolean {
  if (host.length === 0 || host.length > MAX_HOSTNAME_CHARS) return false;
  return host.split('.').every((label) => label.length <= MAX_LABEL_CHARS && LABEL.test(label));
}

/** RFC 4291 §2.2 text forms: eight groups, one "::" for a run of zero groups, an IPv4 tail. */
function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const all = groups.flat();
  let count = all.length;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!IPV4.test(last)) return false;
    all.pop();
    count += 1; // an IPv4 tail fills two groups
  }
  if (!all.every((g) => HEX_GROUP.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** "host:port": host a DNS name, an IPv4 address or a bracketed IPv6 address; port 1..65535. */
export function isValidAddress(a: string): boolean {
  if (typeof a !== 'string' || a.length === 0 || a.length > MAX_ADDRESS_CHARS) return false;
  const colon = a.lastIndexOf(':');
  if (colon <= 0) return false;
  const host = a.slice(0, colon);
  const port = a.slice(colon + 1);
  if (!PORT.test(port) || Number(port) > 65535) return false;
  if (host.startsWith('[')) return host.endsWith(']') && isIpv6(host.slice(1, -1));
  if (DOTTED_NUMBERS.test(host)) return IPV4.test(host);
  return isHostname(host);
}

/** A contact as a map key: `<hex id>@<address>` (the same id at another address is another key). */
export function contactKey(contact: Contact): string {
  return `${idToHex(contact.id)}@${contact.address}`;
}

/** A new array, closest to target first; of contacts sharing an id only the first is kept. */
export function sortByDistance(target: NodeId, contacts: readonly Contact[]): Contact[] {
  // Sorting is stable and contacts sharing an id are at the same distance, so they end up
  // side by side in input order: keeping the first of each run keeps the first of each id.
  const sorted = [...contacts].sort((a, b) => compareDistance(target, a.id, b.id));
  return sorted.filter((contact, i) => i === 0 || !idEquals(contact.id, sorted[i - 1]!.id));
}

/** The at most `count` distinct contacts closest to target, closest first. */
export function closestContacts(target: NodeId, contacts: readonly Contact[], count: number): Contact[] {
  return sortByDistance(target, contacts).slice(0, Math.max(0, count));
}

/** How many of the contacts it knows closest to a target a node takes to answer FIND_NODE: one
 * more than k, since findNodeAnswer leaves the requester out. */
export const findNodeCandidates = (k: number): number => k + 1;

/**
 * What a node answers to FIND_NODE and to a FIND_VALUE it cannot serve (§2.3): from `closest`,
 * the contacts it knows closest to the target (closest first, findNodeCandidates(k) of them when
 * it has them), the k that are not the requester, who knows itself already.
 */
export function findNodeAnswer(closest: readonly Contact[], k: number, requester: NodeId | undefined): Contact[] {
  return closest.filter((c) => !requester || !idEquals(c.id, requester)).slice(0, k);
}
