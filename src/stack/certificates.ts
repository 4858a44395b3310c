// A throwaway certificate authority for a local stack or a test: a server certificate for loopback and
// a client certificate, so that TLS and mTLS to Temporal are exercised here as on a secured cluster.
// Made with the `openssl` command (on every Debian/Ubuntu machine); never used outside local stacks.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalCertificates {
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** The name the server certificate is issued to (besides localhost and 127.0.0.1). */
  serverName: string;
}

const DAYS = '825';

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: 'pipe' });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new Error('openssl is not installed: the local stack makes its TLS certificates with it (Debian/Ubuntu: apt-get install openssl)');
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString().trim() ?? e.message}`);
  }
}

/** Issues `name`.crt/.key signed by the CA in `dir`, for `subjectAltName` and the given extended key usage. */
function issue(dir: string, name: string, commonName: string, usage: 'serverAuth' | 'clientAuth', subjectAltName?: string): void {
  const ext = [`extendedKeyUsage=${usage}`, 'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment'];
  if (subjectAltName) ext.push(`subjectAltName=${subjectAltName}`);
  writeFileSync(join(dir, `${name}.ext`), ext.join('\n') + '\n');
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${commonName}`], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', DAYS, '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`], dir);
}

/** Makes the CA and both certificates in `dir` once; later calls return the same files. */
export function ensureLocalCertificates(dir: string, serverName = 'temporal.local'): LocalCertificates {
  const files: LocalCertificates = {
    caFile: join(dir, 'ca.crt'),
    serverCertFile: join(dir, 'server.crt'),
    serverKeyFile: join(dir, 'server.key'),
    clientCertFile: join(dir, 'client.crt'),
    clientKeyFile: join(dir, 'client.key'),
    serverName,
  };
  if ([files.caFile, files.serverCertFile, files.serverKeyFile, files.clientCertFile, files.clientKeyFile].every((f) => existsSync(f))) return files;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', DAYS, '-subj', '/CN=email-to-ticket local CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  issue(dir, 'server', serverName, 'serverAuth', `DNS:${serverName},DNS:localhost,IP:127.0.0.1`);
  issue(dir, 'client', 'email-to-ticket', 'clientAuth');
  return files;
}
