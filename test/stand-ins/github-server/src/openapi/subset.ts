import { IMPLEMENTED_OPERATIONS } from './operations.ts';

/** The parts of an OpenAPI 3.0 document this server reads. */
export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'patch', 'delete', 'head', 'options']);

/**
 * Cuts GitHub's full description down to the implemented operations and the
 * components they reference (transitively). Examples are dropped: they are
 * most of the weight and validate nothing. Deterministic, so a test can
 * regenerate it and compare with the committed file.
 */
export function extractSubset(
  full: OpenApiDocument,
  operationIds: readonly string[] = IMPLEMENTED_OPERATIONS,
): OpenApiDocument {
  const wanted = new Set(operationIds);
  const paths: OpenApiDocument['paths'] = {};
  for (const [pathName, item] of Object.entries(full.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const id = (operation as { operationId?: string }).operationId;
      if (id === undefined || !wanted.has(id)) continue;
      paths[pathName] ??= {};
      paths[pathName][method] = withoutExamples(operation);
      wanted.delete(id);
    }
  }
  if (wanted.size > 0) throw new Error(`operations missing from the description: ${[...wanted].join(', ')}`);

  const components: OpenApiDocument['components'] = {};
  const queue: string[] = [];
  const seen = new Set<string>();
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === '$ref' && typeof child === 'string' && !seen.has(child)) {
          seen.add(child);
          queue.push(child);
        } else collect(child);
      }
    }
  };
  collect(paths);
  while (queue.length > 0) {
    const ref = queue.shift() as string;
    const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref);
    if (!match) throw new Error(`unsupported $ref ${ref}`);
    const [, kind, name] = match as unknown as [string, string, string];
    const target = full.components[kind]?.[name];
    if (target === undefined) throw new Error(`dangling $ref ${ref}`);
    const cleaned = withoutExamples(target);
    components[kind] ??= {};
    components[kind][name] = cleaned;
    collect(cleaned);
  }
  return { openapi: full.openapi, info: full.info, paths: sortKeys(paths), components: sortKeys(components) };
}

function withoutExamples(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutExamples);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'examples' || key === 'example') continue;
    out[key] = withoutExamples(child);
  }
  return out;
}

function sortKeys<T extends Record<string, Record<string, unknown>>>(record: T): T {
  const out: Record<string, Record<string, unknown>> = {};
  for (const key of Object.keys(record).sort()) {
    const inner = record[key] as Record<string, unknown>;
    out[key] = Object.fromEntries(
      Object.keys(inner)
        .sort()
        .map((k) => [k, inner[k]]),
    );
  }
  return out as T;
}
