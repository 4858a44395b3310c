// `demo`: brings the stack up and pushes the sample emails through the real path
// (S3 + SNS -> SQS -> bridge -> workflow), then shows what became of each.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { addUser } from '../db/directory';
import { listIncidents } from '../db/incidents';
import { PROJECT_ROOT } from '../stack/settings';
import { stackUp } from '../stack/local-stack';
import { CliContext } from './context';
import { waitForEmail } from './email-status';
import { ingestEmail, IngestOptions } from './ingest';
import { readOutbox } from './outbox';

const SAMPLES: { file: string; note: string; options?: IngestOptions }[] = [
  { file: 'plain-text.eml', note: 'known user, verified sender' },
  { file: 'html-only.eml', note: 'HTML only; routed to Network by a rule' },
  { file: 'multipart-attachment.eml', note: 'attachments stored in S3' },
  { file: 'latin1.eml', note: 'ISO-8859-1' },
  { file: 'out-of-office.eml', note: 'auto-reply: no incident' },
  { file: 'spoofed-verdicts.eml', note: 'spam FAIL: quarantined', options: { verdicts: { spam: 'FAIL' } } },
];

export async function runDemo(ctx: CliContext): Promise<void> {
  const started = Date.now();
  await stackUp();
  const { config } = ctx;
  await addUser(ctx.pool, { email: 'anna.berg@example.com', name: 'Anna Berg' });
  await ctx.aws.dynamo.send(
    new PutCommand({
      TableName: config.routingRuleTable,
      Item: { ruleId: 'network-vpn', position: 10, enabled: true, conditions: [{ field: 'subject', operator: 'contains', value: 'VPN' }], assignmentGroup: 'Network', category: 'Network', priority: 2 },
    }),
  );
  const client = await ctx.temporal();
  console.log('\nDelivering the sample emails as SES would:');
  for (const sample of SAMPLES) {
    const raw = readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', sample.file));
    const id = await ingestEmail(ctx.aws, config, raw, sample.options);
    const status = await waitForEmail(client, id, 120_000);
    console.log(`  ${sample.file.padEnd(26)} ${status.stage.padEnd(17)} ${(status.incidentNumber ?? '').padEnd(11)} ${sample.note}${status.reason ? ` (${status.reason})` : ''}`);
  }
  console.log('\nIncidents:');
  for (const i of (await listIncidents(ctx.pool)).reverse()) {
    console.log(`  ${i.number}  P${i.priority}  ${(i.assignmentGroup ?? '-').padEnd(8)} ${(i.reporter?.name ?? `(unknown) ${i.sender.address}`).padEnd(32)} ${i.shortDescription}`);
  }
  const outbox = await readOutbox(config.aws.endpoint, ctx.aws, ctx.pool);
  console.log(`\nConfirmations sent through SES: ${outbox.length}  (see them: npx email-to-ticket outbox)`);
  console.log(`Temporal Web UI: ${process.env.TEMPORAL_UI_URL}  (one workflow per email: inbound-email-<SES message id>)`);
  console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s. Stop everything with: npx email-to-ticket stack down`);
}
