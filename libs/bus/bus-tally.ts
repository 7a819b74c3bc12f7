/**
 * Counts of the bus messages a process sends, by the actor and verb they go to and by the path
 * they took: in process, or through nats-server. Counted as nats-server counts messages: an
 * event is one, a request and its reply are two. What the Admin Stats call reports, and how the
 * benchmark counts bus messages per operation.
 */
export interface BusMessageCount {
  readonly actor: string;
  readonly verb: string;
  inProcess: number;
  overNats: number;
}

export class BusTally {
  /** Subject -> its count (a process sends to a few dozen subjects). */
  private readonly bySubject = new Map<string, BusMessageCount>();

  /** One message to `subject` (two for a request: it has a reply). */
  note(subject: string, inProcess: boolean, request: boolean): void {
    let count = this.bySubject.get(subject);
    if (!count) {
      // kad.<node>.<actor>.<verb> (subjects.ts); anything else is counted under its whole subject.
      const [, , actor = subject, verb = ''] = subject.split('.');
      count = { actor, verb, inProcess: 0, overNats: 0 };
      this.bySubject.set(subject, count);
    }
    const messages = request ? 2 : 1;
    if (inProcess) count.inProcess += messages;
    else count.overNats += messages;
  }

  counts(): BusMessageCount[] {
    return [...this.bySubject.values()].map((count) => ({ ...count }));
  }
}
