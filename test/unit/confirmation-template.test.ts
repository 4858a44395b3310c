// The confirmation's template data: SES does not escape values in the HTML part, so the sender's
// subject and name must reach it escaped, and the plain parts unchanged.
import { confirmationTemplateData } from '../../src/activities/confirmation';
import { CONFIRMATION_TEMPLATE_PARTS, renderTemplatePart } from '../../src/aws/confirmation-template';
import { formatSlaDueAt, formatSlaTarget } from '../../src/domain/sla';

const input = {
  sesMessageId: 'm1',
  incidentNumber: 'INC0010001',
  shortDescription: '<a href="https://phish.example">Reset your password</a> & more',
  priority: 2 as const,
  to: { address: 'victim@example.com', name: '<img src=x onerror=alert(1)>' },
};

const sla = { target: formatSlaTarget(480), dueAt: formatSlaDueAt('2026-11-30T16:00:00.000Z', 'Europe/Berlin') };

test('the HTML part shows hostile subject and name as text, never as markup', () => {
  const html = renderTemplatePart(CONFIRMATION_TEMPLATE_PARTS.HtmlPart, confirmationTemplateData(input, 'https://help.example.com/track/abc_DEF-123', sla));
  expect(html).not.toContain('<a href="https://phish.example">');
  expect(html).not.toContain('<img');
  expect(html).toContain('&lt;a href=&quot;https://phish.example&quot;&gt;Reset your password&lt;/a&gt; &amp; more');
  expect(html).toContain('href="https://help.example.com/track/abc_DEF-123"');
});

test('the subject and text part carry the values as written, with number, link, priority and SLA', () => {
  const data = confirmationTemplateData(input, 'https://help.example.com/track/abc_DEF-123', sla);
  expect(renderTemplatePart(CONFIRMATION_TEMPLATE_PARTS.SubjectPart, data)).toBe(`[INC0010001] We received your request: ${input.shortDescription}`);
  const text = renderTemplatePart(CONFIRMATION_TEMPLATE_PARTS.TextPart, data);
  expect(text).toContain('Priority: 2 - High');
  expect(text).toContain('Target resolution time (SLA): 8 hours, by Monday 30 November 2026, 17:00 (Europe/Berlin)');
  expect(text).toContain('Track your incident: https://help.example.com/track/abc_DEF-123');
});

test('every field the template names is in the data', () => {
  const data = confirmationTemplateData(input, 'https://x', sla);
  const named = Object.values(CONFIRMATION_TEMPLATE_PARTS).join('\n').match(/\{\{\s*(\w+)\s*\}\}/g)!.map((m) => m.replace(/[{}\s]/g, ''));
  for (const field of named) expect(Object.keys(data)).toContain(field);
});
