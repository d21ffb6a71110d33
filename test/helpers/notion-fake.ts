/**
 * A local fake of the Notion API (version 2025-09-03) over HTTP: databases holding one data source each, the data
 * source's columns, pages with properties, filtered and paginated queries. It checks what Notion checks for these
 * calls (bearer token, Notion-Version header, columns that exist and have the type written, text lengths) and
 * answers with Notion's error shape and texts. `rateLimit(n)` makes the next n requests answer 429.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

interface Column { id: string; name: string; type: string }
interface Page { id: string; dataSource: string; properties: Record<string, unknown> }

export interface NotionFake {
  readonly url: string;
  readonly requests: { method: string; path: string; status: number }[];
  /** A database named `title` with one data source and the given columns (name → type); returns the database id. */
  addDatabase(title: string, columns: Record<string, string>): string;
  pages(databaseId: string): Page[];
  columns(databaseId: string): Record<string, string>;
  rateLimit(count: number): void;
  close(): Promise<void>;
}

const error = (status: number, code: string, message: string) => ({ status, body: { object: 'error', status, code, message } });

export async function startNotionFake(token: string): Promise<NotionFake> {
  const databases = new Map<string, { title: string; dataSource: string }>();
  const sources = new Map<string, { columns: Map<string, Column>; database: string }>();
  const pages = new Map<string, Page>();
  const requests: NotionFake['requests'] = [];
  let limited = 0;

  const plain = (items: unknown): { type: string; text: { content: string }; plain_text: string }[] =>
    (Array.isArray(items) ? items : []).map((t) => {
      const content = String((t as { text?: { content?: unknown } }).text?.content ?? '');
      return { type: 'text', text: { content }, plain_text: content };
    });

  /** Validates a page's properties against the data source's columns; returns them in Notion's response shape. */
  const checkProperties = (sourceId: string, props: Record<string, Record<string, unknown>>, requireTitle: boolean) => {
    const columns = sources.get(sourceId)!.columns;
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(props)) {
      const column = columns.get(name);
      if (!column) return error(400, 'validation_error', `${name} is not a property that exists.`);
      const given = Object.keys(value).find((k) => k !== 'type');
      if (given !== column.type) return error(400, 'validation_error', `${name} is expected to be ${column.type}.`);
      if (column.type === 'rich_text' || column.type === 'title') {
        const items = plain(value[given]);
        if (items.some((t) => t.text.content.length > 2000)) {
          return error(400, 'validation_error', `body failed validation: body.properties.${name}.${given}[0].text.content.length should be ≤ \`2000\`.`);
        }
        out[name] = { id: column.id, type: column.type, [column.type]: items };
      } else if (column.type === 'number') {
        const n = value.number;
        if (n !== null && (typeof n !== 'number' || !Number.isFinite(n))) return error(400, 'validation_error', `body failed validation: body.properties.${name}.number should be a number or \`null\`.`);
        out[name] = { id: column.id, type: 'number', number: n };
      } else out[name] = { id: column.id, type: column.type, [column.type]: value[given] };
    }
    if (requireTitle && ![...columns.values()].some((c) => c.type === 'title' && out[c.name] !== undefined)) {
      return error(400, 'validation_error', 'body failed validation: a title property is required.');
    }
    return { status: 200, body: out };
  };

  const route = (method: string, path: string, body: any): { status: number; body: unknown } => {
    let m: RegExpExecArray | null;
    if (method === 'GET' && (m = /^\/v1\/databases\/([^/]+)$/.exec(path))) {
      const db = databases.get(m[1]);
      if (!db) return error(404, 'object_not_found', `Could not find database with ID: ${m[1]}. Make sure the relevant pages and databases are shared with your integration.`);
      return { status: 200, body: { object: 'database', id: m[1], title: plain([{ text: { content: db.title } }]), data_sources: [{ id: db.dataSource, name: db.title }] } };
    }
    if ((m = /^\/v1\/data_sources\/([^/]+)(\/query)?$/.exec(path))) {
      const source = sources.get(m[1]);
      if (!source) return error(404, 'object_not_found', `Could not find data_source with ID: ${m[1]}. Make sure the relevant pages and databases are shared with your integration.`);
      if (method === 'PATCH' && !m[2]) {
        for (const [name, spec] of Object.entries((body?.properties ?? {}) as Record<string, Record<string, unknown>>)) {
          const type = Object.keys(spec)[0];
          if (!source.columns.has(name)) source.columns.set(name, { id: randomUUID().slice(0, 4), name, type });
        }
      }
      if ((method === 'GET' || method === 'PATCH') && !m[2]) {
        return { status: 200, body: { object: 'data_source', id: m[1], properties: Object.fromEntries([...source.columns].map(([n, c]) => [n, { id: c.id, name: n, type: c.type, [c.type]: {} }])) } };
      }
      if (method === 'POST' && m[2]) {
        const size = Math.min(Number(body?.page_size ?? 100), 100);
        let list = [...pages.values()].filter((p) => p.dataSource === m![1]);
        const filter = body?.filter as { property?: string; rich_text?: { is_not_empty?: boolean; equals?: string } } | undefined;
        if (filter?.property) {
          if (!source.columns.has(filter.property)) return error(400, 'validation_error', `Could not find property with name or id: ${filter.property}`);
          const textOf = (p: Page) => ((p.properties[filter.property!] as { rich_text?: { plain_text: string }[] } | undefined)?.rich_text ?? []).map((t) => t.plain_text).join('');
          if (filter.rich_text?.is_not_empty) list = list.filter((p) => textOf(p) !== '');
          if (filter.rich_text?.equals !== undefined) list = list.filter((p) => textOf(p) === filter.rich_text!.equals);
        }
        const start = body?.start_cursor ? list.findIndex((p) => p.id === body.start_cursor) : 0;
        const slice = list.slice(start, start + size);
        const next = list[start + size];
        return { status: 200, body: { object: 'list', results: slice.map((p) => ({ object: 'page', id: p.id, properties: p.properties })), has_more: next !== undefined, next_cursor: next?.id ?? null, type: 'page_or_data_source', page_or_data_source: {} } };
      }
    }
    if (method === 'POST' && path === '/v1/pages') {
      const sourceId = body?.parent?.data_source_id as string | undefined;
      if (!sourceId || !sources.has(sourceId)) return error(404, 'object_not_found', `Could not find data_source with ID: ${sourceId}.`);
      const checked = checkProperties(sourceId, body.properties ?? {}, true);
      if (checked.status !== 200) return checked;
      const page: Page = { id: randomUUID(), dataSource: sourceId, properties: checked.body as Record<string, unknown> };
      pages.set(page.id, page);
      return { status: 200, body: { object: 'page', id: page.id, properties: page.properties } };
    }
    if (method === 'PATCH' && (m = /^\/v1\/pages\/([^/]+)$/.exec(path))) {
      const page = pages.get(m[1]);
      if (!page) return error(404, 'object_not_found', `Could not find page with ID: ${m[1]}. Make sure the relevant pages and databases are shared with your integration.`);
      const checked = checkProperties(page.dataSource, body?.properties ?? {}, false);
      if (checked.status !== 200) return checked;
      page.properties = { ...page.properties, ...(checked.body as Record<string, unknown>) };
      return { status: 200, body: { object: 'page', id: page.id, properties: page.properties } };
    }
    return error(400, 'invalid_request_url', 'Invalid request URL.');
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const method = req.method ?? 'GET';
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        requests.push({ method, path, status });
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return reply(401, error(401, 'unauthorized', 'API token is invalid.').body);
      if (!req.headers['notion-version']) {
        return reply(400, error(400, 'missing_version', 'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.').body);
      }
      if (limited > 0) {
        limited--;
        return reply(429, error(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.').body, { 'retry-after': '0' });
      }
      let body: unknown;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        return reply(400, error(400, 'invalid_json', 'Error parsing JSON body.').body);
      }
      const answer = route(method, path, body);
      reply(answer.status, answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    addDatabase(title, columns) {
      const id = randomUUID();
      const dataSource = randomUUID();
      databases.set(id, { title, dataSource });
      sources.set(dataSource, { database: id, columns: new Map(Object.entries(columns).map(([name, type]) => [name, { id: randomUUID().slice(0, 4), name, type }])) });
      return id;
    },
    pages: (databaseId) => [...pages.values()].filter((p) => p.dataSource === databases.get(databaseId)?.dataSource),
    columns: (databaseId) => Object.fromEntries([...sources.get(databases.get(databaseId)!.dataSource)!.columns].map(([n, c]) => [n, c.type])),
    rateLimit(count) {
      limited = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
