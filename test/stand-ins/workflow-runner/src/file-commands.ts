// The files a step writes to talk to the runner (GITHUB_OUTPUT, GITHUB_ENV,
// GITHUB_STATE, GITHUB_PATH). Formats as the runner reads them: one
// `name=value` a line, or a multi-line value as
//   name<<DELIMITER
//   line 1
//   line 2
//   DELIMITER

export class FileCommandError extends Error {
  override readonly name = 'FileCommandError';
}

/** Reads a GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STATE file; later names win. */
export function parseKeyValueFile(content: string, fileName: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = content.split(/\r?\n/);
  // A file that ends with a newline leaves one empty string after the split.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals);
      if (name === '') throw new FileCommandError(`${fileName}: a line has no name before '=': '${line}'`);
      values[name] = line.slice(equals + 1);
    } else if (heredoc >= 0) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (name === '' || delimiter === '') {
        throw new FileCommandError(`${fileName}: '${line}' needs a name and a delimiter (name<<DELIMITER).`);
      }
      const body: string[] = [];
      let closed = false;
      while (++index < lines.length) {
        if (lines[index] === delimiter) {
          closed = true;
          break;
        }
        body.push(lines[index]!);
      }
      if (!closed)
        throw new FileCommandError(`${fileName}: matching delimiter '${delimiter}' not found for '${name}'.`);
      values[name] = body.join('\n');
    } else {
      throw new FileCommandError(`${fileName}: invalid format '${line}' (expected name=value or name<<DELIMITER).`);
    }
  }
  return values;
}

/** Reads a GITHUB_PATH file: one directory a line. */
export function parsePathFile(content: string): string[] {
  return content
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
