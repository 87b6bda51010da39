/**
 * Flow-log documents → tuples, one file at a time, fed by the streaming scanner. Accepted layouts:
 * `{ "records": [record…] }` (as Azure writes PT1H.json), a bare record per document (one per line
 * or concatenated), a bare array of records, and `records` nested inside `records` (the Network
 * Watcher documentation's own sample). A record is an NSG flow-log record
 * (`properties.flows[].flows[].flowTuples`, Version 1 or 2) or a VNet flow-log record
 * (`flowRecords.flows[].flowGroups[].flowTuples`, flowLogVersion 4).
 *
 * Tuples are aggregated as they are scanned when what they need is already known: the record's
 * version and identity (time, resource) and the group's rule (Azure writes these first). JSON does
 * not fix key order, so otherwise the record's tuples are kept until it closes; memory is then one
 * record at a time.
 */
import { diagnostic, type Diagnostic, type DiagnosticCode } from '../../diagnostics';
import { FlowAggregator } from './aggregate';
import { JsonScanner, type ScanEvents } from './json-scanner';
import { ParsedTuple, parseTuple, type TupleLayout } from './tuples';

/** What one file held; `tuples` = aggregated + outsideWindow + rejected + unsupported + duplicate + dropped. */
export interface FlowLogFileStats {
  file: string;
  /** Bytes of JSON read (after gunzip). */
  jsonBytes: number;
  records: number;
  /** Every string found in a `flowTuples` array. */
  tuples: number;
  aggregated: number;
  outsideWindow: number;
  /** Malformed tuples (each has a diagnostic, or a count in the file's summary diagnostic). */
  rejected: number;
  /** In records of an unsupported version or shape. */
  unsupported: number;
  /** In records repeated within the file (counted once). */
  duplicate: number;
  /** In a record cut short by a JSON syntax error. */
  dropped: number;
}

/** Every count of `FlowLogFileStats` at zero. */
export function noCounts(): Omit<FlowLogFileStats, 'file'> {
  return {
    jsonBytes: 0,
    records: 0,
    tuples: 0,
    aggregated: 0,
    outsideWindow: 0,
    rejected: 0,
    unsupported: 0,
    duplicate: 0,
    dropped: 0,
  };
}

/** Diagnostics of one code in one file shown one by one; the rest are counted in one summary. */
const SHOWN_PER_CODE = 10;
/** Records remembered per file to recognise repeats (a PT1H.json blob holds about 60). */
const REMEMBERED_RECORDS = 100_000;

// What a container is, from where it sits.
const IGNORED = 0;
const RECORDS = 1;
const RECORD = 2;
const PROPERTIES = 3;
const RULE_LIST = 4;
const RULE = 5;
const MAC_LIST = 6;
const MAC = 7;
const FLOW_RECORDS = 8;
const ACL_LIST = 9;
const ACL = 10;
const GROUP_LIST = 11;
const GROUP = 12;
const TUPLES = 13;
const TOP = 14;

interface Named {
  name: string | null;
}

interface Group {
  /** JSONPath of its `flowTuples` array. */
  path: string;
  rule: Named;
  acl: Named | null;
  /** Its kept tuples in the record's `tuples` (when it could not be aggregated as it was read). */
  start: number;
  end: number;
  /** Set at its first tuple: aggregated as read (a context id per layout) or kept. */
  direct: boolean | null;
  contexts: number[];
}

// How a record's tuples are handled, decided at its first tuple.
const UNDECIDED = 0;
const DIRECT = 1; // aggregated as read (groups whose rule is not known yet are kept)
const KEPT = 2; // kept until the record closes
const DUPLICATE = 3;
const UNSUPPORTED = 4;

interface RecordState {
  path: string;
  line: number;
  wrapper: boolean;
  nsg: boolean;
  vnet: boolean;
  time: string | null;
  category: string | null;
  resourceId: string | null;
  flowLogResourceId: string | null;
  macAddress: string | null;
  nsgVersion: unknown;
  flowLogVersion: unknown;
  groups: Group[];
  mode: number;
  layout: TupleLayout | null;
  identity: string | null;
  /** Tuples met in this record, and the first (part of its identity, with its time and resource). */
  count: number;
  firstTuple: string | null;
  tuples: string[];
  /** Per kept tuple: its index in its array, line and column. */
  where: number[];
}

