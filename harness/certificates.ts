/**
 * Certificates for TLS tests, made with the `openssl` CLI in a temp dir: a CA, node certificates
 * whose Ed25519 key is the node's identity key (usable as KAD_TLS_KEY), client certificates, and
 * as many unrelated CAs as a negative test needs. The same commands as docs/SECURITY.md shows.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertificateAuthority {
  readonly name: string;
  /** Where the CA and everything it issues live. */
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** The CA certificate (PEM): what KAD_TLS_CA and a client's `ca` take. */
  readonly cert: Buffer;
}

export interface IssuedCertificate {
  readonly name: string;
  readonly certFile: string;
  /** PKCS#8 PEM Ed25519 key. */
  readonly keyFile: string;
  readonly cert: Buffer;
  readonly key: Buffer;
  /** The issuing CA. */
  readonly ca: CertificateAuthority;
}

const DAYS = '2';

function openssl(args: readonly string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function safeName(name: string): string {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new Error(`certificate name ${JSON.stringify(name)} must be 1 to 64 of [A-Za-z0-9_.-]`);
  return name;
}

/** A new self-signed CA (Ed25519) in a temp dir of its own. */
export function makeCa(name = 'kad-test-ca'): CertificateAuthority {
  safeName(name);
  const dir = mkdtempSync(join(tmpdir(), `kad-pki-${name}-`));
  openssl(['genpkey', '-algorithm', 'ed25519', '-out', 'ca.key'], dir);
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-subj',
      `/CN=${name}`,
      '-days',
      DAYS,
      '-out',
      'ca.pem',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  return { name, dir, certFile: join(dir, 'ca.pem'), keyFile: join(dir, 'ca.key'), cert: readFileSync(join(dir, 'ca.pem')) };
}

function issue(ca: CertificateAuthority, name: string, extensions: readonly string[]): IssuedCertificate {
  safeName(name);
  const key = `${name}.key`;
  openssl(['genpkey', '-algorithm', 'ed25519', '-out', key], ca.dir);
  openssl(['req', '-new', '-key', key, '-subj', `/CN=${name}`, '-out', `${name}.csr`], ca.dir);
  writeFileSync(join(ca.dir, `${name}.ext`), `${extensions.join('\n')}\n`);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      DAYS,
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ],
    ca.dir,
  );
  const certFile = join(ca.dir, `${name}.pem`);
  const keyFile = join(ca.dir, key);
  return { name, certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile), ca };
}

/** A node's certificate: its key is the node's Ed25519 identity key, good for serving and for
 * dialling peers (serverAuth, clientAuth), with loopback names. */
export function nodeCertificate(ca: CertificateAuthority, name: string): IssuedCertificate {
  return issue(ca, name, [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth,clientAuth',
    `subjectAltName=DNS:${name},DNS:localhost,IP:127.0.0.1`,
  ]);
}

/** A client's certificate (clientAuth only). */
export function clientCertificate(ca: CertificateAuthority, name: string): IssuedCertificate {
  return issue(ca, name, ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth']);
}

/** The node settings for TLS with this certificate, trusting `trust` (default: its own CA). */
export function tlsEnv(cert: IssuedCertificate, trust: CertificateAuthority = cert.ca): Record<string, string> {
  return { KAD_TLS_CERT: cert.certFile, KAD_TLS_KEY: cert.keyFile, KAD_TLS_CA: trust.certFile };
}

export function removeCa(ca: CertificateAuthority): void {
  rmSync(ca.dir, { recursive: true, force: true });
}
