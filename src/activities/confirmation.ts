// The confirmation (auto-response): SES template email_to_ticket_confirmation with the incident number,
// the tracking link, the SLA target for the priority and the time the incident is due by. The template lives in SES (edit it there);
// we render it and send it raw, because an auto-response must carry Auto-Submitted and our loop header,
// and threading headers so that the customer's reply joins the incident.
import { GetTemplateCommand } from '@aws-sdk/client-ses';
import { renderTemplatePart } from '../aws/confirmation-template';
import { incidentSlaDueAt } from '../db/incidents';
import { formatSlaDueAt, formatSlaTargetOn, priorityLabel, slaDueAtOn } from '../domain/sla';
import { businessCalendarOf, slaPlanFor } from '../domain/sla-policy';
import { slaSubject } from '../db/sla';
import { ConfirmationInput } from '../domain/confirmation-request';
import { trackingTokenFor } from '../encryption/keyed-hash';
import { ActivityDeps } from './deps';
import { answerReferences } from '../mail/compose-email';
import { OutboundResult, sendOutboundEmail } from './outbound-mail';


const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** What a minimal confirmation (to an unauthenticated sender) says instead of their subject and name. */
export const MINIMAL_CONFIRMATION = { shortDescription: '(your email; its subject is not repeated here)', reporterName: 'there' };

/**
 * The data the template is rendered with. Template values are not escaped in the HTML part, and the
 * subject and sender's name come from the (untrusted) sender: the HTML part uses the *Html copies. A
 * minimal confirmation repeats neither: an unauthenticated From may be anyone's, and its text anything.
 */
export function confirmationTemplateData(input: ConfirmationInput, trackingUrl: string, sla: { target: string; dueAt: string }) {
  const reporterName = input.minimal ? MINIMAL_CONFIRMATION.reporterName : input.to.name || input.to.address;
  const shortDescription = input.minimal ? MINIMAL_CONFIRMATION.shortDescription : input.shortDescription;
  return {
    incidentNumber: input.incidentNumber,
    shortDescription,
    shortDescriptionHtml: escapeHtml(shortDescription),
    reporterName,
    reporterNameHtml: escapeHtml(reporterName),
    trackingUrl,
    priority: priorityLabel(input.priority),
    slaTarget: sla.target,
    slaDueAt: sla.dueAt,
  };
}

const TEMPLATE_CACHE_MS = 60_000;

export function createConfirmation(deps: ActivityDeps) {
  const { aws, config } = deps;
  let cached: { parts: { subject: string; text: string; html: string }; at: number } | null = null;

  async function template() {
    if (!cached || Date.now() - cached.at > TEMPLATE_CACHE_MS) {
      const t = (await aws.ses.send(new GetTemplateCommand({ TemplateName: config.confirmationTemplate }))).Template;
      cached = { parts: { subject: t?.SubjectPart ?? '', text: t?.TextPart ?? '', html: t?.HtmlPart ?? '' }, at: Date.now() };
    }
    return cached.parts;
  }

  return {
    /** Sends it (at most once per email); the workflow records the outcome. */
    async mailConfirmation(input: ConfirmationInput): Promise<OutboundResult> {
      // Derived here, from the email's id, so that the token never passes through workflow history.
      const token = input.legacyTrackingToken ?? trackingTokenFor(config.customerData.hashKey, input.sesMessageId);
      const trackingUrl = `${config.trackingBaseUrl}/${encodeURIComponent(token)}`;
      // The incident's resolution target (its priority's and group's), the due time it holds (computed
      // on the calendar when it was made, moved by its clock since), in the calendar's zone.
      const group = (await slaSubject(deps.pool, input.incidentNumber))?.assignmentGroup ?? null;
      const plan = slaPlanFor(config.sla.policy, config.sla.fingerprint, input.priority, group);
      const calendar = businessCalendarOf(plan);
      const dueAt = (await incidentSlaDueAt(deps.pool, input.incidentNumber)) ?? slaDueAtOn(calendar, new Date().toISOString(), plan.resolutionMinutes);
      const sla = { target: formatSlaTargetOn(calendar, plan.resolutionMinutes), dueAt: formatSlaDueAt(dueAt, plan.calendar.timeZone) };
      const data = confirmationTemplateData(input, trackingUrl, sla);
      const parts = await template();
      return sendOutboundEmail(deps, {
        dedupeKey: `confirmation:${input.sesMessageId}`,
        kind: 'confirmation',
        incidentNumber: input.incidentNumber,
        to: [input.to.address.toLowerCase()],
        cc: [],
        subject: renderTemplatePart(parts.subject, data),
        text: renderTemplatePart(parts.text, data),
        html: parts.html ? renderTemplatePart(parts.html, data) : undefined,
        inReplyTo: input.inReplyTo,
        references: answerReferences(input.references, input.inReplyTo),
        autoResponse: true,
      });
    },
  };
}