/** Reads the flow-log documents of one file into an aggregator. */
export class FlowLogFileReader implements ScanEvents {
  readonly stats: FlowLogFileStats;
  private readonly scanner = new JsonScanner(this);
  private readonly roles: number[] = [];
  private pendingKey: string | null = null;
  private readonly records: RecordState[] = [];
  private group: Group | null = null;
  private rule: Named | null = null;
  private acl: Named | null = null;
  private readonly seen = new Set<string>();
  private readonly counts = new Map<DiagnosticCode, number>();
  private readonly parsed = new ParsedTuple();
  private lenientReported = false;

  constructor(
    readonly file: string,
    private readonly aggregator: FlowAggregator,
    private readonly diagnostics: Diagnostic[],
  ) {
    this.stats = { file, ...noCounts() };
  }

  write(chunk: Buffer): void {
    this.scanner.write(chunk);
  }

  /** The file ended (`error`: it could not be read to the end, e.g. a corrupt gzip stream). */
  end(error?: string): void {
    if (error === undefined) this.scanner.end();
    else {
      const { line, column } = this.scanner.position();
      this.report(
        'FLOW_LOG_MALFORMED',
        `${error} after ${this.scanner.offset} bytes of JSON (line ${line}, column ${column})${this.dropOpenRecords()}`,
        this.scanner.path(),
      );
    }
    this.stats.jsonBytes = this.scanner.offset;
    for (const [code, count] of this.counts) {
      if (count > SHOWN_PER_CODE) {
        this.diagnostics.push(
          diagnostic(code, `${count - SHOWN_PER_CODE} more like the above in this file`, this.file),
        );
      }
    }
  }

