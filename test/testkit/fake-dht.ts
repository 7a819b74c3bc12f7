/**
 * A stand-in node for client tests: a real gRPC server on loopback serving kademlia.v1.Dht and
 * Admin with handlers the test scripts (an answer, a status with trailers, or no answer at
 * all), recording every call it gets and the deadline each one carried.
 */
import * as grpc from '@grpc/grpc-js';
import { kademliaPackage, type v1 } from '../../libs/proto/index.js';

/** What one call is answered with: a reply, a failure, or nothing until the caller gives up. */
export type Scripted<Res> = { reply: Res } | { fail: { code: grpc.status; details: string; trailers?: Record<string, string> } } | 'hang';

export interface ReceivedCall {
  readonly method: 'Put' | 'Get' | 'RoutingTable' | 'Stats';
  readonly request: unknown;
  /** The call's deadline as the server saw it (unix ms), or Infinity. */
  readonly deadlineMs: number;
  /** Resolves when the client cancelled the call. */
  readonly cancelled: Promise<void>;
}

export interface FakeDhtScript {
  put?: (n: number) => Scripted<v1.PutResponse>;
  get?: (n: number) => Scripted<v1.GetResponse>;
  stats?: (n: number) => Scripted<v1.StatsResponse>;
}

export class FakeDht {
  readonly calls: ReceivedCall[] = [];

  private constructor(
    private readonly server: grpc.Server,
    readonly address: string,
  ) {}

  static async start(script: FakeDhtScript): Promise<FakeDht> {
    const server = new grpc.Server();
    const pkg = kademliaPackage();
    let fake: FakeDht | undefined;
    const handle =
      <Res>(method: ReceivedCall['method'], pick: ((n: number) => Scripted<Res>) | undefined) =>
      (call: grpc.ServerUnaryCall<unknown, Res>, callback: grpc.sendUnaryData<Res>): void => {
        const deadline = call.getDeadline();
        const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
        const cancelled = new Promise<void>((resolve) => call.on('cancelled', () => resolve()));
        const n = fake!.calls.filter((c) => c.method === method).length;
        fake!.calls.push({ method, request: call.request, deadlineMs, cancelled });
        const scripted = pick?.(n) ?? { fail: { code: grpc.status.UNIMPLEMENTED, details: `${method} is not scripted` } };
        if (scripted === 'hang') return;
        if ('reply' in scripted) return callback(null, scripted.reply);
        const metadata = new grpc.Metadata();
        for (const [key, value] of Object.entries(scripted.fail.trailers ?? {})) metadata.set(key, value);
        callback({ code: scripted.fail.code, details: scripted.fail.details, metadata } as grpc.ServiceError);
      };
    server.addService(pkg.Dht.service, { Put: handle('Put', script.put), Get: handle('Get', script.get) });
    server.addService(pkg.Admin.service, { Stats: handle('Stats', script.stats), RoutingTable: handle('RoutingTable', undefined) });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    fake = new FakeDht(server, `127.0.0.1:${port}`);
    return fake;
  }

  stop(): void {
    this.server.forceShutdown();
  }
}

export const STORED: Scripted<v1.PutResponse> = { reply: { acknowledged: 3, attempted: 3, recordId: Buffer.alloc(32) } };
