// A readable page for /api/v1/docs, rendered on the server from the OpenAPI document: no scripts,
// nothing fetched from anywhere. Operations grouped by tag, then every schema.

type Json = Record<string, unknown>;

const esc = (text: unknown) =>
  String(text ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");

/** Inline `code` spans in descriptions. */
const prose = (text: unknown) => esc(text).replace(/`([^`]+)`/g, "<code>$1</code>");

const METHODS = ["get", "put", "post", "delete", "patch"] as const;

function refName(ref: string): string {
  return ref.split("/").pop() ?? ref;
}

/** A short type name: "string (date-time)", "Order", "array of Shipment", "one of: a | b". */
function typeOf(schema: Json | undefined): string {
  if (!schema) return "any";
  if (typeof schema.$ref === "string") {
    const name = refName(schema.$ref);
    return `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
  }
  const variants = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (variants) return variants.map(typeOf).join(" or ");
  if (Array.isArray(schema.enum))
    return `one of ${schema.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(", ")}`;
  if ("const" in schema) return `<code>${esc(JSON.stringify(schema.const))}</code>`;
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [String(schema.type ?? "object")];
  return types
    .map((t) => {
      if (t === "array") return `array of ${typeOf(schema.items as Json | undefined)}`;
      return schema.format ? `${esc(t)} (${esc(schema.format)})` : esc(t);
    })
    .join(" or ");
}

function renderSchema(schema: Json | undefined, depth = 0): string {
  if (!schema) return "";
  const props = schema.properties as Record<string, Json> | undefined;
  const items = schema.items as Json | undefined;
  if (!props) {
    if (items?.properties && depth < 4) return `<p>array of:</p>${renderSchema(items, depth + 1)}`;
    return `<p>${typeOf(schema)}</p>`;
  }
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const rows = Object.entries(props)
    .map(([name, p]) => {
      const nested =
        (p.properties || (p.items as Json | undefined)?.properties) && depth < 4
          ? renderSchema(p, depth + 1)
          : "";
      const type = p.properties ? "object" : typeOf(p);
      return `<tr><td><code>${esc(name)}</code>${required.has(name) ? "" : " <small>optional</small>"}</td><td>${type}</td><td>${prose(p.description)}${nested}</td></tr>`;
    })
    .join("");
  return `<table><thead><tr><th>field</th><th>type</th><th>notes</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function renderContent(content: Json | undefined): string {
  if (!content) return "";
  return Object.entries(content as Record<string, Json>)
    .map(
      ([media, body]) => `<p class="media">${esc(media)}</p>${renderSchema(body.schema as Json | undefined)}`,
    )
    .join("");
}

function renderOperation(path: string, method: string, op: Json): string {
  const id = `op-${method}-${path.replace(/[^a-z0-9]+/gi, "-")}`;
  const params = (op.parameters as Json[] | undefined) ?? [];
  const paramRows = params
    .map(
      (p) =>
        `<tr><td><code>${esc(p.name)}</code>${p.required ? "" : " <small>optional</small>"}</td><td>${esc(p.in)}</td><td>${typeOf(p.schema as Json)}</td><td>${prose(p.description ?? (p.schema as Json | undefined)?.description)}</td></tr>`,
    )
    .join("");
  const body = op.requestBody as Json | undefined;
  const responses = Object.entries((op.responses as Record<string, Json>) ?? {})
    .map(
      ([status, r]) =>
        `<details><summary><b>${esc(status)}</b> ${prose(r.description)}</summary>${renderContent(r.content as Json)}</details>`,
    )
    .join("");
  return `<section class="op" id="${id}">
<h3><span class="m m-${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>
<p><b>${prose(op.summary)}</b></p>${op.description ? `<p>${prose(op.description)}</p>` : ""}
${paramRows ? `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>type</th><th>notes</th></tr></thead><tbody>${paramRows}</tbody></table>` : ""}
${body ? `<h4>Request body</h4>${renderContent(body.content as Json)}` : ""}
<h4>Responses</h4>${responses}</section>`;
}

export function renderDocsPage(document: object): string {
  const doc = document as Json;
  const info = (doc.info ?? {}) as Json;
  const base = ((doc.servers as Json[] | undefined)?.[0]?.url as string | undefined) ?? "";
  const byTag = new Map<string, string[]>();
  const toc = new Map<string, string[]>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const tag = ((op.tags as string[] | undefined) ?? ["Other"])[0] ?? "Other";
      const full = base + path;
      byTag.set(tag, [...(byTag.get(tag) ?? []), renderOperation(full, method, op)]);
      const id = `op-${method}-${full.replace(/[^a-z0-9]+/gi, "-")}`;
      toc.set(tag, [
        ...(toc.get(tag) ?? []),
        `<li><a href="#${id}"><span class="m m-${method}">${method.toUpperCase()}</span> ${esc(full)}</a></li>`,
      ]);
    }
  }
  const schemas = ((doc.components as Json | undefined)?.schemas ?? {}) as Record<string, Json>;
  const schemaHtml = Object.entries(schemas)
    .map(
      ([name, s]) =>
        `<section id="schema-${esc(name)}"><h3>${esc(name)}</h3>${s.description ? `<p>${prose(s.description)}</p>` : ""}${renderSchema(s)}</section>`,
    )
    .join("");
  const tocHtml = [...toc].map(([tag, items]) => `<h4>${esc(tag)}</h4><ul>${items.join("")}</ul>`).join("");
  const opsHtml = [...byTag].map(([tag, ops]) => `<h2>${esc(tag)}</h2>${ops.join("")}`).join("");
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title)} ${esc(info.version)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;display:grid;grid-template-columns:280px 1fr}
nav{position:sticky;top:0;height:100vh;overflow:auto;padding:1rem;background:#f4f6f8;border-right:1px solid #dde}
nav ul{list-style:none;padding:0;margin:0 0 1rem}nav a{text-decoration:none;color:inherit;font-size:13px}
main{padding:1.5rem 2rem;max-width:60rem}code{font:13px ui-monospace,monospace;background:#eef1f4;padding:0 .25em;border-radius:3px}
table{border-collapse:collapse;width:100%;margin:.5rem 0}td,th{border:1px solid #dde;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f4f6f8}.op{border-top:1px solid #dde;padding-top:.5rem}.media{color:#555;font-size:13px;margin:.3rem 0}
.m{font:bold 11px ui-monospace,monospace;padding:.1em .4em;border-radius:3px;color:#fff;background:#555}
.m-get{background:#1f6feb}.m-post{background:#1a7f37}.m-put{background:#9a6700}.m-delete{background:#cf222e}
small{color:#777}details{margin:.25rem 0}summary{cursor:pointer}
</style></head><body>
<nav><b>${esc(info.title)}</b> <small>${esc(info.version)}</small>${tocHtml}<h4><a href="#schemas">Schemas</a></h4><p><a href="${esc(base)}/openapi.json">openapi.json</a></p></nav>
<main><h1>${esc(info.title)}</h1><p>${prose(info.description)}</p>
<p>Base path <code>${esc(base)}</code>. Authenticate with <code>Authorization: Bearer &lt;API key&gt;</code>.</p>
${opsHtml}<h2 id="schemas">Schemas</h2>${schemaHtml}</main></body></html>`;
}
