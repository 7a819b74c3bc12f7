/**
 * The storage actor: owns the records this node holds (libs/kademlia HeldRecords, which decides
 * what to keep, refuse, charge to a peer's quota and forget, and when each is due for
 * re-replication and republishing). Every record is validated here too, whoever sent it. With a
 * data dir every change is written through to LevelDB (record-db.ts) before the actor answers,
 * and the records are read back on start. Answers get / put / stats / due / ids / drop; drops
 * expired records on a timer.
 */
import { serveActor, type ServiceHandle, Mailbox, type ActorContext, type RunningActor } from '../../libs/bus/index.js';
import { idFromHex, idToHex, checkRecord, idOfRecord, HeldRecords } from '../../libs/kademlia/index.js';
import { verifyEd25519 } from '../../libs/identity/index.js';
import type {
  DropReply,
  DueReply,
  DueRequest,
  HeldRecordReply,
  IdsReply,
  IdsRequest,
  RecordIdRequest,
  StoragePutRequest,
  StoreReply,
} from '../../libs/proto/index.js';
import { invalidArgument, resourceExhausted } from '../../libs/errors/index.js';
import { every } from '../../libs/runtime/index.js';
import { RecordDb } from './record-db.js';

const MAILBOX = { capacity: 4_096, concurrency: 1 } as const;
/** Ids in one `due` or `ids` reply at most (32 bytes each: well under NATS' 1 MiB payload). */
const MAX_IDS_PER_REPLY = 8_192;
/** How often expired records are dropped: a tenth of the lifetime, at most once a minute. */
const expirySweepMs = (expireMs: number): number => Math.max(250, Math.min(60_000, Math.floor(expireMs / 10)));

export class StorageActor implements RunningActor {
  private readonly store: HeldRecords;
  private readonly mailbox: Mailbox;
  private service: ServiceHandle | undefined;
  private stopSweeps = (): void => undefined;

  private constructor(
    private readonly ctx: ActorContext,
    private readonly db: RecordDb | undefined,
  ) {
    const limits = ctx.config.peerLimits;
    this.store = new HeldRecords(
      { maxRecords: ctx.config.kad.maxRecords, maxBytes: limits.maxStoreBytes },
      { records: limits.quotaRecords, bytes: limits.quotaBytes },
    );
    this.mailbox = new Mailbox(`${ctx.config.node}/storage`, MAILBOX);
    ctx.metrics.watchStorage(() => ({ records: this.store.size(), bytes: this.store.bytes() }));
  }

  static async start(ctx: ActorContext): Promise<StorageActor> {
    const db = ctx.config.dataDir === undefined ? undefined : await RecordDb.open(ctx.config.dataDir);
    const actor = new StorageActor(ctx, db);
    const loaded = await actor.loadFromDisk();
    actor.service = await serveActor(
      ctx.bus,
      ctx.config.node,
      'storage',
      {
        get: (request) => actor.get(request),
        put: (request) => actor.put(request),
        stats: () => ({ records: actor.store.size(), bytes: actor.store.bytes() }),
        due: (request) => actor.due(request),
        ids: (request) => actor.ids(request),
        drop: (request) => actor.drop(request),
      },
      actor.mailbox,
      () => undefined,
      ctx,
    );
    actor.stopSweeps = every(ctx.timers, expirySweepMs(ctx.config.kad.expireMs), () => {
      actor.mailbox.post(() => actor.sweep()).catch(() => undefined);
    });
    ctx.log.info({ persistent: db !== undefined, loaded }, 'storage actor started');
    return actor;
  }

  async stop(): Promise<void> {
    this.stopSweeps();
    await this.service?.stop();
    await this.mailbox.post(() => this.db?.close());
  }

  private async loadFromDisk(): Promise<number> {
    if (!this.db) return 0;
    const now = this.ctx.clock();
    let loaded = 0;
    for (const entry of await this.db.load()) {
      if ('error' in entry) {
        this.ctx.log.warn({ record: entry.idHex, err: entry.error }, 'skipped an unreadable record on disk');
        continue;
      }
      const problem = checkRecord(entry.record, this.ctx.config.kad, now, verifyEd25519);
      if (problem || idToHex(idOfRecord(entry.record)) !== entry.idHex || !this.store.restore(entry.record, now)) {
        await this.db.remove(entry.idHex);
        continue;
      }
      loaded++;
    }
    return loaded;
  }

  private get(request: RecordIdRequest): HeldRecordReply {
    return { record: this.store.get(request.recordId, this.ctx.clock()) };
  }

  private async put(request: StoragePutRequest): Promise<StoreReply> {
    const record = request.record;
    const now = this.ctx.clock();
    const problem = checkRecord(record, this.ctx.config.kad, now, verifyEd25519);
    if (problem) {
      this.ctx.log.warn({ err: problem.message }, 'refused a record that fails its checks');
      throw invalidArgument(problem.message);
    }
    const outcome = this.store.put(record, request.quotaKey ?? '', now, request.expectedSeq);
    switch (outcome.kind) {
      case 'over-quota':
        this.ctx.log.warn({ storer: request.quotaKey, err: outcome.reason }, 'refused a store over its quota');
        throw resourceExhausted(outcome.reason);
      case 'full': {
        const { maxRecords } = this.ctx.config.kad;
        throw resourceExhausted(
          `this node holds its maximum of ${maxRecords} records or ${this.ctx.config.peerLimits.maxStoreBytes} bytes`,
        );
      }
      case 'refused':
        return { stored: false, held: outcome.held };
      case 'stored':
        if (this.db) await this.db.put(outcome.idHex, outcome.held);
        return { stored: true };
    }
  }

  private due(request: DueRequest): DueReply {
    const selfId = request.selfId;
    const limit = Math.min(request.limit || MAX_IDS_PER_REPLY, MAX_IDS_PER_REPLY);
    const due = this.store.due({
      selfId,
      nowMs: this.ctx.clock(),
      replicateMs: request.replicateMs,
      republishMs: request.republishMs,
      limit,
    });
    return {
      replicate: due.replicate.map(idFromHex),
      republish: due.republish.map(idFromHex),
    };
  }

  private ids(request: IdsRequest): IdsReply {
    const limit = Math.min(request.limit || MAX_IDS_PER_REPLY, MAX_IDS_PER_REPLY);
    const now = this.ctx.clock();
    const ids =
      request.near !== undefined
        ? this.store.idsNear(idToHex(request.near), limit, now)
        : this.store.idsAfter(request.after !== undefined ? idToHex(request.after) : '', limit, now);
    return { ids: ids.map(idFromHex) };
  }

  private async drop(request: RecordIdRequest): Promise<DropReply> {
    const id = request.recordId;
    const dropped = this.store.drop(id);
    if (dropped) await this.db?.remove(idToHex(id));
    return { dropped };
  }

  private async sweep(): Promise<void> {
    const expired = this.store.expire(this.ctx.clock());
    for (const idHex of expired) await this.db?.remove(idHex);
    if (expired.length > 0) this.ctx.log.debug({ expired: expired.length }, 'records expired');
  }
}
