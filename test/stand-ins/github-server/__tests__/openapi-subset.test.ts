import { describe, expect, it } from '@jest/globals';
import { IMPLEMENTED_OPERATIONS, OpenApiValidator } from '../src/index.ts';
import { readFullDescription, readSubset } from '../src/openapi/source.ts';
import { extractSubset } from '../src/openapi/subset.ts';

describe('the committed OpenAPI subset', () => {
  it('is exactly what the generator extracts from @octokit/openapi today', async () => {
    const regenerated = extractSubset(await readFullDescription());
    // On failure: pnpm --filter @build-release-run/github-server generate-openapi
    expect(await readSubset()).toEqual(regenerated);
  });

  it('covers every operation of the route table, and nothing else', async () => {
    const subset = await readSubset();
    const inSubset = Object.values(subset.paths).flatMap((item) =>
      Object.values(item).map((op) => (op as { operationId: string }).operationId),
    );
    expect([...inSubset].sort()).toEqual([...IMPLEMENTED_OPERATIONS].sort());
  });

  it('refuses an extract that asks for an operation the description lacks', async () => {
    expect(() => extractSubset({ openapi: '3.0.3', info: {}, paths: {}, components: {} }, ['repos/no-such'])).toThrow(
      'operations missing from the description: repos/no-such',
    );
  });
});

describe('OpenApiValidator', () => {
  it('routes literal segments before parameters and decodes multi-segment refs', async () => {
    const validator = new OpenApiValidator(await readSubset());
    expect(validator.match('GET', '/repos/o/r/releases/latest')?.operationId).toBe('repos/get-latest-release');
    expect(validator.match('GET', '/repos/o/r/releases/assets/5')?.operationId).toBe('repos/get-release-asset');
    expect(validator.match('GET', '/repos/o/r/releases/5')?.operationId).toBe('repos/get-release');
    expect(validator.match('GET', '/repos/o/r/git/ref/tags%2Fv1/x')?.pathParams.ref).toBe('tags/v1/x');
    expect(validator.match('GET', '/repos/o/r/pulls')).toBeUndefined();
  });

  it('validates values against a named component schema', async () => {
    const validator = new OpenApiValidator(await readSubset());
    expect(
      validator.validateComponent('basic-error', { message: 'Not Found', documentation_url: 'x' }),
    ).toBeUndefined();
    expect(validator.validateComponent('git-ref', { ref: 'refs/tags/v1' })).toContain("wasn't supplied");
  });
});
