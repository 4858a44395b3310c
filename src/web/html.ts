// HTML for the admin page: every value from outside goes through esc(); pages are plain server-rendered
// forms (no script), each POST carrying the session's CSRF token.
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A tagged template whose interpolations are escaped unless they are already Html. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  values.forEach((value, i) => {
    const rendered = Array.isArray(value) ? value.map((v) => (v instanceof Html ? v.text : esc(v))).join('') : value instanceof Html ? value.text : esc(value);
    out += rendered + strings[i + 1];
  });
  return new Html(out);
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;color:#222}header{background:#1d3557;color:#fff;padding:.6em 1em}
header a{color:#fff;margin-right:1.2em;text-decoration:none}main{padding:1em 1.5em}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.4em;text-align:left;vertical-align:top}pre{white-space:pre-wrap;background:#f6f6f6;padding:.6em;max-height:12em;overflow:auto}
form.inline{display:inline}button{margin:.1em}.msg{background:#e9f5e9;padding:.5em}.err{background:#fde8e8;padding:.5em}textarea{width:100%}
.breached{background:#fde8e8;color:#9b1c1c;font-weight:bold}`;

export function layout(title: string, body: Html, nav = true): string {
  const links = nav
    ? html`<a href="/admin/quarantine">Email Quarantine</a><a href="/admin/allowlist">Allowlist</a><a href="/admin/routing-rules">Routing rules</a><a href="/admin/parsing-rules">Parsing rules</a><a href="/admin/incidents">Incidents</a><form class="inline" method="post" action="/logout"><button>Log out</button></form>`
    : html``;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body><header><strong>email-to-ticket</strong> &nbsp; ${links}</header><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
}

/** A POST form carrying the CSRF token. */
export function postForm(action: string, csrf: string, inner: Html, inline = true): Html {
  return html`<form ${new Html(inline ? 'class="inline" ' : '')}method="post" action="${action}"><input type="hidden" name="csrf" value="${csrf}">${inner}</form>`;
}
