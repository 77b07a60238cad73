#!/usr/bin/env node
// The `virtlab` command. Node 24 runs the TypeScript CLI directly (type stripping).
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
