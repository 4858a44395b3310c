// The deployment an operator works on (CLI commands, the benchmark, the fault run, the tests): its
// configuration (from the environment, else the running local stack's env file), and clients opened
// lazily and closed at the end.
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { createUserDirectory, UserDirectory } from '../activities/user-directory';
import { AwsClients, createAwsClients } from '../aws/clients';
import { Config, loadConfig } from '../config';
import { createPool } from '../db/pool';
import { encryptingDataConverter } from '../encryption/data-converter';
import { loadStackEnv } from '../stack/local-stack';
import { connectionOptions } from '../temporal-connection';

export class Deployment {
  private cachedConfig?: Config;
  private cachedPool?: Pool;
  private cachedAws?: AwsClients;
  private cachedDirectory?: UserDirectory;
  private connection?: Connection;
  private cachedTemporal?: Client;

  get config(): Config {
    if (!this.cachedConfig) {
      loadStackEnv();
      this.cachedConfig = loadConfig();
    }
    return this.cachedConfig;
  }

  get pool(): Pool {
    return (this.cachedPool ??= createPool(this.config.databaseUrl, 2));
  }

  get aws(): AwsClients {
    return (this.cachedAws ??= createAwsClients(this.config.aws));
  }

  /** The user directory the configuration names (USER_DIRECTORY): `users add` writes where the workers look. */
  get directory(): UserDirectory {
    return (this.cachedDirectory ??= createUserDirectory(this.config.userDirectory, this.aws, this.pool));
  }

  async temporal(): Promise<Client> {
    if (!this.cachedTemporal) {
      const options = connectionOptions(this.config.temporal);
      this.connection = await Connection.connect({ ...options, connectTimeout: 5000 }).catch((err: Error) => {
        // The SDK says only "Failed to connect before the deadline", whatever the cause: name what was tried.
        const how = options.tls ? `over TLS${options.tls.clientCertPair ? ' with a client certificate' : ''}${options.apiKey ? ' and an API key' : ''}` : 'in plaintext';
        throw new Error(`Cannot reach Temporal at ${options.address} ${how} (${err.message}); check TEMPORAL_ADDRESS and the TEMPORAL_TLS_* settings`);
      });
      this.cachedTemporal = new Client({
        connection: this.connection,
        namespace: this.config.temporal.namespace,
        dataConverter: encryptingDataConverter(this.config.customerData.payloadKeys),
      });
    }
    return this.cachedTemporal;
  }

  async close(): Promise<void> {
    await this.cachedPool?.end();
    await this.connection?.close();
  }
}
