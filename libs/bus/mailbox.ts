/**
 * An actor's mailbox: messages run in arrival order, at most `concurrency` at once, and at most
 * `capacity` wait. A full mailbox refuses at once with `resource-exhausted` rather than queueing
 * forever. Actors that own mutable state use concurrency 1, so their state is never touched by
 * two messages at once; actors whose handlers only start I/O (transport, lookup-coordinator)
 * use a larger concurrency as their bound on work in flight.
 */
import { resourceExhausted } from '../errors/index.js';

export interface MailboxOptions {
  readonly capacity: number;
  readonly concurrency: number;
}

interface Letter {
  readonly work: () => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

export class Mailbox {
  private readonly queue: Letter[] = [];
  private running = 0;
  private readonly full = new WeakSet<object>();

  constructor(
    private readonly name: string,
    private readonly options: MailboxOptions,
  ) {}

  /** Runs `work` in its turn; rejects at once when the mailbox is full. */
  post<T>(work: () => Promise<T> | T): Promise<T> {
    if (this.queue.length >= this.options.capacity) {
      const refusal = resourceExhausted(`${this.name} mailbox is full (${this.options.capacity} waiting)`);
      this.full.add(refusal);
      return Promise.reject(refusal);
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work: async () => work(), resolve: resolve as (value: unknown) => void, reject });
      this.drain();
    });
  }

  /** Whether `err` is this mailbox refusing a message because it was full. */
  refused(err: unknown): boolean {
    return typeof err === 'object' && err !== null && this.full.has(err);
  }

  get depth(): number {
    return this.queue.length + this.running;
  }

  private drain(): void {
    while (this.running < this.options.concurrency) {
      const letter = this.queue.shift();
      if (!letter) return;
      this.running++;
      letter
        .work()
        .then(letter.resolve, letter.reject)
        .finally(() => {
          this.running--;
          this.drain();
        });
    }
  }
}
