import { describe, expect, it } from '@jest/globals';
import { FileCommandError, parseKeyValueFile, parsePathFile } from '../src/file-commands.ts';
import { parseWorkflowCommand } from '../src/workflow-commands.ts';
import { Masker } from '../src/masks.ts';
import { resolveDispatchInputs } from '../src/dispatch-inputs.ts';
import { evaluate, evaluateCondition, interpolate } from '../src/expressions.ts';
import { inputVariableName } from '../src/process-env.ts';
import { orderJobs } from '../src/job-graph.ts';
import type { DispatchInput, JobModel } from '../src/workflow-file.ts';

describe('file commands', () => {
  it.each([
    ['name=value\n', { name: 'value' }],
    ['a=1\nb=x=y\n', { a: '1', b: 'x=y' }],
    ['a=1\na=2\n', { a: '2' }],
    ['multi<<EOF\nline 1\nline 2\nEOF\n', { multi: 'line 1\nline 2' }],
    ['empty<<EOF\nEOF\nafter=1\n', { empty: '', after: '1' }],
    ['eq<<X\na=b\nX\n', { eq: 'a=b' }],
    ['crlf=1\r\nnext=2\r\n', { crlf: '1', next: '2' }],
    ['', {}],
  ])('reads %j', (content, expected) => {
    expect(parseKeyValueFile(content, 'GITHUB_OUTPUT')).toEqual(expected);
  });

  it.each(['=value\n', 'name<<EOF\nnever closed\n', 'just a line\n', 'name<<\n'])('refuses %j', (content) => {
    expect(() => parseKeyValueFile(content, 'GITHUB_ENV')).toThrow(FileCommandError);
  });

  it('reads GITHUB_PATH lines', () => {
    expect(parsePathFile('/a/bin\n\n  /b/bin  \n')).toEqual(['/a/bin', '/b/bin']);
  });
});

describe('workflow commands', () => {
  it.each([
    ['::add-mask::secret', { name: 'add-mask', properties: {}, message: 'secret' }],
    [
      '::error file=a.ts,line=3,title=Bad%2C bad::it broke%0Atwice',
      { name: 'error', properties: { file: 'a.ts', line: '3', title: 'Bad, bad' }, message: 'it broke\ntwice' },
    ],
    ['::group::Build', { name: 'group', properties: {}, message: 'Build' }],
    ['::endgroup::', { name: 'endgroup', properties: {}, message: '' }],
    ['::set-output name=x::1', { name: 'set-output', properties: { name: 'x' }, message: '1' }],
  ])('parses %s', (line, expected) => {
    expect(parseWorkflowCommand(line)).toEqual(expected);
  });

  it.each(['plain output', ':: not a command', 'echo ::error::inside'])('leaves %j alone', (line) => {
    expect(parseWorkflowCommand(line)).toBeUndefined();
  });
});

describe('masks', () => {
  it('masks every registered value, longest first, each line of a multi-line one', () => {
    const masker = new Masker();
    masker.add('abc');
    masker.add('abcdef');
    masker.add('line1\nline2');
    masker.add('  ');
    expect(masker.mask('x abcdef y abc z line2 w')).toBe('x *** y *** z *** w');
    expect(masker.mask('spaces  stay')).toBe('spaces  stay');
  });
});

describe('workflow_dispatch inputs', () => {
  const declared: Record<string, DispatchInput> = {
    env: { type: 'environment', required: true, options: [] },
    tag: { type: 'string', required: false, default: 'v1', options: [] },
    dry: { type: 'boolean', required: false, default: 'false', options: [] },
    level: { type: 'choice', required: false, default: 'low', options: ['low', 'high'] },
    count: { type: 'number', required: false, default: '2', options: [] },
  };

  it('types values and fills defaults; github.event.inputs keeps strings', () => {
    const { inputs, eventInputs } = resolveDispatchInputs(declared, { env: 'prod', dry: 'true', count: 7 });
    expect(inputs).toEqual({ env: 'prod', tag: 'v1', dry: true, level: 'low', count: 7 });
    expect(eventInputs).toEqual({ env: 'prod', tag: 'v1', dry: 'true', level: 'low', count: '7' });
  });

  it.each([
    [{}, /Input 'env' is required/],
    [{ env: 'x', dry: 'yes' }, /'dry' is a boolean; got 'yes'/],
    [{ env: 'x', level: 'loud' }, /'level' must be one of low, high; got 'loud'/],
    [{ env: 'x', count: 'many' }, /'count' is a number; got 'many'/],
    [{ env: 'x', other: '1' }, /Unexpected workflow_dispatch inputs: other/],
  ])('refuses %j', (given, message) => {
    expect(() => resolveDispatchInputs(declared, given)).toThrow(message);
  });
});

describe('expressions', () => {
  const contexts = { github: { event_name: 'push', sha: 'abc' }, inputs: { n: 3, flag: false }, env: { A: 'x' } };

  it('evaluates with the contexts given', async () => {
    expect(await evaluate("github.event_name == 'push' && inputs.n", { contexts })).toBe(3);
    expect(await evaluate('inputs.flag || env.A', { contexts })).toBe('x');
    expect(await evaluate("format('{0}-{1}', github.sha, inputs.n)", { contexts })).toBe('abc-3');
  });

  it("unescapes every '' in a string literal", async () => {
    expect(await evaluate("format('a ''q'' {0} ''r''', 'b')", { contexts: {} })).toBe("a 'q' b 'r'");
  });

  it('answers the status functions from the status given', async () => {
    const failed = { success: false, failure: true, cancelled: false };
    expect(await evaluateCondition('success()', { contexts: {}, status: failed })).toBe(false);
    expect(await evaluateCondition('failure()', { contexts: {}, status: failed })).toBe(true);
    expect(await evaluateCondition('always()', { contexts: {}, status: failed })).toBe(true);
    expect(await evaluateCondition('success()', { contexts: {} })).toBe(true);
  });

  it('interpolates ${{ }} in text, keeping the type of a lone expression', async () => {
    expect(await interpolate('${{ inputs.n }}', { contexts })).toBe(3);
    expect(await interpolate('n=${{ inputs.n }} sha=${{ github.sha }}', { contexts })).toBe('n=3 sha=abc');
  });

  it('names the expression that does not parse', async () => {
    await expect(evaluate('github.', { contexts })).rejects.toThrow(/github\./);
  });
});

describe('runner conventions', () => {
  it.each([
    ['path', 'INPUT_PATH'],
    ['who name', 'INPUT_WHO_NAME'],
    ['github-token', 'INPUT_GITHUB-TOKEN'],
  ])('names input %j %s', (name, variable) => {
    expect(inputVariableName(name)).toBe(variable);
  });

  const job = (id: string, needs: string[]): JobModel => ({
    kind: 'steps',
    id,
    needs,
    condition: 'success()',
    steps: [],
  });

  it('orders jobs after what they need', () => {
    const order = orderJobs([job('c', ['b']), job('a', []), job('b', ['a'])]).map((j) => j.id);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('refuses a cycle', () => {
    expect(() => orderJobs([job('a', ['b']), job('b', ['a'])])).toThrow(/cycle/);
  });
});
