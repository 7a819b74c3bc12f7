/** Coalesced contact news: one `seen` per contact per interval, changes of news at once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActorClient, serveActor } from '../../../libs/bus/actor-runtime.js';
import { Mailbox } from '../../../libs/bus/mailbox.js';
import { MemoryBus } from '../../../libs/bus/memory-bus.js';
import type { Contact } from '../../../libs/kademlia/contact.js';
import { ContactReports } from '../../../services/transport/contact-reports.js';
import { VerifiedPeers } from '../../../services/transport/verified-peers.js';
import { waitFor } from '../../../harness/wait-for.js';

test('contact reports - one seen per contact per interval; proven news and every failure go at once', async () => {
  const bus = new MemoryBus();
  const heard: string[] = [];
  const id = (v: number) => new Uint8Array(32).fill(v);
  const name = (event: { contact: Contact }) => String(event.contact.id[0]);
  await serveActor(
    bus,
    'n1',
    'routing-table',
    {
      self: () => ({ id: id(0) }),
      closest: () => ({ contacts: [] }),
      dump: () => ({ self: undefined, buckets: [] }),
      'refresh-targets': () => ({ targets: [] }),
      seen: (event) => void heard.push(`seen ${name(event)}${event.verified ? ' proven' : ''}`),
      failed: (event) => void heard.push(`failed ${name(event)}${event.drop ? ' drop' : ''}`),
    },
    new Mailbox('n1/routing-table', { capacity: 64, concurrency: 1 }),
    () => undefined,
  );
  let now = 10_000;
  const verified = new VerifiedPeers(16);
  const reports = new ContactReports(new ActorClient(bus, 'n1'), verified, () => now, 1_000);
  const a: Contact = { id: id(1), address: '127.0.0.1:1' };
  const b: Contact = { id: id(2), address: '127.0.0.1:2' };

  for (let i = 0; i < 5; i++) reports.seen(a); // one report, not five
  reports.seen(b);
  verified.add(a.id, a.address);
  reports.seen(a); // now proven: news
  reports.seen(a);
  reports.failed(a); // every failure is reported
  reports.failed(a);
  reports.seen(a); // seen after a failure: news
  now += 1_000;
  reports.seen(a); // the interval passed
  reports.failed(b, true);
  reports.failed(b, true); // a drop always goes
  await waitFor('every report to arrive', () => heard.length === 9);
  assert.deepEqual(heard, [
    'seen 1',
    'seen 2',
    'seen 1 proven',
    'failed 1',
    'failed 1',
    'seen 1 proven',
    'seen 1 proven',
    'failed 2 drop',
    'failed 2 drop',
  ]);
  await bus.close();
});
