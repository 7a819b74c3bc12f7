import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidToken } from '../../../libs/runtime/subject-token.js';
import { serviceNameFor, subjectFor } from '../../../libs/bus/subjects.js';

test('subjects - kad.<node>.<actor>.<verb>', () => {
  assert.equal(subjectFor('node-1', 'routing-table', 'closest'), 'kad.node-1.routing-table.closest');
  assert.equal(subjectFor('n_2', 'lookup-coordinator', 'find-node'), 'kad.n_2.lookup-coordinator.find-node');
  assert.equal(serviceNameFor('storage'), 'kad-storage');
});

test('subjects - node names and verbs must be single NATS tokens', () => {
  for (const bad of ['', 'a.b', 'a b', 'a*', 'a>', 'x'.repeat(65), 'ü']) {
    assert.equal(isValidToken(bad), false, bad);
    assert.throws(() => subjectFor(bad, 'storage', 'get'), RangeError);
  }
  assert.throws(() => subjectFor('n', 'storage', 'get.>'), RangeError);
});
