/**
 * Entry point of `pnpm demo`: submits one verification of each type and prints their ids; exits
 * non-zero (printing the server's error) if any submission fails. See `run.ts`.
 */
import { run } from './run.js';

process.exitCode = await run();
