// The ledger's one step: list a page of the inbound prefix, look up which of its emails (stored within the
// window) have a recorded outcome, and start those without one, exactly as the bridge would have. A start
// refused as "already started" means the workflow exists (not yet at its first step, or ended before it):
// in hand. So one PostgreSQL query per page and a start per unrecorded email, never a describe per object;
// and a retried page starts nothing twice.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Context, log } from '@temporalio/activity';
import { inboundStartSettings, startInboundEmail } from '../bridge/start-inbound-email';
import { inboundEmailStages } from '../db/inbound-emails';
import { emailsInWindow, emailsWithoutRecord, ListedObject, ReconciledPage, ReconciliationWindow, STARTED_IDS_KEPT } from '../domain/reconciliation';
import { inboundEmailWorkflowId } from '../domain/workflow-ids';
import { ActivityDeps } from './deps';

export interface ReconcilePageInput {
  window: ReconciliationWindow;
  pageSize: number;
  /** S3's token of the page; none for the first. */
  continuationToken?: string;
}

export function createReconciliation({ aws, pool, config }: ActivityDeps) {
  const { bucket, prefix } = config.inbound;
  const startSettings = inboundStartSettings(config);
  return {
    async reconcileInboundPage(input: ReconcilePageInput): Promise<ReconciledPage & { next?: string }> {
      const context = Context.current();
      // The delimiter keeps "folders" under the prefix (our parsed/ when the prefix is empty) out of the listing.
      const listing = await aws.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', MaxKeys: input.pageSize, ContinuationToken: input.continuationToken }),
      );
      const objects: ListedObject[] = (listing.Contents ?? []).flatMap((o) => (o.Key && o.LastModified ? [{ key: o.Key, lastModified: o.LastModified.toISOString() }] : []));
      const emails = emailsInWindow(objects, prefix, input.window);
      const recorded = emails.length > 0 ? (await inboundEmailStages(pool, emails.map((e) => e.sesMessageId))).map((row) => row.sesMessageId) : [];
      const startedIds: string[] = [];
      let alreadyStarted = 0;
      const reconciled = context.metricMeter.createCounter('email_to_ticket_reconciled_emails', 'emails', 'emails stored in S3 without a workflow or a record, started by the reconciliation');
      for (const { sesMessageId, key } of emailsWithoutRecord(emails, recorded)) {
        // No verdicts, as for an S3 event notification: the workflow reads those SES wrote into the stored headers.
        const result = await startInboundEmail(context.client, startSettings, { notice: { sesMessageId, bucket, key } });
        if (result === 'duplicate') {
          alreadyStarted++;
          continue;
        }
        startedIds.push(sesMessageId);
        reconciled.add(1);
        log.warn('reconciliation started an email that had neither a workflow nor a record: its notification never reached the bridge', {
          sesMessageId,
          key,
          emailWorkflowId: inboundEmailWorkflowId(sesMessageId),
        });
      }
      return {
        listed: objects.length,
        inWindow: emails.length,
        recorded: recorded.length,
        alreadyStarted,
        started: startedIds.length,
        startedIds: startedIds.slice(0, STARTED_IDS_KEPT),
        ...(listing.IsTruncated && listing.NextContinuationToken ? { next: listing.NextContinuationToken } : {}),
      };
    },
  };
}
