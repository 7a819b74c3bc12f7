/**
 * The bus's permission scheme in one place (docs/SECURITY.md, "The bus"): what the NATS user of
 * one node may publish and subscribe to. deploy/nats/nats-server.conf (docker-compose) and the
 * k8s ConfigMap hold `authorizationBlock(...)` of their nodes (test/deploy checks it), and
 * test/integration/bus-auth.test.ts runs a real nats-server on the same rules.
 *
 * A node's user may publish and subscribe on `kad.<node>.>` (its four actors) and its own reply
 * inboxes `_INBOX_<node>.>` (the bus connects with that inbox prefix), and subscribe to `$SRV.>`
 * (the NATS micro discovery subjects its services answer); it may publish to the monitor's
 * inboxes `_KAD_MONITOR.>` so discovery answers reach NATS tooling. Nothing of another node: no
 * publish on its subjects or inboxes, no subscription to them, no discovery requests.
 *
 * No `allow_responses`: nats-server grants it for any message the client receives, its own
 * included, so a node could publish to its own subject with the reply subject
 * `kad.<other>.storage.put`, receive that message and "reply" into the other node
 * (bus-auth.test.ts tries it). Every reply a node sends goes to an inbox it may publish to anyway.
 */
import { isValidToken } from '../runtime/index.js';
import { inboxPrefixFor } from './subjects.js';

export interface Permissions {
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
}

/** The inbox prefix of the monitor user's connections (`nats --inbox-prefix _KAD_MONITOR`): not
 * of the form `_INBOX_<node>`, so no node name can claim it. */
export const MONITOR_INBOX_PREFIX = '_KAD_MONITOR';

export function nodePermissions(node: string): Permissions {
  if (!isValidToken(node)) throw new RangeError(`node name ${JSON.stringify(node)} is not a NATS subject token`);
  const own = [`kad.${node}.>`, `${inboxPrefixFor(node)}.>`];
  return { publish: [...own, `${MONITOR_INBOX_PREFIX}.>`], subscribe: [...own, '$SRV.>'] };
}

/** A password in the file, or `$NAME`: nats-server reads it from its environment at start. */
export type Secret = string | { readonly env: string };

export interface NodeUser {
  readonly node: string;
  readonly user: string;
  readonly password: Secret;
}

/** A user for NATS tooling (`nats micro ls|info|stats`): discovery requests only, no actor subject. */
export interface MonitorUser {
  readonly user: string;
  readonly password: Secret;
}

export const MONITOR_PERMISSIONS: Permissions = { publish: ['$SRV.>'], subscribe: [`${MONITOR_INBOX_PREFIX}.>`] };

const quote = (s: string): string => JSON.stringify(s);
const list = (items: readonly string[]): string => `[${items.map(quote).join(', ')}]`;

function secret(value: Secret): string {
  if (typeof value === 'string') return quote(value);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value.env)) throw new RangeError(`${JSON.stringify(value.env)} is not an environment variable name`);
  return `$${value.env}`;
}

/** The `authorization { users = [...] }` block of a nats-server configuration, two-space indented. */
export function authorizationBlock(users: readonly NodeUser[], monitor?: MonitorUser): string {
  const names = [...users.map((u) => u.user), ...(monitor ? [monitor.user] : [])];
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw new RangeError(`user ${JSON.stringify(duplicate)} is listed twice`);
  const entry = (user: string, password: Secret, p: Permissions): string =>
    [
      '    {',
      `      user: ${quote(user)}`,
      `      password: ${secret(password)}`,
      '      permissions: {',
      `        publish: { allow: ${list(p.publish)} }`,
      `        subscribe: { allow: ${list(p.subscribe)} }`,
      '      }',
      '    }',
    ].join('\n');
  const entries = users.map((u) => entry(u.user, u.password, nodePermissions(u.node)));
  if (monitor) entries.push(entry(monitor.user, monitor.password, MONITOR_PERMISSIONS));
  return ['authorization {', '  users = [', entries.join('\n'), '  ]', '}', ''].join('\n');
}
