// Workflow ids: derived from the product's own keys, so a duplicate delivery finds the workflow
// already running instead of starting a second one (Temporal refuses a second start with one id).
import { isIncidentNumber } from './incident-number';

export const INBOUND_EMAIL_WORKFLOW_ID_PREFIX = 'inbound-email-';
export const INCIDENT_THREAD_WORKFLOW_ID_PREFIX = 'incident-thread-';
export const DELIVERY_EVENT_WORKFLOW_ID_PREFIX = 'delivery-event-';
export const INCIDENT_SLA_WORKFLOW_ID_PREFIX = 'incident-sla-';
export const ALERT_KEY_WORKFLOW_ID_PREFIX = 'alert-key-';
/** The one workflow that counts alert keys opening incidents (alert storms). */
export const ALERT_STORM_WORKFLOW_ID = 'alert-storm';
/** One re-plan per policy: workers starting with the same new policy start it once. */
export const slaReplanWorkflowId = (fingerprint: string): string => `sla-replan-${fingerprint.slice(0, 32)}`;
/**
 * The reconciliation's Schedule, and the id of the workflows it starts (Temporal appends the scheduled
 * time). Not under 'inbound-email-': what lists emails by that prefix must not find it.
 */
export const RECONCILIATION_SCHEDULE_ID = 'email-reconciliation';
/** A reconciliation run by hand (`email-to-ticket reconcile`), with the time it was asked for. */
export const reconciliationWorkflowId = (at: Date): string => `${RECONCILIATION_SCHEDULE_ID}-manual-${at.toISOString()}`;

// SES message ids look like 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1' (letters, digits, '.', '_', '-',
// about 100 characters at most). '+' and '=' are allowed too, for ids that carry base64; anything
// else (slashes, spaces, control characters) could turn an S3 key or a workflow id into something else.
const SES_MESSAGE_ID = /^[A-Za-z0-9._+=-]{1,128}$/;

/** 1 to 128 characters of A-Z a-z 0-9 . _ + = - */
export function isValidSesMessageId(id: string): boolean {
  return typeof id === 'string' && SES_MESSAGE_ID.test(id);
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 60 ? text.slice(0, 60) + '…' : text);
}

/** 'inbound-email-' + the SES message id. Throws for an id the bridge should already have rejected. */
export function inboundEmailWorkflowId(sesMessageId: string): string {
  if (!isValidSesMessageId(sesMessageId)) {
    throw new Error(`Invalid SES message id ${shown(sesMessageId)}: expected 1 to 128 characters of A-Z a-z 0-9 . _ + = -`);
  }
  return INBOUND_EMAIL_WORKFLOW_ID_PREFIX + sesMessageId;
}

/** 'incident-thread-' + the incident number (INC + 7 digits). Throws for anything that is not one. */
export function incidentThreadWorkflowId(incidentNumber: string): string {
  if (!isIncidentNumber(incidentNumber)) {
    throw new Error(`Invalid incident number ${shown(incidentNumber)}: expected INC followed by 7 digits`);
  }
  return INCIDENT_THREAD_WORKFLOW_ID_PREFIX + incidentNumber;
}

/** 'incident-sla-' + the incident number: the incident's SLA clock. */
export function incidentSlaWorkflowId(incidentNumber: string): string {
  return INCIDENT_SLA_WORKFLOW_ID_PREFIX + incidentThreadWorkflowId(incidentNumber).slice(INCIDENT_THREAD_WORKFLOW_ID_PREFIX.length);
}

/** 'delivery-event-' + the SES message id of our mail + the event's key: one workflow per event, however often delivered. */
export function deliveryEventWorkflowId(sesMessageId: string, eventKey: string): string {
  if (!isValidSesMessageId(sesMessageId) || !/^[a-z]+-[0-9a-f]{24}$/.test(eventKey)) {
    throw new Error(`Invalid delivery event ${shown(sesMessageId)} ${shown(eventKey)}`);
  }
  return `${DELIVERY_EVENT_WORKFLOW_ID_PREFIX}${sesMessageId}-${eventKey}`;
}

/**
 * 'alert-key-' + the keyed hash of a monitoring alert key (host/service, 32 hex digits): the id names no
 * host (customer data), and nobody without the key can test a guessed host against it.
 */
export function alertKeyWorkflowId(keyHash: string): string {
  if (!/^[0-9a-f]{32}$/.test(keyHash)) throw new Error(`Invalid alert key hash ${shown(keyHash)}: expected 32 hex digits`);
  return ALERT_KEY_WORKFLOW_ID_PREFIX + keyHash;
}
