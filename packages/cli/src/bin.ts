#!/usr/bin/env node
// brr: the command-line entry. Everything is in main.ts; this only binds it to the process.
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
