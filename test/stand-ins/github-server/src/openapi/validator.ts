import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { amend } from './amendments.ts';
import type { OpenApiDocument } from './subset.ts';

// ajv-formats is CommonJS: under Node's ESM loader the default import is
// module.exports, the plugin function, which also carries itself as `.default`.
const addFormats = addFormatsModule.default;

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
  'x-multi-segment'?: boolean;
}

interface OperationObject {
  operationId: string;
  parameters?: ({ $ref: string } | ParameterObject)[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
  externalDocs?: { url: string };
}

export interface MatchedOperation {
  operationId: string;
  method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/releases/{release_id}`. */
  template: string;
  /** Path parameters, decoded. */
  pathParams: Record<string, string>;
  documentationUrl: string;
}

interface CompiledRoute {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  literalSegments: number;
  operation: OperationObject;
}

export type ParamsResult =
  { ok: true; values: Record<string, unknown> } | { ok: false; in: 'path' | 'query'; message: string };

/**
 * GitHub's OpenAPI description (the committed subset), turned into a router
 * and request/response validators. Schemas compile lazily, on first use, so
 * start-up stays fast.
 */
export class OpenApiValidator {
  readonly #document: OpenApiDocument;
  readonly #routes: CompiledRoute[];
  readonly #ajv: Ajv;
  readonly #coercingAjv: Ajv;
  readonly #cache = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    this.#document = toJsonSchemaDialect(amend(document)) as OpenApiDocument;
    this.#routes = compileRoutes(this.#document);
    this.#ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
    addFormats(this.#ajv);
    this.#ajv.addSchema(this.#document as object, 'github');
    this.#coercingAjv = new Ajv({ strict: false, coerceTypes: true, useDefaults: true });
  }

  /** The operation a method and raw (still percent-encoded) path name, or undefined (GitHub answers 404). */
  match(method: string, rawPath: string): MatchedOperation | undefined {
    const lower = method.toLowerCase();
    let best: { route: CompiledRoute; values: string[] } | undefined;
    for (const route of this.#routes) {
      if (route.method !== lower) continue;
      const m = route.pattern.exec(rawPath);
      if (!m) continue;
      if (best === undefined || route.literalSegments > best.route.literalSegments) {
        best = { route, values: m.slice(1) };
      }
    }
    if (best === undefined) return undefined;
    const pathParams: Record<string, string> = {};
    try {
      best.route.names.forEach((name, i) => (pathParams[name] = decodeURIComponent(best.values[i] ?? '')));
    } catch {
      return undefined;
    }
    return {
      operationId: best.route.operation.operationId,
      method: lower,
      template: best.route.template,
      pathParams,
      documentationUrl: best.route.operation.externalDocs?.url ?? 'https://docs.github.com/rest',
    };
  }

  /** Checks and coerces path and query parameters (strings on the wire) to the types the description gives. */
  validateParams(op: MatchedOperation, query: URLSearchParams): ParamsResult {
    const values: Record<string, unknown> = {};
    for (const param of this.#parameters(op)) {
      if (param.in !== 'path' && param.in !== 'query') continue;
      const raw = param.in === 'path' ? op.pathParams[param.name] : (query.get(param.name) ?? undefined);
      if (raw === undefined) {
        if (param.required) return { ok: false, in: param.in, message: `"${param.name}" wasn't supplied.` };
        const fallback = (param.schema as { default?: unknown } | undefined)?.default;
        if (fallback !== undefined) values[param.name] = fallback;
        continue;
      }
      // Ajv coerces a property in place, so the string goes in wrapped in an object.
      const holder = { value: raw as unknown };
      const validate = this.#compileInline(`param:${op.operationId}:${param.in}:${param.name}`, {
        type: 'object',
        properties: { value: param.schema ?? {} },
      });
      if (!validate(holder)) {
        return { ok: false, in: param.in, message: `For '${param.name}', ${JSON.stringify(raw)} is not valid.` };
      }
      values[param.name] = holder.value;
    }
    return { ok: true, values };
  }

  /** A JSON request body checked against the operation's schema: undefined when valid, else GitHub's message. */
  validateBody(op: MatchedOperation, body: unknown): string | undefined {
    const pointer = `/paths/${escapePointer(op.template)}/${op.method}/requestBody/content/application~1json/schema`;
    const route = this.#route(op);
    const content = route.operation.requestBody?.content?.['application/json'];
    if (content?.schema === undefined) return undefined;
    if (body === undefined) {
      return route.operation.requestBody?.required ? 'Invalid request.\n\nNo body was supplied.' : undefined;
    }
    const validate = this.#compilePointer(pointer);
    if (validate(body)) return undefined;
    return `Invalid request.\n\n${describeErrors(validate.errors ?? [], body)}`;
  }

  /**
   * A response checked against the description's schema for its status:
   * undefined when it conforms, else what is wrong. Undocumented error
   * statuses are held to GitHub's general error shape (basic-error).
   */
  validateResponse(op: MatchedOperation, status: number, body: unknown): string | undefined {
    const route = this.#route(op);
    let response = route.operation.responses[String(status)];
    let pointer = `/paths/${escapePointer(op.template)}/${op.method}/responses/${status}`;
    if (response === undefined) {
      if (status >= 400) {
        return this.#check('/components/schemas/basic-error', body, `${op.operationId} ${status} (basic-error)`);
      }
      return `${op.operationId}: status ${status} is not documented (documented: ${Object.keys(route.operation.responses).join(', ')})`;
    }
    if (response.$ref !== undefined) {
      pointer = response.$ref.slice(1);
      response = this.#resolve(response.$ref) as typeof response;
    }
    if (response.content?.['application/json']?.schema === undefined) return undefined;
    return this.#check(`${pointer}/content/application~1json/schema`, body, `${op.operationId} ${status}`);
  }

  /** Validates any value against a component schema, e.g. `release`. */
  validateComponent(name: string, value: unknown): string | undefined {
    return this.#check(`/components/schemas/${escapePointer(name)}`, value, name);
  }

  #check(pointer: string, body: unknown, label: string): string | undefined {
    const validate = this.#compilePointer(pointer);
    if (validate(body)) return undefined;
    return `${label}: ${describeErrors(validate.errors ?? [], body)}`;
  }

  #route(op: MatchedOperation): CompiledRoute {
    const route = this.#routes.find((r) => r.method === op.method && r.template === op.template);
    if (route === undefined) throw new Error(`no route ${op.method} ${op.template}`);
    return route;
  }

  #parameters(op: MatchedOperation): ParameterObject[] {
    return (this.#route(op).operation.parameters ?? []).map((p) =>
      '$ref' in p ? (this.#resolve(p.$ref) as ParameterObject) : p,
    );
  }

  #resolve(ref: string): unknown {
    let node: unknown = this.#document;
    for (const part of ref.replace(/^#\//, '').split('/')) {
      node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return node;
  }

  #compilePointer(pointer: string): ValidateFunction {
    let validate = this.#cache.get(pointer);
    if (validate === undefined) {
      validate = this.#ajv.getSchema(`github#${pointer}`);
      if (validate === undefined) throw new Error(`no schema at ${pointer}`);
      this.#cache.set(pointer, validate);
    }
    return validate;
  }

  #compileInline(key: string, schema: object): ValidateFunction {
    let validate = this.#cache.get(key);
    if (validate === undefined) {
      validate = this.#coercingAjv.compile(schema);
      this.#cache.set(key, validate);
    }
    return validate;
  }
}

