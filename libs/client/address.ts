/** Node addresses as a client is given them: host:port, or [v6]:port. */

/** "host:port" (or "[v6]:port") into its host, brackets dropped, and its port text. */
export function splitAddress(address: string): { readonly host: string; readonly port: string } {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, Math.max(0, colon)).replace(/^\[(.*)\]$/, '$1'), port: colon < 0 ? '' : address.slice(colon + 1) };
}

/** "a:1,b:2" or ["a:1", "b:2"] as a list of addresses. */
export function targetAddresses(target: string | readonly string[]): string[] {
  const list = (typeof target === 'string' ? [target] : target)
    .flatMap((t) => t.split(','))
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
  if (list.length === 0) throw new RangeError('a client needs at least one node address');
  return list;
}
