/**
 * The only place NATS subjects are built. Every actor of every node lives under
 * `kad.<node>.<actor>.<verb>`, so one NATS server can carry many nodes and a permission rule
 * `kad.<node>.>` covers one node.
 */
import { isValidToken } from '../runtime/index.js';

export const ACTORS = ['routing-table', 'storage', 'lookup-coordinator', 'transport'] as const;
export type ActorName = (typeof ACTORS)[number];

export function isActorName(name: string): name is ActorName {
  return (ACTORS as readonly string[]).includes(name);
}

export function subjectFor(node: string, actor: ActorName, verb: string): string {
  if (!isValidToken(verb)) throw new RangeError(`verb ${JSON.stringify(verb)} is not a NATS subject token`);
  return `${actorSubjectPrefix(node, actor)}${verb}`;
}

/** What every subject of one actor of one node starts with: `kad.<node>.<actor>.`. */
export function actorSubjectPrefix(node: string, actor: ActorName): string {
  if (!isValidToken(node))
    throw new RangeError(`node name ${JSON.stringify(node)} is not a NATS subject token ([A-Za-z0-9_-], 1 to 64 characters)`);
  return `kad.${node}.${actor}.`;
}

/** The NATS micro service name of an actor: `kad-routing-table` and so on. */
export function serviceNameFor(actor: ActorName): string {
  return `kad-${actor}`;
}

/** The reply-inbox prefix of a node's NATS connections: permissions grant each node
 * `_INBOX_<node>.>` (libs/bus/nats-permissions.ts). */
export function inboxPrefixFor(node: string): string {
  return `_INBOX_${node}`;
}
