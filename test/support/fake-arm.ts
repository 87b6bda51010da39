/**
 * A fake Azure Resource Manager on https://127.0.0.1 for collection tests: it serves list calls
 * (subscription- and resource-group-wide, and children such as network groups), the subscriptions
 * list and Resource Graph queries from one flat set of REST-shaped resources, in pages with
 * `nextLink` / `$skipToken`, and injects faults (429 with Retry-After, 500, 403, 401) on request.
 * The TLS certificate is made at test time with openssl; clients trust it through --ca-file.
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';

export type Json = Record<string, unknown>;

export interface Certificate {
  dir: string;
  keyFile: string;
  certFile: string;
}

/** A self-signed certificate for 127.0.0.1, in a fresh temp directory. */
export function makeCertificate(): Certificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aciseg-fake-arm-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { dir, keyFile, certFile };
}

export interface Fault {
  /** Which requests it applies to (method and path without query). */
  match(method: string, pathname: string, body: Json | null): boolean;
  /** How many matching requests it answers (Infinity = all). */
  times: number;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  body: Json | null;
}

export interface FakeArmOptions {
  token: string;
  /** Items per ARM list page (default 2), and whether a list starts with an empty page. */
  pageSize?: number;
  emptyFirstPage?: boolean;
  /** Rows per Resource Graph page, whatever `$top` asks (default: `$top`). */
  graphPageSize?: number;
  /** Subscriptions the subscriptions list returns (default: those of the resources). */
  subscriptions?: string[];
  /** Delay every answer by this many milliseconds. */
  delayMs?: number;
}

const GRAPH_PATH = '/providers/microsoft.resourcegraph/resources';
/** A top-level resource ID, lower-cased: subscription, resource group, provider/type. */
const TOP_LEVEL = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/([^/]+\/[^/]+)\/[^/]+$/;

export class FakeArm {
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  /** Requests being answered now, and the most at once since the last reset. */
  /** Subscriptions Resource Graph leaves out silently (as it does for those the identity cannot read). */
  readonly invisible = new Set<string>();
  inFlight = 0;
  maxInFlight = 0;
  private server: https.Server | null = null;
  private byParent = new Map<string, Json[]>();
  /** Top-level resources by `sub|type` and `sub|rg|type` (lower-cased), in ID order. */
  private byScope = new Map<string, Json[]>();
  private sorted: Json[] = [];
  private graphCache: { key: string; rows: Json[] } | null = null;
  endpoint = '';

  constructor(
    private readonly cert: Certificate,
    resources: readonly Json[],
    private readonly options: FakeArmOptions,
  ) {
    this.setResources(resources);
  }

  setResources(resources: readonly Json[]): void {
    this.byParent = new Map();
    for (const r of resources) {
      const id = String(r['id']).toLowerCase();
      const parent = id.slice(0, id.lastIndexOf('/'));
      const list = this.byParent.get(parent) ?? [];
      list.push(r);
      this.byParent.set(parent, list);
    }
    this.sorted = [...resources].sort((a, b) =>
      compare(String(a['id']).toLowerCase(), String(b['id']).toLowerCase()),
    );
    this.byScope = new Map();
    this.graphCache = null;
    for (const r of this.sorted) {
      const m = TOP_LEVEL.exec(String(r['id']).toLowerCase());
      if (m === null) continue;
      const [, sub, rg, type] = m;
      for (const key of [`${sub}|${type}`, `${sub}|${rg}|${type}`]) {
        const list = this.byScope.get(key) ?? [];
        list.push(r);
        this.byScope.set(key, list);
      }
    }
  }

  /** Changes what the subscriptions list returns (undefined: the subscriptions of the resources). */
  setSubscriptions(ids: string[] | undefined): void {
    this.options.subscriptions = ids;
  }

