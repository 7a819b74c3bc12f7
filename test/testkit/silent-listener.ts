/**
 * A TCP port that accepts connections and never says a word: the address of a node that is
 * frozen or behind a black hole. It counts the connections, so a test can also assert that a
 * command sent nothing at all.
 */
import { createServer, type Server, type Socket } from 'node:net';

export class SilentListener {
  connections = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly address: string,
  ) {}

  static async start(): Promise<SilentListener> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as import('node:net').AddressInfo).port;
    const listener = new SilentListener(server, `127.0.0.1:${port}`);
    server.on('connection', (socket) => {
      listener.connections++;
      listener.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => listener.sockets.delete(socket));
    });
    return listener;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
