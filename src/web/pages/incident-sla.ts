// The SLA on the admin page: the incident page's section (due times, the pause, breaches, the clock's
// events) and the incident list's "Due" cell. Breaches carry the class "breached" (highlighted).
import type { IncidentSlaView, SlaSummary } from '../../db/sla';
import { SLA_TARGET_NAMES } from '../../domain/sla-policy';
import { describeSlaTarget, dueColumn, SLA_TARGET_LABELS, slaTargetStatus } from '../../operations/sla-view';
import { html, Html } from '../html';

const breachedClass = (breached: boolean) => new Html(breached ? ' class="breached"' : '');

export function slaSection(sla: IncidentSlaView | null): Html {
  if (!sla) return html``;
  const targets = SLA_TARGET_NAMES.map((name) => {
    const status = slaTargetStatus(sla, name);
    return html`<tr><th>${SLA_TARGET_LABELS[name]}</th><td${breachedClass(status.breached)}>${describeSlaTarget(status)}</td></tr>`;
  });
  const paused = sla.pausedSince ? html`<p class="sla-paused">Paused (waiting for the customer) since ${sla.pausedSince}</p>` : html``;
  const events = sla.events.map(
    (e) => html`<tr${breachedClass(e.event === 'breach')}><td>${e.at}</td><td>${e.target ?? '-'}</td><td>${e.event}</td><td>${e.dueAt ?? ''}</td><td>${e.detail}</td></tr>`,
  );
  const eventTable = events.length ? html`<table><thead><tr><th>At</th><th>Target</th><th>Event</th><th>Due</th><th>Detail</th></tr></thead><tbody>${events}</tbody></table>` : html``;
  return html`<h2>SLA</h2><table><tbody>${targets}</tbody></table>${paused}${eventTable}`;
}

export function dueCell(summary: SlaSummary | undefined, slaDueAt: string): Html {
  const due = dueColumn(summary, slaDueAt);
  return html`<td>${due.text}${due.breached ? html` <strong class="breached">breached</strong>` : ''}</td>`;
}