  private report(code: DiagnosticCode, message: string, path: string | null): void {
    const count = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, count);
    if (count <= SHOWN_PER_CODE) this.diagnostics.push(diagnostic(code, message, this.file, path));
  }

  private at(): string {
    const { line, column } = this.scanner.position();
    return `line ${line}, column ${column}`;
  }

  // ---- scanner events ----

  openObject(): void {
    this.open(true);
  }

  openArray(): void {
    this.open(false);
  }

  private open(object: boolean): void {
    const parent = this.roles.length === 0 ? TOP : this.roles[this.roles.length - 1]!;
    const key = this.pendingKey;
    this.pendingKey = null;
    const role = childRole(parent, key, object);
    if (role === IGNORED && expectsContainer(parent, key)) {
      this.report('FLOW_LOG_MALFORMED', `${this.at()}: ${expectation(parent, key)}`, this.scanner.path());
    }
    this.roles.push(role);
    if (role === RECORD) this.beginRecord();
    const record = this.records[this.records.length - 1];
    if (record === undefined) return;
    if (role === RECORDS && parent === RECORD) record.wrapper = true;
    else if (role === RULE_LIST) record.nsg = true;
    else if (role === ACL_LIST) record.vnet = true;
    else if (role === RULE) this.rule = { name: null };
    else if (role === ACL) this.acl = { name: null };
    else if (role === MAC || role === GROUP) {
      const group: Group = {
        path: '',
        rule: role === MAC ? (this.rule ?? { name: null }) : { name: null },
        acl: role === GROUP ? this.acl : null,
        start: record.tuples.length,
        end: record.tuples.length,
        direct: null,
        contexts: [],
      };
      record.groups.push(group);
      this.group = group;
    } else if (role === TUPLES && this.group !== null) {
      this.group.path = this.scanner.path();
      this.group.start = record.tuples.length;
    }
  }

  closeContainer(): void {
    const role = this.roles.pop();
    if (role === TUPLES && this.group !== null) this.group.end = this.records.at(-1)?.tuples.length ?? 0;
    else if (role === RECORD) this.endRecord(this.records.pop()!);
  }

  key(name: string): void {
    this.pendingKey = name.toLowerCase();
  }

  string(buf: Buffer, start: number, end: number, escaped: boolean): void {
    const role = this.roles.length === 0 ? TOP : this.roles[this.roles.length - 1]!;
    if (role === TUPLES) {
      this.tuple(buf, start, end, escaped);
      return;
    }
    const key = this.pendingKey;
    this.pendingKey = null;
    if (role === IGNORED) return;
    this.value(role, key, this.decode(buf, start, end));
  }

  private tuple(buf: Buffer, start: number, end: number, escaped: boolean): void {
    const record = this.records[this.records.length - 1]!;
    const group = this.group!;
    this.stats.tuples++;
    if (record.count++ === 0) record.firstTuple = buf.toString('latin1', start, end);
    if (record.mode === UNDECIDED) this.decide(record);
    if (record.mode === DUPLICATE || record.mode === UNSUPPORTED) return;
    if (group.direct === null) {
      group.direct =
        record.mode === DIRECT && group.rule.name !== null && (!record.vnet || group.acl?.name != null);
    }
    if (group.direct && !escaped) {
      const problem = this.aggregate(record, group, buf, start, end);
      if (problem !== null) {
        this.rejected(buf.toString('latin1', start, end), problem, this.at(), this.scanner.path());
      }
      return;
    }
    const { line, column } = this.scanner.position();
    record.tuples.push(escaped ? this.decode(buf, start, end) : buf.toString('latin1', start, end));
    record.where.push(this.scanner.arrayIndex(), line, column);
    group.end = record.tuples.length;
  }

  /** At a record's first tuple: aggregate as read when its version and identity are known. */
  private decide(r: RecordState): void {
    const versionSeen = r.vnet ? r.flowLogVersion !== undefined : r.nsgVersion !== undefined;
    if (
      !versionSeen ||
      r.time === null ||
      r.category === null ||
      (r.resourceId ?? r.flowLogResourceId) === null
    ) {
      r.mode = KEPT;
      return;
    }
    r.mode = this.classify(r);
  }

  /** Duplicate, unsupported, or to aggregate (remembering its identity). */
  private classify(r: RecordState): number {
    const version = String(r.vnet ? r.flowLogVersion : r.nsgVersion);
    r.identity = `${r.category}\n${r.resourceId ?? r.flowLogResourceId}\n${r.macAddress}\n${r.time}\n${version}\n${r.firstTuple}`;
    if (r.time !== null && r.count > 0 && this.seen.has(r.identity)) return DUPLICATE;
    if (r.time !== null && this.seen.size < REMEMBERED_RECORDS) this.seen.add(r.identity);
    r.layout = r.vnet ? vnetLayout(r.flowLogVersion) : nsgLayout(r.nsgVersion);
    return r.layout === null ? UNSUPPORTED : DIRECT;
  }

  /** Parses and aggregates one tuple; returns why it is malformed, or null. */
  private aggregate(r: RecordState, g: Group, buf: Buffer, start: number, end: number): string | null {
    const p = this.parsed;
    const problem = parseTuple(buf, start, end, r.layout!, p);
    if (problem !== null) return problem;
    if (!this.aggregator.inWindow(p.time)) {
      this.stats.outsideWindow++;
      return null;
    }
    let contextId = g.contexts[p.layout];
    if (contextId === undefined) {
      contextId = this.aggregator.contextId({
        log: p.layout === 4 ? 'vnet-v4' : p.layout === 2 ? 'nsg-v2' : 'nsg-v1',
        evaluatedBy: r.vnet ? (g.acl?.name ?? null) : r.resourceId,
        rule: g.rule.name,
      });
      g.contexts[p.layout] = contextId;
    }
    this.aggregator.add(contextId, buf, p);
    this.stats.aggregated++;
    return null;
  }

  private rejected(t: string, problem: string, at: string, path: string): void {
    this.stats.rejected++;
    this.report(
      'FLOW_LOG_MALFORMED',
      `${at}: flow tuple ${JSON.stringify(t.length > 120 ? `${t.slice(0, 120)}…` : t)} is malformed: ${problem}`,
      path,
    );
  }

  scalar(value: number | boolean | null): void {
    const role = this.roles.length === 0 ? TOP : this.roles[this.roles.length - 1]!;
    const key = this.pendingKey;
    this.pendingKey = null;
    if (role === IGNORED) return;
    this.value(role, key, value);
  }

  private value(role: number, key: string | null, value: string | number | boolean | null): void {
    if (role === TUPLES) {
      this.report('FLOW_LOG_MALFORMED', `${this.at()}: a flow tuple must be a string`, this.scanner.path());
      return;
    }
    if (role === TOP || role === RECORDS) {
      this.report(
        'FLOW_LOG_MALFORMED',
        `${this.at()}: expected a flow-log record (an object), found ${value === null ? 'null' : typeof value}`,
        this.scanner.path(),
      );
      return;
    }
    const record = this.records[this.records.length - 1];
    if (record === undefined) return;
    const text = typeof value === 'string' ? value : null;
    if (role === RECORD) {
      if (key === 'time') record.time = text;
      else if (key === 'category') record.category = text;
      else if (key === 'resourceid') record.resourceId = text;
      else if (key === 'flowlogresourceid') record.flowLogResourceId = text;
      else if (key === 'macaddress') record.macAddress = text;
      else if (key === 'flowlogversion') record.flowLogVersion = value;
    } else if (role === PROPERTIES && key === 'version') record.nsgVersion = value;
    else if (key === 'rule' && (role === RULE || role === GROUP)) {
      const holder = role === RULE ? this.rule : this.group?.rule;
      if (holder) holder.name = text;
    } else if (key === 'aclid' && role === ACL && this.acl) this.acl.name = text;
    else if (expectsContainer(role, key)) {
      this.report('FLOW_LOG_MALFORMED', `${this.at()}: ${expectation(role, key)}`, this.scanner.path());
    }
  }

  lenient(message: string): void {
    if (this.lenientReported) return;
    this.lenientReported = true;
    this.diagnostics.push(
      diagnostic(
        'FLOW_LOG_LENIENT_JSON',
        `${this.at()}: not strict JSON (${message}); read as if the comma were absent (reported once per file)`,
        this.file,
        this.scanner.path(),
      ),
    );
  }

  syntaxError(message: string): void {
    this.report(
      'FLOW_LOG_MALFORMED',
      `${this.at()}: invalid JSON: ${message}${this.dropOpenRecords()}; reading resumes at the next line that starts with '{', if any`,
      this.scanner.path(),
    );
  }

  reset(): void {
    this.roles.length = 0;
    this.records.length = 0;
    this.pendingKey = null;
    this.group = null;
  }

  /** Forgets the records still open (their tuples not yet counted are dropped); says so for the message. */
  private dropOpenRecords(): string {
    let tuples = 0;
    for (const r of this.records)
      tuples += r.mode === DUPLICATE || r.mode === UNSUPPORTED ? r.count : r.tuples.length;
    const where =
      this.records.length > 0 ? ` of the record at ${this.records[this.records.length - 1]!.path}` : '';
    this.stats.dropped += tuples;
    this.reset();
    return tuples > 0 ? `; ${tuples} tuple(s)${where} read so far are not counted` : '';
  }

  // ---- records ----

  private beginRecord(): void {
    this.records.push({
      path: this.scanner.path(),
      line: this.scanner.position().line,
      wrapper: false,
      nsg: false,
      vnet: false,
      time: null,
      category: null,
      resourceId: null,
      flowLogResourceId: null,
      macAddress: null,
      nsgVersion: undefined,
      flowLogVersion: undefined,
      groups: [],
      mode: UNDECIDED,
      layout: null,
      identity: null,
      count: 0,
      firstTuple: null,
      tuples: [],
      where: [],
    });
  }

  private endRecord(r: RecordState): void {
    this.group = null;
    if (!r.nsg && !r.vnet) {
      if (!r.wrapper) {
        this.report(
          'UNRECOGNISED_SHAPE',
          `the record at line ${r.line}${r.category ? ` (category ${JSON.stringify(r.category)})` : ''} is not a flow-log record: expected properties.flows (NSG flow logs) or flowRecords.flows (VNet flow logs)`,
          r.path,
        );
      }
      return;
    }
    this.stats.records++;
    if (r.mode === UNDECIDED || r.mode === KEPT) r.mode = this.classify(r);
    const n = r.count;
    if (r.mode === DUPLICATE) {
      this.stats.duplicate += n;
      this.report(
        'FLOW_LOG_DUPLICATE_RECORD',
        `the record at line ${r.line} repeats an earlier record of this file (same resource, MAC address, time ${r.time} and first tuple); its ${n} tuple(s) are counted once`,
        r.path,
      );
      return;
    }
    if (r.mode === UNSUPPORTED) {
      this.stats.unsupported += n;
      const [field, version] = r.vnet
        ? ['flowLogVersion', r.flowLogVersion]
        : ['properties.Version', r.nsgVersion];
      this.report(
        'FLOW_LOG_UNSUPPORTED_VERSION',
        `${r.vnet ? 'VNet' : 'NSG'} flow-log record at line ${r.line} has ${field} ${JSON.stringify(version)}; aciseg reads ${r.vnet ? 'VNet flow logs version 4' : 'NSG flow logs versions 1 and 2'}, so its ${n} tuple(s) are not counted`,
        `${r.path}.${field}`,
      );
      return;
    }
    // The tuples kept: of a record decided only now, or of groups whose rule came after them.
    for (const g of r.groups) {
      for (let i = g.start; i < g.end; i++) {
        const t = r.tuples[i]!;
        const bytes = Buffer.from(t, 'latin1');
        const problem = this.aggregate(r, g, bytes, 0, bytes.length);
        if (problem !== null) {
          this.rejected(
            t,
            problem,
            `line ${r.where[3 * i + 1]}, column ${r.where[3 * i + 2]}`,
            `${g.path}[${r.where[3 * i]}]`,
          );
        }
      }
    }
  }

  private decode(buf: Buffer, start: number, end: number): string {
    try {
      return JSON.parse(buf.toString('utf8', start - 1, end + 1)) as string;
    } catch {
      return buf.toString('utf8', start, end);
    }
  }
}

