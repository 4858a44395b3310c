// The search attributes of inbound-email workflows: how an operator finds an email in the Temporal UI
// or with `temporal workflow list --query "EmailStage = 'parsed' AND EmailSender = '...'"`.
// Registered by the dev server's flags locally and by `email-to-ticket setup` on a real cluster.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const EMAIL_STAGE = defineSearchAttributeKey('EmailStage', SearchAttributeType.KEYWORD);
/** The sender as configured (SEARCH_SENDER_AS: address, domain or hash): it is stored unencoded. */
export const EMAIL_SENDER = defineSearchAttributeKey('EmailSender', SearchAttributeType.KEYWORD);
export const INCIDENT_NUMBER = defineSearchAttributeKey('IncidentNumber', SearchAttributeType.KEYWORD);

export const EMAIL_SEARCH_ATTRIBUTES = [EMAIL_STAGE, EMAIL_SENDER, INCIDENT_NUMBER];
