#!/usr/bin/env node
// The embedkit CLI. The implementation lives in ../dist (built from ../src by `pnpm build`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
