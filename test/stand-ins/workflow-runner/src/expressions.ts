// Expressions are evaluated by GitHub's own evaluator (@actions/expressions);
// this file only supplies what the runner adds to the language: the contexts
// and the status functions (success(), failure(), always(), cancelled()) and
// hashFiles(), which the library leaves to its host.
import { createHash } from 'node:crypto';
import { glob, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { TokenType } from '@actions/expressions/lexer';
import { truthy } from '@actions/expressions/result';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';

/** Plain JSON-like values, as contexts are built and results are read. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type Contexts = Record<string, Json>;

/**
 * What the status functions answer. For a step: whether an earlier step
 * failed. For a job: whether all its needs succeeded / any failed.
 */
export interface JobStatus {
  success: boolean;
  failure: boolean;
  cancelled: boolean;
}

export interface EvaluationScope {
  contexts: Contexts;
  status?: JobStatus;
  /** Root for hashFiles(); github.workspace on a runner. */
  workspace?: string;
}

/** Thrown for an expression that does not parse or evaluate; the message names it. */
export class ExpressionFailure extends Error {
  override readonly name = 'ExpressionFailure';
}

const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'] as const;

export function toExpressionData(value: Json | undefined): data.ExpressionData {
  if (value === undefined) return new data.Null();
  return JSON.parse(JSON.stringify(value), data.reviver) as data.ExpressionData;
}

export function fromExpressionData(value: data.ExpressionData): Json {
  return JSON.parse(JSON.stringify(value, data.replacer)) as Json;
}

/** The string a value becomes when an expression is interpolated into text. */
export function coerceToString(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return toExpressionData(value).coerceString();
  return JSON.stringify(value, null, 2);
}

function functionsFor(scope: EvaluationScope): Map<string, FunctionDefinition> {
  const status = scope.status ?? { success: true, failure: false, cancelled: false };
  const fn = (
    name: string,
    minArgs: number,
    maxArgs: number,
    call: FunctionDefinition['call'],
  ): FunctionDefinition => ({
    name,
    minArgs,
    maxArgs,
    call,
  });
  const functions = new Map<string, FunctionDefinition>([
    ['success', fn('success', 0, 0, () => new data.BooleanData(status.success && !status.cancelled))],
    ['failure', fn('failure', 0, 0, () => new data.BooleanData(status.failure && !status.cancelled))],
    ['always', fn('always', 0, 0, () => new data.BooleanData(true))],
    ['cancelled', fn('cancelled', 0, 0, () => new data.BooleanData(status.cancelled))],
  ]);
  return functions;
}

function parse(expression: string, contextNames: string[]): ReturnType<Parser['parse']> {
  try {
    const lexed = new Lexer(expression).lex();
    // The library's lexer unescapes only the first '' of a string literal
    // (String.replace with a string pattern); the runner unescapes all of
    // them, which matters for `run:` scripts turned into format('...').
    for (const token of lexed.tokens) {
      if (token.type === TokenType.STRING) token.value = token.lexeme.slice(1, -1).replaceAll("''", "'");
    }
    const functionInfos = [
      ...STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 })),
      { name: 'hashFiles', minArgs: 1, maxArgs: 255 },
    ];
    return new Parser(lexed.tokens, contextNames, functionInfos).parse();
  } catch (error) {
    throw new ExpressionFailure(`The expression '${expression}' does not parse: ${(error as Error).message}`);
  }
}

/**
 * Evaluates one expression (the text between `${{` and `}}`). hashFiles() is
 * resolved before evaluation because it reads files (asynchronously).
 */
export async function evaluate(expression: string, scope: EvaluationScope): Promise<Json> {
  const resolved = await resolveHashFiles(expression, scope);
  const contextNames = Object.keys(scope.contexts);
  const tree = parse(resolved, contextNames);
  const dictionary = new data.Dictionary(
    ...contextNames.map((key) => ({ key, value: toExpressionData(scope.contexts[key]) })),
  );
  try {
    const result = new Evaluator(tree, dictionary, functionsFor(scope)).evaluate();
    return fromExpressionData(result);
  } catch (error) {
    throw new ExpressionFailure(`The expression '${expression}' failed: ${(error as Error).message}`);
  }
}

/** Evaluates a condition (`if:`) to a boolean, with the runner's truthiness. */
export async function evaluateCondition(expression: string, scope: EvaluationScope): Promise<boolean> {
  const value = await evaluate(expression, scope);
  return truthy(toExpressionData(value));
}

/** Replaces `${{ ... }}` in a plain string (e.g. an action.yml default or output value). */
export async function interpolate(text: string, scope: EvaluationScope): Promise<Json> {
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(text);
  if (whole && !whole[1]!.includes('}}')) return evaluate(whole[1]!, scope);
  let out = '';
  let rest = text;
  for (;;) {
    const start = rest.indexOf('${{');
    if (start < 0) break;
    const end = rest.indexOf('}}', start);
    if (end < 0) break;
    out += rest.slice(0, start) + coerceToString(await evaluate(rest.slice(start + 3, end), scope));
    rest = rest.slice(end + 2);
  }
  return out + rest;
}

const HASH_FILES = /hashFiles\(\s*((?:'(?:[^']|'')*'\s*,?\s*)+)\)/gi;

/** hashFiles(patterns...): sha256 over the sha256 of each matching file, '' when none match. */
async function resolveHashFiles(expression: string, scope: EvaluationScope): Promise<string> {
  if (!/hashFiles\(/i.test(expression)) return expression;
  const root = scope.workspace ?? process.cwd();
  let out = expression;
  for (const match of expression.matchAll(HASH_FILES)) {
    const patterns = [...match[1]!.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replaceAll("''", "'"));
    const files = new Set<string>();
    for (const pattern of patterns.filter((p) => !p.startsWith('!'))) {
      for await (const file of glob(pattern, { cwd: root })) files.add(file);
    }
    const excluded = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    const kept = [...files].filter((f) => !excluded.some((e) => path.matchesGlob(f, e))).sort();
    let digest = '';
    if (kept.length > 0) {
      const outer = createHash('sha256');
      for (const file of kept) {
        try {
          outer.update(
            createHash('sha256')
              .update(await readFile(path.join(root, file)))
              .digest(),
          );
        } catch {
          // directories match globs too; hashFiles ignores them
        }
      }
      digest = outer.digest('hex');
    }
    out = out.replace(match[0], `'${digest}'`);
  }
  return out;
}
