/**
 * The page on the HTTP port, in a real browser: headless Chromium (Debian's `chromium`), driven
 * by playwright-core, loads the page of a node in a 4-node cluster (k = 2, over a real
 * nats-server), sees the node's table, types a key whose record this node does not hold, and
 * checks what the page shows: the k closest nodes with both holders marked, and the Get's path
 * with the hop that found the value. Saves a screenshot in the test's output directory.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { ID_BITS, commonPrefixLength, idToHex, type NodeId, sortByDistance, recordIdFor } from '../../libs/kademlia/index.js';
import { bytesOf } from '../../libs/proto/index.js';
import { ProcessCluster, type ProcessNode } from '../../harness/process-cluster.js';

const CHROMIUM = '/usr/bin/chromium';
const K = 2;
/** Where the screenshot goes: KAD_TEST_OUTPUT, else test-output/ in the repository. */
const OUTPUT_DIR = process.env['KAD_TEST_OUTPUT'] ?? join(new URL('../../../', import.meta.url).pathname, 'test-output');

describe(
  'the keyspace page in headless Chromium',
  { skip: existsSync(CHROMIUM) ? undefined : `no ${CHROMIUM} (Debian: apt-get install -y chromium; .ci/run installs it)` },
  () => {
    let cluster: ProcessCluster;
    let browser: Browser;
    let ids: Map<ProcessNode, NodeId>;

    before(async () => {
      cluster = await ProcessCluster.start({ nodes: 4, http: true, env: { KAD_K: String(K) } });
      await cluster.waitForTables(2);
      ids = new Map(
        await Promise.all(cluster.nodes.map(async (n) => [n, Uint8Array.from(bytesOf((await n.client.stats()).self!.id))] as const)),
      );
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    });

    after(async () => {
      await browser?.close();
      await cluster?.stop();
    });

    test('shows the table, and for a key the k closest, its holders and the path of the Get', async (t) => {
      const viewer = cluster.nodes[0]!;
      // A key whose k closest do not include the viewer: its Get must go to the network.
      const all = [...ids].map(([node, id]) => ({ id, address: node.address }));
      let key = '';
      for (let i = 0; ; i++) {
        const candidate = `page-key-${i}`;
        const closest = sortByDistance(recordIdFor(Buffer.from(candidate), undefined), all).slice(0, K);
        if (!closest.some((c) => c.address === viewer.address)) {
          key = candidate;
          break;
        }
      }
      const put = await cluster.nodes[1]!.client.put(key, 'shown on the page');
      assert.equal(put.acknowledged, K);
      const recordId = recordIdFor(Buffer.from(key), undefined);
      const expectedHolders = sortByDistance(recordId, all).slice(0, K);

      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      try {
        await page.goto(`http://${viewer.httpAddresses[0]}/`);
        const contacts = (await viewer.client.stats()).contacts;
        await page.locator('#status', { hasText: `${contacts} contacts in` }).waitFor({ timeout: 15_000 });
        assert.equal(await page.textContent('#node'), viewer.name);
        assert.equal(await page.locator('#ring circle[fill="#30638e"]').count(), contacts, 'every contact of its table on the ring');
        assert.ok((await page.locator('#buckets tbody tr').count()) >= 1);

        await page.fill('#key-input', key);
        await page.click('#lookup-button');
        await page.locator('#key-summary[data-holders]').waitFor({ timeout: 20_000 });
        const rows = await page.locator('#closest tbody tr').allTextContents();
        assert.equal(rows.length, K, rows.join(' | '));
        for (const [i, holder] of expectedHolders.entries()) {
          assert.ok(rows[i]!.includes(holder.address), `row ${i + 1} is ${holder.address}: ${rows[i]}`);
          assert.ok(rows[i]!.includes(String(ID_BITS - commonPrefixLength(holder.id, recordId))), 'with its distance in bits');
          assert.ok(rows[i]!.endsWith('yes'), `${holder.address} holds it`);
        }
        assert.equal(await page.getAttribute('#key-summary', 'data-holders'), String(K));
        assert.match((await page.textContent('#key-summary')) ?? '', new RegExp(`record id ${idToHex(recordId).slice(0, 8)}.*found`));
        const path = await page.locator('#path tbody tr').allTextContents();
        assert.ok(path.length >= 1 && path.some((r) => r.startsWith('1FindValue') && r.endsWith('value')), path.join(' | '));
        assert.equal(await page.locator('#lookups tbody tr').count(), 1);

        mkdirSync(OUTPUT_DIR, { recursive: true });
        const file = join(OUTPUT_DIR, 'keyspace-page.png');
        await page.screenshot({ path: file, fullPage: true });
        assert.ok(existsSync(file));
        t.diagnostic(`screenshot: ${file}`);
      } finally {
        await page.close();
      }
    });
  },
);
