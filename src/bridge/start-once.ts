// Starting a workflow whose id names the thing it handles: a second start is refused by Temporal, and
// that refusal means the thing is in hand already (its workflow runs or has finished).
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';

export async function startOnce(start: () => Promise<unknown>): Promise<'started' | 'duplicate'> {
  try {
    await start();
    return 'started';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'duplicate';
    throw err;
  }
}