  async start(): Promise<string> {
    this.server = https.createServer(
      { key: fs.readFileSync(this.cert.keyFile), cert: fs.readFileSync(this.cert.certFile) },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          this.inFlight++;
          this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
          const answer = (): void => {
            this.inFlight--;
            const { status, headers, body } = this.answer(
              req.method ?? 'GET',
              req.url ?? '/',
              text,
              req.headers.authorization,
            );
            res.writeHead(status, { 'content-type': 'application/json', ...headers });
            res.end(body === undefined ? '' : JSON.stringify(body));
          };
          if (this.options.delayMs) setTimeout(answer, this.options.delayMs);
          else answer();
        });
      },
    );
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as AddressInfo).port;
    this.endpoint = `https://127.0.0.1:${port}`;
    return this.endpoint;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = null;
  }

  /** Requests whose path (lower-cased, without query) contains `part`. */
  requestsTo(part: string): RecordedRequest[] {
    return this.requests.filter((r) => r.url.toLowerCase().split('?')[0]?.includes(part.toLowerCase()));
  }

  private answer(
    method: string,
    rawUrl: string,
    text: string,
    authorization: string | undefined,
  ): { status: number; headers?: Record<string, string>; body?: unknown } {
    const url = new URL(rawUrl, 'https://fake');
    const pathname = decodeURIComponent(url.pathname);
    let body: Json | null = null;
    if (text !== '') body = JSON.parse(text) as Json;
    this.requests.push({ method, url: rawUrl, authorization, body });
    if (authorization !== `Bearer ${this.options.token}`) {
      return {
        status: 401,
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        body: { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } },
      };
    }
    const fault = this.faults.find((f) => f.times > 0 && f.match(method, pathname, body));
    if (fault !== undefined) {
      fault.times--;
      return { status: fault.status, headers: fault.headers, body: fault.body };
    }
    const lower = pathname.toLowerCase().replace(/\/+$/, '');
    if (method === 'POST' && lower === GRAPH_PATH) return this.graph(body ?? {});
    if (method !== 'GET') return notFound(pathname);
    if (lower === '/subscriptions') return this.subscriptionList();
    return this.list(lower, url);
  }

  private subscriptionList(): { status: number; body: unknown } {
    const ids = this.options.subscriptions ?? [
      ...new Set(this.sorted.map((r) => String(r['id']).split('/')[2]?.toLowerCase() ?? '')),
    ];
    return {
      status: 200,
      body: {
        value: ids.map((s) => ({
          id: `/subscriptions/${s}`,
          subscriptionId: s,
          displayName: `sub ${s}`,
          state: 'Enabled',
        })),
      },
    };
  }

  /** A list call: `…/providers/NS/type` over a subscription or resource group, or a child collection. */
  private list(lower: string, url: URL): { status: number; body?: unknown } {
    const wide = /^\/subscriptions\/([^/]+)(?:\/resourcegroups\/([^/]+))?\/providers\/([^/]+\/[^/]+)$/.exec(
      lower,
    );
    let items: Json[];
    if (wide !== null) {
      const [, sub, rg, type] = wide;
      items = this.byScope.get(rg === undefined ? `${sub}|${type}` : `${sub}|${rg}|${type}`) ?? [];
    } else {
      if (!/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\//.test(lower)) return notFound(lower);
      items = this.byParent.get(lower) ?? [];
    }
    const size = this.options.pageSize ?? 2;
    const empty = this.options.emptyFirstPage === true;
    const token = Number(url.searchParams.get('$skiptoken') ?? (empty ? '-1' : '0'));
    const start = Math.max(0, token);
    const page = token < 0 ? [] : items.slice(start, start + size);
    const next = token < 0 ? 0 : start + size;
    const body: Json = { value: page };
    if (next < items.length) {
      const nextUrl = new URL(`${this.endpoint}${url.pathname}`);
      nextUrl.searchParams.set('api-version', url.searchParams.get('api-version') ?? '');
      nextUrl.searchParams.set('$skiptoken', String(next));
      body['nextLink'] = nextUrl.toString();
    }
    return { status: 200, body };
  }

  /** A Resource Graph query: rows of the requested subscriptions and types, `$top` a page, `$skipToken` on. */
  private graph(request: Json): { status: number; body: unknown } {
    const subs = new Set(
      ((request['subscriptions'] as string[] | undefined) ?? []).map((s) => s.toLowerCase()),
    );
    const query = String(request['query'] ?? '');
    if (query.startsWith('resourcecontainers')) {
      const shown = [...subs].filter((s) => !this.invisible.has(s)).sort(compare);
      return this.graphPage(
        request,
        shown.map((s) => ({ id: `/subscriptions/${s}`, subscriptionId: s })),
      );
    }
    const types = [...(/type in~ \(([^)]*)\)/.exec(query)?.[1] ?? '').matchAll(/'([^']*)'/g)].map(
      (m) => m[1],
    );
    const groups = [...(/resourceGroup in~ \(([^)]*)\)/.exec(query)?.[1] ?? '').matchAll(/'([^']*)'/g)].map(
      (m) => (m[1] as string).toLowerCase(),
    );
    // Pages of one query ask for the same rows: compute them once.
    const key = JSON.stringify([[...subs], types, groups]);
    if (this.graphCache?.key !== key) {
      const picked = this.sorted
        .filter((r) => {
          const m = TOP_LEVEL.exec(String(r['id']).toLowerCase());
          return (
            m !== null &&
            subs.has(m[1] as string) &&
            types.includes(m[3] as string) &&
            (groups.length === 0 || groups.includes(m[2] as string))
          );
        })
        .map(graphRow);
      this.graphCache = { key, rows: picked };
    }
    return this.graphPage(request, this.graphCache.rows);
  }

  private graphPage(request: Json, rows: readonly Json[]): { status: number; body: unknown } {
    const options = (request['options'] as Json | undefined) ?? {};
    const top = this.options.graphPageSize ?? Number(options['$top'] ?? 100);
    const start = Number(options['$skipToken'] ?? 0);
    const data = rows.slice(start, start + top);
    const body: Json = { totalRecords: rows.length, count: data.length, resultTruncated: 'false', data };
    if (start + top < rows.length) body['$skipToken'] = String(start + top);
    return { status: 200, body };
  }
}

/** A resource as a Resource Graph row: lower-cased type, resourceGroup and subscriptionId columns. */
export function graphRow(r: Json): Json {
  const parts = String(r['id']).split('/');
  return {
    id: r['id'],
    name: r['name'],
    type: String(r['type']).toLowerCase(),
    location: r['location'] ?? '',
    resourceGroup: (parts[4] ?? '').toLowerCase(),
    subscriptionId: parts[2],
    properties: r['properties'] ?? {},
  };
}

function notFound(pathname: string): { status: number; body: unknown } {
  return { status: 404, body: { error: { code: 'NotFound', message: `no route for ${pathname}` } } };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Matches requests whose path contains `part` (case-insensitive). */
export function pathContains(part: string, method?: string): Fault['match'] {
  return (m, p) => (method === undefined || m === method) && p.toLowerCase().includes(part.toLowerCase());
}