function compileRoutes(document: OpenApiDocument): CompiledRoute[] {
  const routes: CompiledRoute[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, value] of Object.entries(item)) {
      const operation = value as OperationObject;
      if (typeof operation !== 'object' || operation === null || !('operationId' in operation)) continue;
      const multiSegment = new Set(
        (operation.parameters ?? [])
          .map((p) => ('$ref' in p ? (resolveIn(document, p.$ref) as ParameterObject) : p))
          .filter((p) => p['x-multi-segment'] === true || (p.in === 'path' && p.name === 'ref'))
          .map((p) => p.name),
      );
      const names: string[] = [];
      let literalSegments = 0;
      const source = template
        .split('/')
        .map((segment) => {
          const m = /^\{(.+)\}$/.exec(segment);
          if (!m) {
            literalSegments++;
            return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          }
          const name = m[1] as string;
          names.push(name);
          return multiSegment.has(name) ? '(.+)' : '([^/]+)';
        })
        .join('/');
      routes.push({ method, template, pattern: new RegExp(`^${source}$`), names, literalSegments, operation });
    }
  }
  return routes;
}

function resolveIn(document: OpenApiDocument, ref: string): unknown {
  let node: unknown = document;
  for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Record<string, unknown>)[part];
  return node;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * OpenAPI 3.0 marks nullable schemas with `nullable: true`; JSON Schema (and
 * ajv) say it with a `null` type. Rewrites the former into the latter.
 */
function toJsonSchemaDialect(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchemaDialect);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'nullable') continue;
    out[key] = toJsonSchemaDialect(child);
  }
  if ((value as { nullable?: unknown }).nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

/** Renders schema errors the way GitHub words them ("For 'properties/x', true is not a string."). */
function describeErrors(errors: ErrorObject[], body: unknown): string {
  return errors
    .map((error) => {
      const where = error.instancePath
        .split('/')
        .filter(Boolean)
        .map((p) => (/^\d+$/.test(p) ? `items/${p}` : `properties/${p}`))
        .join('/');
      const value = valueAt(body, error.instancePath);
      switch (error.keyword) {
        case 'required':
          return `"${String(error.params.missingProperty)}" wasn't supplied.`;
        case 'type':
          return `For '${where}', ${JSON.stringify(value)} is not ${article(String(error.params.type))}.`;
        case 'enum':
          return `For '${where}', ${JSON.stringify(value)} is not a possible value.`;
        case 'additionalProperties':
          return `For '${where || 'body'}', "${String(error.params.additionalProperty)}" is not a permitted key.`;
        default:
          return `For '${where || 'body'}', ${JSON.stringify(value)} ${error.message ?? 'is invalid'}.`;
      }
    })
    .join('\n');
}

function article(type: string): string {
  const first = type.split(',')[0] ?? type;
  return /^[aeiou]/.test(first) ? `an ${first}` : `a ${first}`;
}

function valueAt(body: unknown, pointer: string): unknown {
  let node = body;
  for (const part of pointer.split('/').filter(Boolean)) {
    node = (node as Record<string, unknown> | undefined)?.[part];
  }
  return node;
}
