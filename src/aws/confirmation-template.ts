// The SES template email_to_ticket_confirmation, stored in SES by provisioning and rendered by
// activities/confirmation.ts. Values are not escaped in HtmlPart, so it uses the *Html fields.
export const CONFIRMATION_TEMPLATE_PARTS = {
  SubjectPart: '[{{incidentNumber}}] We received your request: {{shortDescription}}',
  TextPart: [
    'Hello {{reporterName}},',
    '',
    'Thank you for contacting support. We created incident {{incidentNumber}} for your request:',
    '',
    '  {{shortDescription}}',
    '',
    'Priority: {{priority}}',
    'Target resolution time (SLA): {{slaTarget}}, by {{slaDueAt}}',
    'Track your incident: {{trackingUrl}}',
    '',
    'To add information, reply to this email and keep {{incidentNumber}} in the subject.',
    '',
    'This is an automatic response.',
  ].join('\n'),
  HtmlPart: [
    '<p>Hello {{reporterNameHtml}},</p>',
    '<p>Thank you for contacting support. We created incident <strong>{{incidentNumber}}</strong> for your request:</p>',
    '<blockquote>{{shortDescriptionHtml}}</blockquote>',
    '<p>Priority: {{priority}}<br>Target resolution time (SLA): {{slaTarget}}, by {{slaDueAt}}</p>',
    '<p><a href="{{trackingUrl}}">Track your incident</a></p>',
    '<p>To add information, reply to this email and keep {{incidentNumber}} in the subject.</p>',
    '<p><small>This is an automatic response.</small></p>',
  ].join('\n'),
};

/** Renders plain {{name}} fields, the only Handlebars the template uses (unknown names render empty). */
export function renderTemplatePart(part: string, data: Record<string, unknown>): string {
  return part.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, name: string) => String(data[name] ?? ''));
}
