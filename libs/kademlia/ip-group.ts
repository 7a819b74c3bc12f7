/**
 * The IP group of a contact's address, for a cap on contacts per group (go-libp2p-kad-dht's
 * diversity filter): an IPv4 /24 or an IPv6 /48. Loopback, private, link-local and unique-local
 * ranges, and host names (no IP to group by), have no group: they are exempt. Pure.
 */
import { splitAddress } from './contact.js';
export function ipGroupOf(address: string): string | undefined {
  const { host } = splitAddress(address);
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    const exempt = a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
    return exempt ? undefined : `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  }
  if (!host.includes(':')) return undefined;
  const lower = host.toLowerCase();
  if (lower === '::1' || lower.startsWith('fe80:') || lower.startsWith('fc') || lower.startsWith('fd')) return undefined;
  const groups = expandV6(lower);
  return groups ? `${groups.slice(0, 3).join(':')}::/48` : undefined;
}

function expandV6(host: string): string[] | undefined {
  const [head, tail] = host.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => g.padStart(4, '0'));
}
