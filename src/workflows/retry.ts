// How every workflow retries its activities: transient faults (network, throttling, a database restart)
// retry with backoff until they pass; permanent ones (domain/permanent-faults) are thrown non-retryable
// and become a recorded outcome instead.
import { RetryPolicy } from '@temporalio/workflow';
import { PERMANENT_FAULT_TYPES } from '../domain/permanent-faults';

export const ACTIVITY_RETRY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  nonRetryableErrorTypes: PERMANENT_FAULT_TYPES,
};
