// How we reach Temporal comes from one validated configuration: plaintext, TLS, mTLS or an API key.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { ensureLocalCertificates } from '../../src/stack/certificates';
import { connectionOptions } from '../../src/temporal-connection';
import { VALID_ENVIRONMENT } from './valid-environment';

const base = { ...VALID_ENVIRONMENT, TEMPORAL_ADDRESS: 'temporal.example.com:7233' };

const dir = mkdtempSync(join(tmpdir(), 'e2t-tls-'));
const certs = ensureLocalCertificates(join(dir, 'a'));
const other = ensureLocalCertificates(join(dir, 'b'));

test('unset: plaintext, no API key (a local server)', () => {
  expect(connectionOptions(loadConfig(base).temporal)).toEqual({ address: 'temporal.example.com:7233', tls: undefined, apiKey: undefined });
});

test('TEMPORAL_TLS=yes alone: TLS with the system CAs', () => {
  expect(loadConfig({ ...base, TEMPORAL_TLS: 'yes' }).temporal.tls).toEqual({});
});

test('CA, server name and client certificate reach the connection options as the SDK takes them (mTLS)', () => {
  const { tls, apiKey } = loadConfig({
    ...base,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.caFile,
    TEMPORAL_TLS_SERVER_NAME: 'temporal.local',
    TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCertFile,
    TEMPORAL_TLS_CLIENT_KEY_PATH: certs.clientKeyFile,
  }).temporal;
  expect(apiKey).toBeUndefined();
  expect(tls?.serverNameOverride).toBe('temporal.local');
  expect(tls?.serverRootCACertificate).toEqual(readFileSync(certs.caFile));
  expect(tls?.clientCertPair).toEqual({ crt: readFileSync(certs.clientCertFile), key: readFileSync(certs.clientKeyFile) });
});

test('an API key turns TLS on (Temporal Cloud), from the variable or its file', () => {
  expect(loadConfig({ ...base, TEMPORAL_API_KEY: 'eyJ.key' }).temporal).toMatchObject({ tls: {}, apiKey: 'eyJ.key' });
  const file = join(dir, 'api-key');
  writeFileSync(file, 'eyJ.from-file\n');
  expect(loadConfig({ ...base, TEMPORAL_API_KEY_FILE: file }).temporal.apiKey).toBe('eyJ.from-file');
});

test.each([
  ['a certificate without its key', { TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCertFile }, /TEMPORAL_TLS_CLIENT_CERT_PATH\/TEMPORAL_TLS_CLIENT_KEY_PATH: mTLS needs both/],
  ['a key without its certificate', { TEMPORAL_TLS_CLIENT_KEY_PATH: certs.clientKeyFile }, /mTLS needs both/],
  ['a key of another certificate', { TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCertFile, TEMPORAL_TLS_CLIENT_KEY_PATH: other.clientKeyFile }, /TEMPORAL_TLS_CLIENT_KEY_PATH: not the private key of the certificate/],
  ['a missing CA file', { TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'nope.crt') }, /TEMPORAL_TLS_SERVER_CA_CERT_PATH=".*nope.crt": cannot read it \(ENOENT\)/],
  ['a key given as the CA', { TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.clientKeyFile }, /TEMPORAL_TLS_SERVER_CA_CERT_PATH=.*not a PEM certificate/],
  ['a certificate given as the key', { TEMPORAL_TLS_CLIENT_CERT_PATH: certs.clientCertFile, TEMPORAL_TLS_CLIENT_KEY_PATH: certs.clientCertFile }, /TEMPORAL_TLS_CLIENT_KEY_PATH=.*not a PEM private key/],
  ['TLS switched off with a CA set', { TEMPORAL_TLS: 'no', TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.caFile }, /TEMPORAL_TLS=no: .* need TLS/],
  ['an API key over plaintext', { TEMPORAL_TLS: 'no', TEMPORAL_API_KEY: 'eyJ.key' }, /TEMPORAL_TLS=no: .*API key would travel in the clear/],
  ['an API key with a line break (header injection)', { TEMPORAL_API_KEY: 'a\r\nX-Evil: 1' }, /TEMPORAL_API_KEY: expected one line of printable characters/],
  ['an API key in both places', { TEMPORAL_API_KEY: 'a', TEMPORAL_API_KEY_FILE: '/dev/null' }, /set TEMPORAL_API_KEY or TEMPORAL_API_KEY_FILE, not both/],
  ['a server name that is not a host name', { TEMPORAL_TLS_SERVER_NAME: 'temporal local' }, /TEMPORAL_TLS_SERVER_NAME="temporal local": expected a host name/],
  ['TEMPORAL_TLS neither yes nor no', { TEMPORAL_TLS: 'maybe' }, /TEMPORAL_TLS="maybe": expected yes or no/],
])('%s is refused, naming the variable', (_, env, message) => {
  expect(() => loadConfig({ ...base, ...env })).toThrow(message);
});
