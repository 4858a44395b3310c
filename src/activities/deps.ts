// What every activity factory is given: clients built once by the worker (tests pass their own).
import { Pool } from 'pg';
import { AwsClients } from '../aws/clients';
import { Config } from '../config';

export interface ActivityDeps {
  config: Config;
  aws: AwsClients;
  pool: Pool;
}
