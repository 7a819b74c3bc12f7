/**
 * Parsers for `kad`'s flag values, in commander's form: a function from the text given to the
 * value, throwing commander's InvalidArgumentError, which commander reports naming the flag (or
 * the variable it came from) and `kad` turns into exit code 2 before anything is sent.
 */
import { InvalidArgumentError } from 'commander';
import { isValidAddress } from '../../libs/kademlia/index.js';

/** An integer from `min` to `max`, in decimal digits only ("1e3", "0x10", "5.0" are refused). */
export function integerIn(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const n = /^-?[0-9]+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}.`);
    return n;
  };
}

export const UINT32_MAX = 0xffff_ffff;
/** A deadline longer than a day is a mistake, not a wish. */
export const MAX_TIMEOUT_MS = 24 * 60 * 60 * 1000;

export const positiveInteger = integerIn(1, Number.MAX_SAFE_INTEGER);
export const nonNegativeInteger = integerIn(0, Number.MAX_SAFE_INTEGER);

/** Comma-separated host:port addresses, added to those of earlier uses of the flag. */
export function addressList(raw: string, previous: readonly string[] | undefined): string[] {
  const list = raw
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
  if (list.length === 0) throw new InvalidArgumentError('must be host:port, or several comma-separated.');
  for (const address of list) {
    if (!isValidAddress(address)) throw new InvalidArgumentError(`${JSON.stringify(address)} is not host:port.`);
  }
  return [...(previous ?? []), ...list];
}

/** A file name; an empty one (an environment variable set to "") is no file. */
export function optionalPath(raw: string): string | undefined {
  return raw === '' ? undefined : raw;
}

/** A 32-byte Ed25519 public key in hex. */
export function publicKeyHex(raw: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(raw)) throw new InvalidArgumentError('must be a 32-byte public key in hex (64 digits).');
  return Uint8Array.from(Buffer.from(raw, 'hex'));
}
