// Routing rules and parsing rules: ordered items of a DynamoDB table, each edited as JSON and validated
// by the same parser the worker uses before it is saved. Listed in the order the worker applies them.
// "Create" never replaces a rule: a new rule whose ruleId is taken is refused, and so is an edit that
// renames a rule to a taken ruleId.
import { deleteRule, putRule, scanRuleTable } from '../../aws/rule-tables';
import { html, layout, postForm } from '../html';
import { flash, redirect, Route, sendHtml, WebDeps } from '../server';

export interface RuleKind {
  /** URL segment: routing-rules or parsing-rules. */
  slug: string;
  title: string;
  help: string;
  table: (deps: WebDeps) => string;
  /** The worker's own validation: a rule the worker would skip is refused here. */
  validate: (item: Record<string, unknown>) => { error: string } | object;
  example: Record<string, unknown>;
  /** Attributes shown as columns of the list besides position and ruleId (e.g. escalationAddress), '-' when unset. */
  columns?: { title: string; attribute: string }[];
}

export function ruleRoutes(kind: RuleKind): Route[] {
  const base = `/admin/${kind.slug}`;
  const back = (res: Parameters<typeof redirect>[0], key: 'msg' | 'err', text: string) => redirect(res, `${base}?${key}=${encodeURIComponent(text)}`);
  return [
    {
      method: 'GET',
      path: base,
      access: 'admin',
      handler: async ({ res, url, session, deps }) => {
        const rules = await scanRuleTable(deps.aws, kind.table(deps));
        // `editing` names the rule a form edits; the new-rule form names none.
        const editor = (item: Record<string, unknown>, label: string, editing: string) =>
          postForm(
            `${base}/save`,
            session!.csrf,
            html`<input type="hidden" name="editing" value="${editing}"><textarea name="rule" rows="8">${JSON.stringify(item, null, 2)}</textarea><button>${label}</button>`,
            false,
          );
        const columns = kind.columns ?? [];
        const rows = rules.map(
          (r) => html`<tr><td>${r.position}</td><td>${r.ruleId}</td>${columns.map((c) => html`<td>${r[c.attribute] ?? '-'}</td>`)}<td>${editor(r, 'Save', String(r.ruleId))}
${postForm(`${base}/delete`, session!.csrf, html`<input type="hidden" name="ruleId" value="${r.ruleId}"><button>Delete</button>`)}</td></tr>`,
        );
        sendHtml(
          res,
          200,
          layout(
            kind.title,
            html`${flash(url)}<p>${kind.help}</p><table><thead><tr><th>Position</th><th>Rule</th>${columns.map((c) => html`<th>${c.title}</th>`)}<th></th></tr></thead><tbody>${rows}</tbody></table>
<h2>New rule</h2>${editor(kind.example, 'Create', '')}`,
          ),
        );
      },
    },
    {
      method: 'POST',
      path: `${base}/save`,
      access: 'admin',
      handler: async ({ res, body, deps }) => {
        let item: Record<string, unknown>;
        try {
          item = JSON.parse(String(body.rule ?? '')) as Record<string, unknown>;
        } catch {
          return back(res, 'err', 'The rule is not valid JSON');
        }
        const checked = kind.validate(item);
        if ('error' in checked) return back(res, 'err', checked.error);
        const ruleId = String(item.ruleId);
        // Saving the rule a form shows may replace it; anything else (a new rule, a renamed one) may not replace another.
        const onlyIfNew = String(body.editing ?? '') !== ruleId;
        if (!(await putRule(deps.aws, kind.table(deps), item, { onlyIfNew }))) {
          return back(res, 'err', `A rule ${ruleId} exists already: choose another ruleId, or edit that rule in the list`);
        }
        back(res, 'msg', `saved ${ruleId}; workers pick it up within 30 s`);
      },
    },
    {
      method: 'POST',
      path: `${base}/delete`,
      access: 'admin',
      handler: async ({ res, body, deps }) => {
        const ruleId = String(body.ruleId ?? '');
        if (!ruleId) return back(res, 'err', 'Which rule? ruleId is missing');
        if (!(await deleteRule(deps.aws, kind.table(deps), ruleId))) return back(res, 'err', `There is no rule ${ruleId}`);
        back(res, 'msg', `deleted ${ruleId}`);
      },
    },
  ];
}
