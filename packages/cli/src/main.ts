/**
 * brr's one error boundary. Results go to stdout, progress and errors to
 * stderr; exit status 0 on success, 1 on a failure, 2 on a usage error, as
 * a Unix tool's (the usage, args.ts, documents them).
 */
import { writeFile } from 'node:fs/promises';
import { errorMessage } from '@build-release-run/contract';
import { progressTo } from '@build-release-run/progress';
import { USAGE, UsageError, parseCommand } from './args.ts';
import { connect, readConnection } from './connect.ts';
import { diffReleases } from '@build-release-run/release-verify';
import { asFlags, readOptionsOf } from './policy.ts';
import { diffText } from './diff.ts';
import { ledgerHtml } from './ledger-html.ts';
import { readLedger } from './ledger-read.ts';
import { ledgerText } from './ledger-text.ts';
import { forTerminal, jsonForTerminal } from './terminal.ts';
import { verifyTag } from './verify.ts';
import { VERSION } from './version.ts';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  /** The clock for progress lines. */
  now?: () => number;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parseCommand(argv);
    if (command.name === 'help') {
      io.out(USAGE);
      return EXIT_OK;
    }
    if (command.name === 'version') {
      io.out(`${VERSION}\n`);
      return EXIT_OK;
    }
    const connection = readConnection(io.env, command.repo, command.server);
    const progress = progressTo((line) => io.err(`${forTerminal(line)}\n`), io.now);
    const api = connect(connection, progress);
    const options = await readOptionsOf(command.policy, connection, io.env);
    if (command.name === 'ledger') {
      const ledger = await readLedger(api, options, command.environment);
      if (command.html !== undefined) {
        await writeFile(command.html, ledgerHtml(ledger, new Date()));
        io.err(`Wrote the ledger page to ${forTerminal(command.html)}\n`);
      }
      if (command.json) io.out(`${jsonForTerminal(ledger)}\n`);
      else if (command.html === undefined) io.out(ledgerText(ledger));
      return EXIT_OK;
    }
    if (command.name === 'verify') {
      await verifyTag(api, command.tag, options, (line) => io.out(`${line}\n`), progress);
      return EXIT_OK;
    }
    const diff = await diffReleases(api, command.from, command.to, options);
    io.out(command.json ? `${jsonForTerminal(diff)}\n` : diffText(diff));
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`brr: ${forTerminal(error.message)}\nRun 'brr --help' for usage.\n`);
      return EXIT_USAGE;
    }
    const where = command && command.name !== 'help' && command.name !== 'version' ? `brr ${command.name}: ` : 'brr: ';
    // The reader's messages speak of deploy's inputs; here they are flags, and the tag an argument.
    io.err(`${where}${forTerminal(asFlags(errorMessage(error)))}\n`);
    return EXIT_FAILURE;
  }
}
