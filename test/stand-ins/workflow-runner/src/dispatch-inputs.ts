import { ConfigurationError } from '@build-release-run/contract';
import type { Json } from './expressions.ts';
import type { DispatchInput } from './workflow-file.ts';

export type GivenInput = string | number | boolean;

export interface ResolvedInputs {
  /** The `inputs` context: booleans stay booleans and numbers numbers. */
  inputs: Record<string, Json>;
  /** `github.event.inputs`: the event payload carries every value as a string. */
  eventInputs: Record<string, string>;
}

/**
 * Checks the inputs given to a workflow_dispatch run against the workflow's
 * declarations, as GitHub does before it starts a run, and types them.
 */
export function resolveDispatchInputs(
  declared: Record<string, DispatchInput>,
  given: Record<string, GivenInput>,
): ResolvedInputs {
  const unexpected = Object.keys(given).filter((name) => !(name in declared));
  if (unexpected.length > 0) {
    throw new ConfigurationError(
      `Unexpected workflow_dispatch inputs: ${unexpected.join(', ')}; the workflow declares ${Object.keys(declared).join(', ') || 'none'}.`,
    );
  }
  const inputs: Record<string, Json> = {};
  const eventInputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(declared)) {
    const raw = name in given ? String(given[name]) : input.default;
    if (raw === undefined || (raw === '' && input.type !== 'string')) {
      if (input.required) {
        throw new ConfigurationError(`Input '${name}' is required; give it a value (type ${input.type}).`);
      }
      inputs[name] = input.type === 'boolean' ? false : '';
      eventInputs[name] = input.type === 'boolean' ? 'false' : '';
      continue;
    }
    if (input.required && raw === '') {
      throw new ConfigurationError(`Input '${name}' is required; give it a non-empty value.`);
    }
    inputs[name] = typed(name, input, raw);
    eventInputs[name] = raw;
  }
  return { inputs, eventInputs };
}

function typed(name: string, input: DispatchInput, raw: string): Json {
  switch (input.type) {
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') {
        throw new ConfigurationError(`Input '${name}' is a boolean; got '${raw}'. Use true or false.`);
      }
      return raw === 'true';
    case 'number': {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) {
        throw new ConfigurationError(`Input '${name}' is a number; got '${raw}'. Give a number such as 3 or 1.5.`);
      }
      return value;
    }
    case 'choice':
      if (!input.options.includes(raw)) {
        throw new ConfigurationError(`Input '${name}' must be one of ${input.options.join(', ')}; got '${raw}'.`);
      }
      return raw;
    case 'environment':
    case 'string':
      return raw;
  }
}
