// Starting an email's workflow: one way, whoever found the email (the bridge from its notification, the
// reconciliation from the stored object), so both start it with the same id, input and search attributes.
import { Client } from '@temporalio/client';
import { EMAIL_SENDER, EMAIL_STAGE } from '../domain/search-attributes';
import { SenderPolicyFile, senderPolicyFor, senderPolicyInput } from '../domain/sender-policy';
import { inboundEmailWorkflowId } from '../domain/workflow-ids';
import type { Config } from '../config';
import { SearchSenderSetting, searchSenderSetting, senderForSearch } from '../mail/search-sender';
import { inboundEmail } from '../workflows';
import type { ReceivedEmail } from './envelope';
import { startOnce } from './start-once';

export interface InboundStartSettings {
  taskQueue: string;
  /** What the EmailSender search attribute holds (SEARCH_SENDER_AS, keyed by CUSTOMER_HASH_KEY). */
  searchSender: SearchSenderSetting;
  quarantineRetentionMs?: number;
  /** UNAUTHENTICATED_CONFIRMATION, passed to each workflow (which cannot read configuration). */
  unauthenticatedConfirmation?: 'none' | 'minimal';
  /** SENDER_POLICY_FILE: each workflow is given the policy of the addresses its mail was received for. */
  senderPolicy?: SenderPolicyFile | null;
}

/** The settings from configuration, the same for every starter. */
export function inboundStartSettings(config: Config): InboundStartSettings {
  return {
    taskQueue: config.temporal.taskQueue,
    searchSender: searchSenderSetting(config),
    quarantineRetentionMs: config.quarantineRetentionMs,
    unauthenticatedConfirmation: config.unauthenticatedConfirmation,
    senderPolicy: config.senderPolicy,
  };
}

/** 'duplicate' when the workflow exists already (running or finished): the email is in hand either way. */
export async function startInboundEmail(client: Client, settings: InboundStartSettings, { notice, senderAtStart }: ReceivedEmail): Promise<'started' | 'duplicate'> {
  const searchSender = senderAtStart ? senderForSearch(senderAtStart, settings.searchSender) : null;
  // Absent when it is today's behaviour: the input is then what it always was.
  const senderPolicy = senderPolicyInput(senderPolicyFor(settings.senderPolicy ?? null, notice.recipients));
  return startOnce(() =>
    client.workflow.start(inboundEmail, {
      taskQueue: settings.taskQueue,
      workflowId: inboundEmailWorkflowId(notice.sesMessageId),
      // Typed by the workflow: args is [InboundEmailInput].
      args: [{ notice, quarantineRetentionMs: settings.quarantineRetentionMs, unauthenticatedConfirmation: settings.unauthenticatedConfirmation, ...(senderPolicy ? { senderPolicy } : {}) }],
      // A finished email is not processed again by a late duplicate delivery.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      // Set at start, free of charge: the email is findable by stage (and by sender, when SES named one)
      // before the workflow runs, and the workflow need not upsert the sender (a billable action).
      typedSearchAttributes: [
        { key: EMAIL_STAGE, value: 'received' },
        ...(searchSender ? [{ key: EMAIL_SENDER, value: searchSender }] : []),
      ],
    }),
  );
}
