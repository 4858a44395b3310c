// The admin page, the HTTP API and the tracking page (Admin -> Notifications -> Email Quarantine).
import { createAwsClients } from './aws/clients';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config';
import { createPool } from './db/pool';
import { createLogger } from './logger';
import { announceReady } from './ready-file';
import { createTemporalClient } from './temporal-connection';
import { allRoutes } from './web/routes';
import { ApiGate } from './web/api-gate';
import { createWebServer } from './web/server';
import { Sessions } from './web/session';

async function main(): Promise<void> {
  const log = createLogger('web');
  const config = loadConfig();
  if (!config.web) throw new ConfigError(`Missing configuration ADMIN_PASSWORD: ${CONFIG_VARIABLES.ADMIN_PASSWORD}`);
  const pool = createPool(config.databaseUrl, config.databasePoolSize);
  const temporal = await createTemporalClient(config, log);
  const web = config.web;
  // Sessions and throttling state are in PostgreSQL: any number of these processes serve the same admins.
  const sessions = new Sessions(pool, { user: web.adminUser, password: web.adminPassword, trustProxy: web.trustProxy, secureCookie: web.secureCookie });
  const apiGate = new ApiGate(pool, { token: web.apiToken, ratePerMinute: web.apiRateLimit, trustProxy: web.trustProxy });
  const server = createWebServer({ config, pool, aws: createAwsClients(config.aws), temporal }, allRoutes(sessions), sessions, apiGate);
  server.listen(config.web.port, config.web.host, () => {
    log.info({ port: config.web!.port }, 'admin page ready');
    announceReady();
  });
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      server.close(async () => {
        await pool.end();
        await temporal.connection.close();
        process.exit(0);
      });
    });
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
