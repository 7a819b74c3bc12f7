/**
 * The part of bittorrent-dht 11.0.12 (webtorrent's Mainline DHT, plain JavaScript with no types)
 * the benchmark's peer node uses: a DHT on one UDP socket, BEP 44 immutable put/get, its routing
 * table's size. Whatever the library hands back that the benchmark reads is `unknown` and
 * narrowed where it is read (bench/peer/bittorrent-dht-node.ts).
 */
declare module 'bittorrent-dht' {
  import { EventEmitter } from 'node:events';

  /** A contact to bootstrap from: "host:port" or the object form. */
  export type BootstrapNode = string | { readonly host: string; readonly port: number };

  export interface DhtOptions {
    /** Contacts to join through; `false`: none (the first node of a network). Default: the public routers. */
    readonly bootstrap?: false | readonly BootstrapNode[];
    /** This node's own address, for announce (not for the socket, which `listen` binds). */
    readonly host?: string;
    /** Records (BEP 44 values) kept in memory, least recently used dropped first (default 1000). */
    readonly maxValues?: number;
    /** Bucket size and lookup width (default 20). */
    readonly k?: number;
    /** Per-query timeout in ms (default 2000). */
    readonly timeout?: number;
    /** Signature check for mutable values; not needed for immutable ones. */
    readonly verify?: (signature: Buffer, message: Buffer, publicKey: Buffer) => boolean;
  }

  export interface ImmutablePut {
    readonly v: Buffer;
  }

  /** The routing table (a k-bucket tree). */
  export interface RoutingTable {
    count(): number;
  }

  export default class DHT extends EventEmitter {
    constructor(options?: DhtOptions);
    readonly nodeId: Buffer;
    readonly nodes: RoutingTable;
    listen(port: number, host: string, onListening?: () => void): void;
    address(): { readonly address: string; readonly port: number; readonly family: string };
    /**
     * Returns the value's key (SHA-1 of its bencoding); throws synchronously on a bad value (a `v`
     * of 1000 bytes or more). `stored`: the replicas that acknowledged.
     */
    put(put: ImmutablePut, callback: (err: Error | null, hash?: Buffer, stored?: number) => void): Buffer;
    /** `value`: the reply carrying the value (`v`), or null when none was found. */
    get(hash: Buffer | string, callback: (err: Error | null, value: unknown) => void): void;
    toJSON(): { readonly nodes: readonly unknown[] };
    destroy(callback?: () => void): void;
  }
}
