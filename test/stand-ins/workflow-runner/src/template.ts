// Evaluates the parser's template tokens (what a workflow or action.yml
// value becomes once parsed) into plain values, the way the runner does when
// it reaches the value: literals as they are, expressions evaluated,
// mappings and sequences element by element.
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { type EvaluationScope, type Json, coerceToString, evaluate } from './expressions.ts';

// Token kinds, as numbered by @actions/workflow-parser (templates/tokens/types.js).
const STRING = 0;
const SEQUENCE = 1;
const MAPPING = 2;
const BASIC_EXPRESSION = 3;
const BOOLEAN = 5;
const NUMBER = 6;
const NULL = 7;

interface LiteralLike {
  value: string | number | boolean;
}
interface ExpressionLike {
  expression: string;
}
interface MappingLike extends Iterable<{ key: TemplateToken; value: TemplateToken }> {
  find(key: string): TemplateToken | undefined;
}

export async function evaluateToken(token: TemplateToken | undefined, scope: EvaluationScope): Promise<Json> {
  if (token === undefined) return null;
  switch (token.templateTokenType) {
    case STRING:
    case BOOLEAN:
    case NUMBER:
      return (token as unknown as LiteralLike).value;
    case NULL:
      return null;
    case BASIC_EXPRESSION:
      return evaluate((token as unknown as ExpressionLike).expression, scope);
    case SEQUENCE: {
      const out: Json[] = [];
      for (const item of token as unknown as Iterable<TemplateToken>) out.push(await evaluateToken(item, scope));
      return out;
    }
    case MAPPING: {
      const out: Record<string, Json> = {};
      for (const pair of token as unknown as MappingLike) {
        out[coerceToString(await evaluateToken(pair.key, scope))] = await evaluateToken(pair.value, scope);
      }
      return out;
    }
    default:
      throw new Error(`Unsupported template token (type ${token.templateTokenType}) at line ${token.line ?? '?'}`);
  }
}

/** A mapping whose values become strings, as `env:` and `with:` are. */
export async function evaluateStringMap(
  token: TemplateToken | undefined,
  scope: EvaluationScope,
): Promise<Record<string, string>> {
  const value = await evaluateToken(token, scope);
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`Expected a mapping at line ${token?.line ?? '?'}, got ${JSON.stringify(value)}`);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, coerceToString(v)]));
}

/** A scalar value as a string (`run:`, `name:`, `working-directory:`). */
export async function evaluateString(token: TemplateToken | undefined, scope: EvaluationScope): Promise<string> {
  return coerceToString(await evaluateToken(token, scope));
}

/** Looks up a key of a mapping token without evaluating anything. */
export function findKey(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (token === undefined || token.templateTokenType !== MAPPING) return undefined;
  return (token as unknown as MappingLike).find(key);
}

/** The literal text of a token, or undefined when it is not a literal scalar. */
export function literalOf(token: TemplateToken | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (token.templateTokenType === STRING || token.templateTokenType === BOOLEAN || token.templateTokenType === NUMBER) {
    return String((token as unknown as LiteralLike).value);
  }
  return undefined;
}

export function sequenceItems(token: TemplateToken | undefined): TemplateToken[] {
  if (token === undefined || token.templateTokenType !== SEQUENCE) return [];
  return [...(token as unknown as Iterable<TemplateToken>)];
}

export function mappingPairs(token: TemplateToken | undefined): { key: string; value: TemplateToken }[] {
  if (token === undefined || token.templateTokenType !== MAPPING) return [];
  return [...(token as unknown as MappingLike)].map((pair) => ({ key: literalOf(pair.key) ?? '', value: pair.value }));
}
