// docker-compose.yml and the Dockerfile, checked without a Docker engine: the Compose specification's
// JSON schema, our services' configuration against src/config.ts, their healthchecks, the Node version.
import Ajv from 'ajv';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config';
import { ComposeFile, environmentOf, interpolate, readComposeFile, ROOT } from './compose-file';

// Variables our programs do not read themselves but their libraries do (the AWS SDK's credential chain).
const LIBRARY_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

// What the user's .env holds (the command at the top of docker-compose.yml).
const DOT_ENV = {
  ADMIN_PASSWORD: randomBytes(16).toString('hex'),
  PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  CUSTOMER_HASH_KEY: randomBytes(32).toString('base64'),
};

// Optional variables the stack sets to something other than their default, on purpose.
const SET_ON_PURPOSE = [
  'AWS_ENDPOINT_URL', // the emulator
  'DELIVERY_EVENTS_QUEUE_URL', // the bridge reads the configuration set's events (setup makes the queue)
  'WORKFLOW_BUNDLE_PATH', // the image's bundle, so that a missing one fails loudly
  'WORKER_HEALTH_ADDRESS', // probed by the healthchecks
  'BRIDGE_HEALTH_ADDRESS',
  'ADMIN_PASSWORD', // the admin page is served
  'WEB_HOST', // reachable from outside its container
  'TEMPORAL_UI_ORIGIN', // the Temporal UI calls the codec server
];

// The Compose specification's schema, as the dclint linter ships it (kept in step with compose-spec).
function composeSchemaValidator() {
  const schemaPath = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  // The schema names draft-07 by its https address; Ajv knows that meta-schema by its http one.
  ajv.addMetaSchema(draft07, schema.$schema);
  return ajv.compile(schema);
}

const ourServices = (compose: ComposeFile) => Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

