/** Handler sets for serving a stand-in actor in bus tests; each test overrides what it checks. */
import type { ActorHandlers } from '../../libs/bus/index.js';

export function storageHandlers(overrides: Partial<ActorHandlers<'storage'>> = {}): ActorHandlers<'storage'> {
  return {
    get: () => ({ record: null }),
    put: () => ({ stored: true }),
    stats: () => ({ records: 0, bytes: 0 }),
    due: () => ({ replicate: [], republish: [] }),
    ids: () => ({ ids: [] }),
    drop: () => ({ dropped: false }),
    ...overrides,
  };
}
