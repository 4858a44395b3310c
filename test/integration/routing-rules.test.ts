// Routing rules read from DynamoDB StackFlow_EmailRoutingRule by the real worker: the whole table
// (a scan of several pages), malformed rows skipped while the rest apply, a changed rule seen by the
// next email (the tests run with RULE_REFRESH_SECONDS=0), header and recipient conditions (read from the
// stored parse), position order and stopAfterMatch, an `ignore` rule, and what a rule sets on the incident.
// Every rule here matches only this file's emails (a tag in the subject or sender), and all are removed
// afterwards: the table is shared by the whole test stack.
import { DeleteCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { getIncident } from '../../src/db/incidents';
import { getInboundEmail } from '../../src/db/inbound-emails';
import { newId, openStack } from './helpers';

const stack = openStack();
const table = () => stack.ctx.config.routingRuleTable;
const written = new Set<string>();

async function putRule(item: Record<string, unknown>): Promise<void> {
  written.add(String(item.ruleId));
  await stack.ctx.aws.dynamo.send(new PutCommand({ TableName: table(), Item: item }));
}

async function deleteRule(ruleId: string): Promise<void> {
  await stack.ctx.aws.dynamo.send(new DeleteCommand({ TableName: table(), Key: { ruleId } }));
  written.delete(ruleId);
}

afterAll(async () => {
  for (const ruleId of [...written]) await deleteRule(ruleId);
  await stack.ctx.close();
});

function mail(o: { id: string; from: string; subject: string; cc?: string[]; headers?: string[] }): Buffer {
  return Buffer.from(
    [
      `From: Route Tester <${o.from}>`,
      `To: ${stack.ctx.config.ticketAddress}`,
      ...(o.cc?.length ? [`Cc: ${o.cc.join(', ')}`] : []),
      `Subject: ${o.subject}`,
      `Message-ID: <${o.id}@test.example>`,
      ...(o.headers ?? []),
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Something is broken, please have a look.',
      '',
    ].join('\r\n'),
  );
}

/** Delivers an email as SES would and returns its final status and, when it made one, its incident. */
async function route(o: Parameters<typeof mail>[0]) {
  await stack.deliver(mail(o), { messageId: o.id });
  const status = await stack.finish(o.id);
  const incident = status.incidentNumber ? await getIncident(stack.ctx.pool, status.incidentNumber) : null;
  return { status, incident };
}

async function routingRuleOf(incidentNumber: string): Promise<string | null> {
  return (await stack.ctx.pool.query('SELECT routing_rule_id FROM incidents WHERE number = $1', [incidentNumber])).rows[0].routing_rule_id;
}

/** Signs in to the admin page; `save` posts a rule to the routing rules form as the page does. */
async function adminRuleForm() {
  stack.ctx.config; // loads the stack's env file (admin user and password)
  const web = `http://127.0.0.1:${process.env.STACK_WEB_PORT}`;
  const login = await fetch(`${web}/login`, { method: 'POST', body: new URLSearchParams({ user: process.env.ADMIN_USER!, password: process.env.ADMIN_PASSWORD! }), redirect: 'manual' });
  expect(login.status).toBe(303);
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const page = async () => (await fetch(`${web}/admin/routing-rules`, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page())![1];
  /** Where the page sends the browser after the save, decoded: it carries the message or the error. */
  const save = async (item: object) => {
    const res = await fetch(`${web}/admin/routing-rules/save`, { method: 'POST', headers: { cookie }, body: new URLSearchParams({ rule: JSON.stringify(item), csrf }), redirect: 'manual' });
    return decodeURIComponent(res.headers.get('location') ?? '');
  };
  return { page, save };
}

const routed = (incident: Awaited<ReturnType<typeof getIncident>>) =>
  incident && { assignmentGroup: incident.assignmentGroup, category: incident.category, priority: incident.priority };

test('the whole table is read, past its first page; malformed rows are skipped and the valid rule applies', async () => {
  const tag = newId('scan');
  const padding = 'x'.repeat(350_000);
  // Rows the worker must skip. Each would route this file's email to "Wrong" if it were taken as valid,
  // and together they are over 1 MB, so DynamoDB returns the table in more than one page.
  const malformed = [
    { ruleId: `${tag}-priority-word`, position: 1, conditions: [{ field: 'subject', operator: 'contains', value: tag }], assignmentGroup: 'Wrong', priority: 'high', padding },
    { ruleId: `${tag}-unknown-field`, position: 2, conditions: [{ field: 'body', operator: 'contains', value: tag }], assignmentGroup: 'Wrong', padding },
    { ruleId: `${tag}-position-text`, position: 'first', conditions: [{ field: 'subject', operator: 'contains', value: tag }], assignmentGroup: 'Wrong', padding },
    { ruleId: `${tag}-bad-regex`, position: 3, conditions: [{ field: 'subject', operator: 'regex', value: '(a)\\1' }], assignmentGroup: 'Wrong' },
  ];
  for (const item of malformed) await putRule(item);
  // Written last, so it is not on the first page of the scan.
  await putRule({ ruleId: `${tag}-vpn`, position: 50, enabled: true, conditions: [{ field: 'subject', operator: 'contains', value: tag }], assignmentGroup: 'Network', category: 'VPN', priority: 2 });

  // The table really is paged, and the valid rule is not on its first page.
  const firstPage = await stack.ctx.aws.dynamo.send(new ScanCommand({ TableName: table() }));
  expect(firstPage.LastEvaluatedKey).toBeDefined();
  expect((firstPage.Items ?? []).map((i) => i.ruleId)).not.toContain(`${tag}-vpn`);

  try {
    const id = newId('scan-mail');
    const { status, incident } = await route({ id, from: `${id}@customer.example`, subject: `VPN drops every hour ${tag}` });
    expect(status).toMatchObject({ stage: 'confirmed', workflowStatus: 'COMPLETED', reason: null });
    expect(routed(incident)).toEqual({ assignmentGroup: 'Network', category: 'VPN', priority: 2 });
    expect(await routingRuleOf(status.incidentNumber!)).toBe(`${tag}-vpn`);
    // The routed priority sets the SLA target the confirmation names (2 - High: 8 hours by default).
    const [confirmation] = (await stack.outbox()).filter((m) => m.to.includes(`${id}@customer.example`));
    expect(confirmation.body).toMatch(/Target resolution time \(SLA\): 8 hours/);
  } finally {
    // The padding makes every later scan slow: drop it now.
    for (const item of malformed) await deleteRule(item.ruleId);
  }
}, 90_000);

test('a rule changed, disabled or deleted in the table applies to the next email', async () => {
  const tag = newId('refresh');
  const ruleId = `${tag}-rule`;
  const conditions = [{ field: 'subject', operator: 'contains', value: tag }];
  const next = (n: number) => {
    const id = newId(`refresh${n}`);
    return route({ id, from: `${id}@customer.example`, subject: `Laptop fan noise ${tag}` });
  };

  await putRule({ ruleId, position: 10, conditions, assignmentGroup: 'Hardware', category: 'Laptop', priority: 3 });
  expect(routed((await next(1)).incident)).toEqual({ assignmentGroup: 'Hardware', category: 'Laptop', priority: 3 });

  await putRule({ ruleId, position: 10, conditions, assignmentGroup: 'Facilities', priority: 5 });
  expect(routed((await next(2)).incident)).toEqual({ assignmentGroup: 'Facilities', category: null, priority: 5 });

  await putRule({ ruleId, position: 10, enabled: false, conditions, assignmentGroup: 'Facilities', priority: 5 });
  const disabled = await next(3);
  expect(routed(disabled.incident)).toEqual({ assignmentGroup: null, category: null, priority: 4 });
  expect(await routingRuleOf(disabled.status.incidentNumber!)).toBeNull();

  await putRule({ ruleId, position: 10, conditions, assignmentGroup: 'Hardware', priority: 1 });
  expect(routed((await next(4)).incident)).toMatchObject({ assignmentGroup: 'Hardware', priority: 1 });
  await deleteRule(ruleId);
  expect(routed((await next(5)).incident)).toEqual({ assignmentGroup: null, category: null, priority: 4 });
}, 120_000);

test('header and recipient conditions match what the email carried (read from the stored parse)', async () => {
  const tag = newId('hdr');
  const vpnDesk = `vpn-desk-${tag}@your-instance.stackflow-tech.com`;
  await putRule({
    ruleId: `${tag}-urgent`,
    position: 10,
    conditions: [
      { field: 'subject', operator: 'contains', value: tag },
      { field: 'header:X-Priority', operator: 'any_of', value: ['1', '2'] },
    ],
    assignmentGroup: 'Escalations',
    priority: 1,
  });
  await putRule({ ruleId: `${tag}-vpn-desk`, position: 20, conditions: [{ field: 'recipient', operator: 'equals', value: vpnDesk }], assignmentGroup: 'Network', category: 'VPN' });

  const urgent = newId('hdr1');
  const a = await route({ id: urgent, from: `${urgent}@customer.example`, subject: `Site down ${tag}`, headers: ['X-Priority: 1'] });
  expect(routed(a.incident)).toEqual({ assignmentGroup: 'Escalations', category: null, priority: 1 });

  // Not urgent, but copied to the VPN desk: the recipient rule applies.
  const copied = newId('hdr2');
  const b = await route({ id: copied, from: `${copied}@customer.example`, subject: `Slow VPN ${tag}`, cc: [vpnDesk], headers: ['X-Priority: 3'] });
  expect(routed(b.incident)).toEqual({ assignmentGroup: 'Network', category: 'VPN', priority: 4 });

  const neither = newId('hdr3');
  const c = await route({ id: neither, from: `${neither}@customer.example`, subject: `Question ${tag}`, headers: ['X-Priority: 3'] });
  expect(routed(c.incident)).toEqual({ assignmentGroup: null, category: null, priority: 4 });
}, 120_000);

test('rules run by position; a matching rule ends the run unless stopAfterMatch is false', async () => {
  const tag = newId('order');
  const conditions = [{ field: 'subject', operator: 'contains', value: tag }];
  // Written in the opposite order of their positions: the order of the table does not matter.
  await putRule({ ruleId: `${tag}-c-late`, position: 30, conditions, assignmentGroup: 'Never', priority: 5 });
  await putRule({ ruleId: `${tag}-b-first-stop`, position: 20, conditions, assignmentGroup: 'Service Desk', priority: 2 });
  await putRule({ ruleId: `${tag}-a-tag`, position: 10, conditions, category: 'Tagged', stopAfterMatch: false });
  const id = newId('order-mail');
  const { status, incident } = await route({ id, from: `${id}@customer.example`, subject: `Printer ${tag}` });
  expect(routed(incident)).toEqual({ assignmentGroup: 'Service Desk', category: 'Tagged', priority: 2 });
  // The incident names the first rule applied.
  expect(await routingRuleOf(status.incidentNumber!)).toBe(`${tag}-a-tag`);
}, 60_000);

test('an ignore rule (saved through the admin page) ends the email as ignored, naming the rule: no incident, no confirmation', async () => {
  const tag = newId('ign');
  const ruleId = `${tag}-newsletters`;
  const domain = `newsletter-${tag}.example`;
  const rule = { ruleId, position: 5, enabled: true, conditions: [{ field: 'sender', operator: 'ends_with', value: `@${domain}` }], ignore: true };
  const { save } = await adminRuleForm();
  // The page refuses what the worker would skip...
  expect(await save({ ...rule, priority: 'high' })).toContain('priority must be a whole number from 1 to 5');
  // ...and saves the valid rule to the table the worker reads.
  written.add(ruleId);
  expect(await save(rule)).toContain(`saved ${ruleId}`);

  const id = newId('ign-mail');
  const sender = `news@${domain}`;
  await stack.deliver(mail({ id, from: sender, subject: 'Our November offers' }), { messageId: id });
  const status = await stack.finish(id);
  expect(status).toMatchObject({ stage: 'ignored', incidentNumber: null, reason: `ignored by routing rule ${ruleId}`, workflowStatus: 'COMPLETED' });
  expect(await stack.incidentsFor(id)).toEqual([]);
  expect((await stack.outbox()).filter((m) => m.to.includes(sender))).toEqual([]);
  expect(await getInboundEmail(stack.ctx.pool, id)).toMatchObject({ stage: 'ignored', reason: `ignored by routing rule ${ruleId}`, incidentNumber: null });
}, 60_000);

test('an escalation address saved through the admin page is listed there and lands on the incident; without one the incident has none', async () => {
  const tag = newId('esc');
  const ruleId = `${tag}-escalate`;
  const rule = { ruleId, position: 5, enabled: true, conditions: [{ field: 'subject', operator: 'contains', value: tag }], assignmentGroup: 'Network' };
  const { page, save } = await adminRuleForm();
  // Refused as the worker would skip it: a header injection, a list.
  expect(await save({ ...rule, escalationAddress: 'oncall@corp.example\r\nBcc: all@corp.example' })).toContain('escalationAddress must be one address without line breaks');
  expect(await save({ ...rule, escalationAddress: 'a@corp.example, b@corp.example' })).toContain('escalationAddress must be one address, not a list');
  written.add(ruleId);
  expect(await save({ ...rule, escalationAddress: 'Network-OnCall@Corp.example' })).toContain(`saved ${ruleId}`);
  expect(await page()).toMatch(/<th>Escalation address<\/th>[\s\S]*<td>Network-OnCall@Corp\.example<\/td>/);

  const id = newId('esc-mail');
  const { incident } = await route({ id, from: `someone@${tag}.example`, subject: `VPN down ${tag}` });
  // Normalised as the worker reads the rule (lower-cased), in incidents.escalation_address.
  expect(incident).toMatchObject({ assignmentGroup: 'Network', escalationAddress: 'network-oncall@corp.example' });

  const other = await route({ id: newId('esc-none'), from: `someone@${tag}.example`, subject: 'no rule matches this one' });
  expect(other.incident).toMatchObject({ escalationAddress: null });
}, 60_000);
