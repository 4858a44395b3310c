// Workflow tests log only warnings from the SDK: the worker's state changes would bury the results.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
