// The emails sent through SES, as the SES endpoint (the local emulator) recorded them (`outbox`, the
// demo, the fault run's checks).
import { GetTemplateCommand } from '@aws-sdk/client-ses';
import { simpleParser } from 'mailparser';
import { Pool } from 'pg';
import { AwsClients } from '../aws/clients';
import { renderTemplatePart } from '../aws/confirmation-template';
import { listOutbound } from '../db/outbound-emails';

export interface OutboxEmail {
  messageId: string;
  to: string[];
  subject: string;
  body: string;
  raw: string | null;
  sentAt: string | null;
}

interface MotoSes {
  Message?: { id: string; destinations: { ToAddresses?: string[] }; subject: string; body: string }[];
  TemplateMessage?: { id: string; destinations: { ToAddresses?: string[] }; template: string; template_data: string }[];
  RawMessage?: { id: string; destinations: string[] | null; raw_data: string }[];
}

export async function readOutbox(endpoint: string | undefined, aws: AwsClients, pool: Pool): Promise<OutboxEmail[]> {
  if (!endpoint) throw new Error('outbox reads what the local SES endpoint recorded: AWS_ENDPOINT_URL must point at the emulator');
  const response = await fetch(`${endpoint.replace(/\/+$/, '')}/moto-api/data.json`);
  if (!response.ok) throw new Error(`The SES endpoint at ${endpoint} did not return its sent mail (HTTP ${response.status})`);
  const ses: MotoSes = ((await response.json()) as { ses?: MotoSes }).ses ?? {};
  const sentAt = new Map((await listOutbound(pool)).filter((o) => o.sesMessageId).map((o) => [o.sesMessageId!, o.sentAt]));
  const templates = new Map<string, { subject: string; text: string }>();
  const template = async (name: string) => {
    if (!templates.has(name)) {
      const t = (await aws.ses.send(new GetTemplateCommand({ TemplateName: name }))).Template;
      templates.set(name, { subject: t?.SubjectPart ?? '', text: t?.TextPart ?? '' });
    }
    return templates.get(name)!;
  };
  const out: OutboxEmail[] = [];
  for (const m of ses.Message ?? []) {
    out.push({ messageId: m.id, to: m.destinations.ToAddresses ?? [], subject: m.subject, body: m.body, raw: null, sentAt: sentAt.get(m.id) ?? null });
  }
  for (const m of ses.TemplateMessage ?? []) {
    const t = await template(m.template);
    const data = JSON.parse(m.template_data) as Record<string, unknown>;
    out.push({
      messageId: m.id,
      to: m.destinations.ToAddresses ?? [],
      subject: renderTemplatePart(t.subject, data),
      body: renderTemplatePart(t.text, data),
      raw: null,
      sentAt: sentAt.get(m.id) ?? null,
    });
  }
  for (const m of ses.RawMessage ?? []) {
    const mail = await simpleParser(m.raw_data, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
    // The emulator lists each recipient as given and again as "Name <address>" from the headers.
    const to = [...new Set((m.destinations ?? []).map((d) => (/<([^>]+)>/.exec(d)?.[1] ?? d).trim().toLowerCase()))];
    out.push({ messageId: m.id, to, subject: mail.subject ?? '', body: mail.text ?? '', raw: m.raw_data, sentAt: sentAt.get(m.id) ?? null });
  }
  return out;
}
