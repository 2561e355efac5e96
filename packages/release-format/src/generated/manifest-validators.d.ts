// The exports of manifest-validators.js (generated): one Ajv validate function per name of VALIDATOR_REFS.
import type { ValidateFunction } from 'ajv/dist/2020.js';

declare const validators: Record<string, ValidateFunction>;
export = validators;
