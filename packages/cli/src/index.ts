export { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, main } from './main.ts';
export { connect, readConnection } from './connect.ts';
export { ledgerHtml } from './ledger-html.ts';
export { readLedger } from './ledger-read.ts';
export { readOptionsOf } from './policy.ts';