function nsgLayout(version: unknown): TupleLayout | null {
  if (version === undefined || version === null) return 0;
  if (version === 1 || version === '1') return 1;
  if (version === 2 || version === '2') return 2;
  return null;
}

function vnetLayout(version: unknown): TupleLayout | null {
  // Version 4 is the only VNet flow-log schema; a record without the field is read as version 4.
  if (version === undefined || version === null || version === 4 || version === '4') return 4;
  return null;
}

function childRole(parent: number, key: string | null, object: boolean): number {
  switch (parent) {
    case TOP:
      return object ? RECORD : RECORDS;
    case RECORDS:
      return object ? RECORD : IGNORED;
    case RECORD:
      if (key === 'records') return object ? IGNORED : RECORDS;
      if (key === 'properties') return object ? PROPERTIES : IGNORED;
      if (key === 'flowrecords') return object ? FLOW_RECORDS : IGNORED;
      return IGNORED;
    case PROPERTIES:
      return key === 'flows' && !object ? RULE_LIST : IGNORED;
    case RULE_LIST:
      return object ? RULE : IGNORED;
    case RULE:
      return key === 'flows' && !object ? MAC_LIST : IGNORED;
    case MAC_LIST:
      return object ? MAC : IGNORED;
    case MAC:
      return key === 'flowtuples' && !object ? TUPLES : IGNORED;
    case FLOW_RECORDS:
      return key === 'flows' && !object ? ACL_LIST : IGNORED;
    case ACL_LIST:
      return object ? ACL : IGNORED;
    case ACL:
      return key === 'flowgroups' && !object ? GROUP_LIST : IGNORED;
    case GROUP_LIST:
      return object ? GROUP : IGNORED;
    case GROUP:
      return key === 'flowtuples' && !object ? TUPLES : IGNORED;
    default:
      return IGNORED;
  }
}

/** Whether a value at (parent, key) has a required shape that an ignored container or scalar breaks. */
function expectsContainer(parent: number, key: string | null): boolean {
  return expectation(parent, key) !== null;
}

function expectation(parent: number, key: string | null): string | null {
  switch (parent) {
    case RECORDS:
      return 'a flow-log record must be an object';
    case RECORD:
      if (key === 'records') return '"records" must be an array of records';
      if (key === 'properties') return '"properties" must be an object';
      if (key === 'flowrecords') return '"flowRecords" must be an object';
      return null;
    case PROPERTIES:
    case RULE:
    case FLOW_RECORDS:
      return key === 'flows' ? '"flows" must be an array' : null;
    case MAC:
    case GROUP:
      return key === 'flowtuples' ? '"flowTuples" must be an array of strings' : null;
    case ACL:
      return key === 'flowgroups' ? '"flowGroups" must be an array' : null;
    case RULE_LIST:
    case MAC_LIST:
    case ACL_LIST:
    case GROUP_LIST:
      return 'each entry must be an object';
    case TUPLES:
      return 'a flow tuple must be a string';
    default:
      return null;
  }
}