describe('docker-compose.yml', () => {
  const compose = readComposeFile();
  const validate = composeSchemaValidator();

  test('is valid against the Compose specification', () => {
    validate(compose);
    expect(validate.errors ?? []).toEqual([]);
  });

  test('the schema check rejects a misspelt key and an unknown condition', () => {
    const broken = structuredClone(compose);
    (broken.services.worker as Record<string, unknown>).enviroment = { TEMPORAL_ADDRESS: 'temporal:7233' };
    broken.services.bridge.depends_on = { setup: { condition: 'service_completed' } };
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual(
      expect.arrayContaining([
        '/services/worker must NOT have additional properties',
        '/services/bridge/depends_on/setup/condition must be equal to one of the allowed values',
      ]),
    );
  });

  test('our services are setup, worker, bridge and web, from our image', () => {
    expect(ourServices(compose).map(([name]) => name)).toEqual(['setup', 'worker', 'bridge', 'web']);
  });

  test("our services' environment names only variables the configuration knows", () => {
    const unknown = ourServices(compose).flatMap(([name, service]) =>
      Object.keys(environmentOf(service, DOT_ENV))
        .filter((variable) => !(variable in CONFIG_VARIABLES) && !LIBRARY_VARIABLES.includes(variable))
        .map((variable) => `${name}: ${variable}`),
    );
    expect(unknown).toEqual([]);
  });

  test('every configuration variable is listed', () => {
    const listed = new Set(ourServices(compose).flatMap(([, service]) => Object.keys(environmentOf(service, DOT_ENV))));
    expect(Object.keys(CONFIG_VARIABLES).filter((variable) => !listed.has(variable))).toEqual([]);
  });

  test('optional variables are at their default, except those set on purpose', () => {
    const env = environmentOf(compose.services.web, DOT_ENV);
    const config = loadConfig(env);
    const notDefault = Object.keys(env).filter((variable) => {
      const { [variable]: _, ...without } = env;
      let unset;
      try {
        unset = loadConfig(without);
      } catch {
        return false; // required
      }
      return !isDeepStrictEqual(unset, config);
    });
    expect(notDefault.sort()).toEqual([...SET_ON_PURPOSE].sort());
  });

  test('without .env, Compose stops at once, naming the missing secret and where to read how', () => {
    expect(() => environmentOf(compose.services.worker, {})).toThrow(/PAYLOAD_KEYS: set PAYLOAD_KEYS in \.env, see the top of docker-compose\.yml/);
    expect(() => environmentOf(compose.services.web, { ...DOT_ENV, ADMIN_PASSWORD: '' })).toThrow(/^ADMIN_PASSWORD: /);
  });

  test('every service that keeps running has a healthcheck; one-shots are waited for until they completed', () => {
    const completedDependencies = new Set(
      Object.values(compose.services).flatMap((service) =>
        Object.entries(service.depends_on ?? {})
          .filter(([, dependency]) => dependency.condition === 'service_completed_successfully')
          .map(([name]) => name),
      ),
    );
    const withoutHealthcheck = Object.entries(compose.services)
      .filter(([name, service]) => !completedDependencies.has(name) && (!service.healthcheck?.test || service.healthcheck.disable))
      .map(([name]) => name);
    expect(withoutHealthcheck).toEqual([]);
    expect([...completedDependencies].sort()).toEqual(['setup', 'temporal-admin-tools', 'temporal-schema']);
  });

  test.each([
    ['worker', 'WORKER_HEALTH_ADDRESS'],
    ['bridge', 'BRIDGE_HEALTH_ADDRESS'],
    ['web', 'WEB_PORT'],
  ])("%s's healthcheck probes its /readyz at the port its %s gives", (name, variable) => {
    const service = compose.services[name];
    const port = environmentOf(service, DOT_ENV)[variable].split(':').pop();
    expect(service.healthcheck?.test?.at(-1)).toBe(`http://127.0.0.1:${port}/readyz`);
  });

  test('setup waits for a healthy Temporal, its namespace, PostgreSQL and AWS, and is retried', () => {
    const setup = compose.services.setup;
    expect(setup.depends_on).toEqual({
      aws: { condition: 'service_healthy' },
      postgresql: { condition: 'service_healthy' },
      temporal: { condition: 'service_healthy' },
      'temporal-admin-tools': { condition: 'service_completed_successfully' },
    });
    expect(setup.restart).toMatch(/^on-failure/);
  });

  test('images are pinned to a version, and the Temporal server and its admin tools are the same one', () => {
    const images = Object.fromEntries(Object.entries(compose.services).map(([name, service]) => [name, service.image ?? '']));
    const floating = Object.entries(images).filter(([name, image]) => !ourServices(compose).some(([ours]) => ours === name) && !/:\d+(\.\d+)+$/.test(image));
    expect(floating).toEqual([]);
    expect(images['temporal-admin-tools'].split(':')[1]).toBe(images.temporal.split(':')[1]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  test("both stages run the Node major that CI installs (bin/install-node) and package.json's engines allow", () => {
    const ciMajor = /^version=(\d+)\./m.exec(readFileSync(join(ROOT, 'bin', 'install-node'), 'utf8'))?.[1];
    const bases = [...dockerfile.matchAll(/^FROM node:(\d+)-bookworm-slim\b/gm)].map((m) => m[1]);
    expect(bases).toEqual([ciMajor, ciMajor]);
    const engines = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node as string;
    expect(Number(ciMajor)).toBeGreaterThanOrEqual(Number(/^>=(\d+)/.exec(engines)?.[1]));
  });

  test("has a HEALTHCHECK on the default command's (the worker's) /readyz", () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\\\n.*fetch\(.*\\\n.*\/readyz"$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "--expose-gc", "lib\/worker\.js"\]$/m);
    expect(dockerfile).toMatch(/^ENV WORKER_HEALTH_ADDRESS=/m);
  });
});

test('interpolation follows Compose: defaults, required values, $$', () => {
  expect(interpolate('${A:-x} ${B-y} ${C:-z} $$HOME', { A: '', B: '' })).toBe('x  z $HOME');
  expect(() => interpolate('${A:?needed}', { A: '' })).toThrow('A: needed');
  expect(interpolate('${A?needed}', { A: '' })).toBe('');
});
