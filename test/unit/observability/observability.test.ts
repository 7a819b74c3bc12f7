/** The pure parts of observability: trace context parsing, the readiness verdict, the span log's
 * bounds, the OTLP request shape and the metric names. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NO_METRICS, PromNodeMetrics } from '../../../libs/observability/node-metrics.js';
import { otlpRequest } from '../../../libs/observability/otlp-exporter.js';
import { Readiness, assessReadiness, type AuditObservation } from '../../../libs/observability/readiness.js';
import { SpanLog, type Span } from '../../../libs/observability/span-log.js';
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent } from '../../../libs/observability/trace-context.js';
import { Tracer } from '../../../libs/observability/tracer.js';
import { seededRandom } from '../kademlia/helpers.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('trace context', () => {
  test('a valid traceparent round-trips; anything else is ignored', () => {
    assert.deepEqual(parseTraceparent(`00-${TRACE}-${SPAN}-01`), { traceId: TRACE, spanId: SPAN });
    assert.equal(formatTraceparent({ traceId: TRACE, spanId: SPAN }), `00-${TRACE}-${SPAN}-01`);
    for (const bad of [
      undefined,
      42,
      '',
      `00-${TRACE}-${SPAN}`,
      `00-${TRACE.toUpperCase()}-${SPAN}-01`,
      `00-${'0'.repeat(32)}-${SPAN}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `ff-${TRACE}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}-01-extra`,
      `00_${TRACE}_${SPAN}_01`,
    ]) {
      assert.equal(parseTraceparent(bad), undefined, String(bad));
    }
    const random = seededRandom(1).bytes;
    assert.match(newTraceId(random), /^[0-9a-f]{32}$/);
    assert.match(newSpanId(random), /^[0-9a-f]{16}$/);
    assert.notEqual(
      newTraceId(() => new Uint8Array(16).fill(0).map((_, i, a) => (a === undefined ? 0 : i === 15 ? 1 : 0))),
      '0'.repeat(32),
    );
  });

  test('a span is recorded only inside a trace; children share its trace id', async () => {
    const log = new SpanLog();
    const tracer = new Tracer('n1', 'node', log, seededRandom(2).bytes);
    await tracer.span('untraced', { kind: 'server' }, async (ctx) => assert.equal(ctx, undefined));
    assert.deepEqual(log.recentTraces(10), []);
    await tracer.span('root', { kind: 'server', root: true }, async (root) => {
      await tracer.span('child', { kind: 'client' }, async (child) => {
        assert.equal(child?.traceId, root?.traceId);
        assert.notEqual(child?.spanId, root?.spanId);
      });
    });
    const [traceId] = log.recentTraces(10);
    const spans = log.trace(traceId!);
    assert.deepEqual(
      spans.map((s) => s.name),
      ['child', 'root'],
    );
    assert.equal(spans[0]!.parentSpanId, spans[1]!.spanId);
    await assert.rejects(
      tracer.span('fails', { kind: 'internal', root: true }, async () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(log.trace(log.recentTraces(1)[0]!)[0]!.error, 'boom');
  });
});

describe('readiness', () => {
  const healthy: AuditObservation = { busConnected: true, table: 3, storage: 10, canary: 3, bootstrapConfigured: true };
  const verdict = (seen: Partial<AuditObservation>) => {
    const checks = assessReadiness({ ...healthy, ...seen });
    return { ready: checks.every((c) => c.ok), failed: checks.filter((c) => !c.ok).map((c) => c.name) };
  };

  test('ready only when the bus, every actor and the join all check out', () => {
    assert.deepEqual(verdict({}), { ready: true, failed: [] });
    assert.deepEqual(verdict({ busConnected: false }), { ready: false, failed: ['bus'] });
    assert.deepEqual(verdict({ storage: new Error('no actor answers') }), { ready: false, failed: ['storage'] });
    assert.deepEqual(verdict({ table: new Error('down') }), { ready: false, failed: ['routing-table', 'joined'] });
    assert.deepEqual(verdict({ canary: new Error('timeout') }), { ready: false, failed: ['lookup-coordinator', 'joined'] });
    assert.deepEqual(
      verdict({ table: 0, canary: 0 }),
      { ready: false, failed: ['joined'] },
      'an empty table with bootstrap nodes to reach',
    );
    assert.deepEqual(verdict({ table: 0, canary: 0, bootstrapConfigured: false }), { ready: true, failed: [] }, 'the only node');
    assert.deepEqual(verdict({ table: 4, canary: 0 }), { ready: false, failed: ['joined'] }, 'a table whose contacts a lookup cannot find');
  });

  test('listeners hear the verdict at once and on every change, not on repeats', () => {
    const readiness = new Readiness();
    const heard: boolean[] = [];
    const stop = readiness.watch((ready) => heard.push(ready));
    readiness.update(assessReadiness(healthy));
    readiness.update(assessReadiness(healthy));
    readiness.update(assessReadiness({ ...healthy, busConnected: false }));
    stop();
    readiness.update(assessReadiness(healthy));
    assert.deepEqual(heard, [false, true, false]);
  });
});

describe('span log and OTLP', () => {
  const span = (i: number): Span => ({
    traceId: i.toString(16).padStart(32, '0'),
    spanId: SPAN,
    parentSpanId: undefined,
    name: 'Dht/Get',
    kind: 'server',
    node: 'n1',
    actor: 'node',
    startMs: 1_700_000_000_000,
    durationMs: 1.5,
    error: i % 2 ? 'boom' : undefined,
    attributes: { remote: 'x', n: i },
  });

  test('the log keeps the newest spans up to its capacity', () => {
    const log = new SpanLog(3);
    for (let i = 1; i <= 5; i++) log.add(span(i));
    assert.deepEqual(
      log.recentTraces(10),
      [5, 4, 3].map((i) => i.toString(16).padStart(32, '0')),
    );
    assert.deepEqual(log.trace(span(1).traceId), []);
  });

  test('an export request in the OTLP/JSON shape', () => {
    const request = otlpRequest([span(1), span(2)], { node: 'n1', actor: 'node', version: '0.1.0' }) as {
      resourceSpans: { resource: { attributes: { key: string }[] }; scopeSpans: { spans: Record<string, unknown>[] }[] }[];
    };
    const [rs] = request.resourceSpans;
    assert.ok(rs!.resource.attributes.some((a) => a.key === 'service.name'));
    const [failed, ok] = rs!.scopeSpans[0]!.spans;
    assert.equal(failed!['kind'], 2);
    assert.equal(failed!['startTimeUnixNano'], '1700000000000000000');
    assert.equal(failed!['endTimeUnixNano'], '1700000000001500000');
    assert.deepEqual(failed!['status'], { code: 2, message: 'boom' });
    assert.deepEqual(ok!['status'], { code: 1 });
    assert.equal(ok!['parentSpanId'], undefined);
  });
});

describe('metrics', () => {
  test('series named by Prometheus conventions, labelled with node and actor', async () => {
    const metrics = new PromNodeMetrics({ node: 'n1', actor: 'node' });
    metrics.peerRpc('outbound', 'FindNode', 'OK', 0.002);
    metrics.clientRequest('put', 'OK', 0.01);
    metrics.lookup('node', 'converged', 0.01, 2, 6);
    metrics.watchRoutingTable(() => ({
      buckets: [
        { depth: 0, contacts: 3, replacements: 1 },
        { depth: 1, contacts: 2, replacements: 0 },
      ],
    }));
    metrics.watchStorage(() => ({ records: 7, bytes: 700 }));
    const text = await metrics.registry.metrics();
    for (const line of [
      'kad_peer_rpcs_total{direction="outbound",method="FindNode",status="OK",node="n1",actor="node"} 1',
      'kad_client_requests_total{method="put",status="OK",node="n1",actor="node"} 1',
      'kad_lookup_rounds_sum{node="n1",actor="node",kind="node"} 2',
      'kad_routing_table_contacts{node="n1",actor="node"} 5',
      'kad_routing_table_bucket_contacts{bucket="1",depth="1",node="n1",actor="node"} 2',
      'kad_routing_table_replacements{node="n1",actor="node"} 1',
      'kad_records{node="n1",actor="node"} 7',
    ])
      assert.ok(text.includes(line), line);
    assert.match(text, /^process_cpu_user_seconds_total\{node="n1",actor="node"\} /m);
    assert.equal(NO_METRICS.registry, undefined);
  });
});
