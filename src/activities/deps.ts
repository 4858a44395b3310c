// What every activity factory is given: clients built once by the worker (tests pass their own).
import { Pool } from 'pg';
import { AwsClients } from '../aws/clients';
import { Config } from '../config';
import type { SesSendRate } from './ses-send-rate';
import type { UserDirectory } from './user-directory';

export interface ActivityDeps {
  config: Config;
  aws: AwsClients;
  pool: Pool;
  /** This worker's share of SES's send rate; createActivities makes it from the configuration when not given. */
  sesSendRate?: SesSendRate;
  /** Where reporters and agents are looked up (USER_DIRECTORY); createActivities makes it from the configuration when not given. */
  directory?: UserDirectory;
  /** The direct pipeline of the benchmark runs without Temporal: no SLA clocks to tell. */
  withoutSlaClocks?: boolean;
}
