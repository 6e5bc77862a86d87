// `pnpm bench:validators`: the generated identity_document metadata validator
// (@embedkit/validators-2025-04-15/schemas/IdentityDocumentMetadata, its per-schema entry point;
// the root entry's cold start is reported too) against Ajv compiled at run time (+ajv-formats; allErrors for
// the invalid inputs) and a hand-written Zod 4 schema, on the same 1,000 inputs (500 valid, 500
// with 1-3 realistic errors), each validator in its own process. Reports inputs/s (valid and
// invalid, every issue reported), ratios, and cold start. Not a test: it prints and records.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { makeInputs } from './inputs.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const VALIDATORS = ['embedkit', 'ajv', 'zod'];
const TARGETS = { validVsZod: 2, invalidVsZod: 2, coldStartMs: 5 };

const dir = mkdtempSync(join(tmpdir(), 'embedkit-bench-validators-'));
const inputsPath = join(dir, 'inputs.json');
const inputs = makeInputs();
writeFileSync(inputsPath, JSON.stringify(inputs));
const child = new URL('./child.mjs', import.meta.url).pathname;

// Ajv standalone code for the same schema: a cold-start reference (the anchors give about 3 ms for
// it, without saying how it was loaded). CommonJS, because its output requires Ajv's runtime helpers.
{
  const [{ Ajv2020 }, { default: addFormats }, { default: standalone }, { parse }] = await Promise.all([
    import('ajv/dist/2020.js'),
    import('ajv-formats'),
    import('ajv/dist/standalone/index.js'),
    import('yaml'),
  ]);
  const spec = parse(readFileSync(new URL('../../spec/2025-04-15/openapi.yaml', import.meta.url), 'utf8'));
  const defs = JSON.parse(JSON.stringify(spec.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/'));
  const ajv = new Ajv2020({ code: { source: true }, strict: true });
  addFormats(ajv);
  ajv.addKeyword('discriminator');
  ajv.addKeyword('example');
  ajv.addSchema({ $id: 'https://embedkit.bench/spec.json', $defs: defs });
  const tmp = new URL('./.tmp/', import.meta.url).pathname;
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, 'ajv-standalone.cjs'), standalone(ajv, ajv.getSchema('https://embedkit.bench/spec.json#/$defs/IdentityDocumentMetadata')));
}

// The import floor by bare package name: floor-module.mjs as `@embedkit/bench-floor/schemas/Floor`,
// a package laid out like the validators package (type module, subpath export to
// dist/schemas/*.js), linked into validators/node_modules the way pnpm links workspace packages.
// A second one, bench-floor-b, is what the "warm" cases import first (see child.mjs). A third,
// bench-floor-main, has no `exports` (only `main`): the gap between it and bench-floor is what
// Node's `exports` resolution costs the first time a process uses it.
const floorLinks = [];
for (const floorName of ['bench-floor', 'bench-floor-b', 'bench-floor-main']) {
  const floorPackage = new URL(`./.tmp/${floorName}/`, import.meta.url).pathname;
  const floorLink = new URL(`./node_modules/@embedkit/${floorName}`, import.meta.url).pathname;
  floorLinks.push(floorLink);
  rmSync(floorPackage, { recursive: true, force: true });
  mkdirSync(join(floorPackage, 'dist', 'schemas'), { recursive: true });
  const manifest = {
    name: `@embedkit/${floorName}`,
    private: true,
    type: 'module',
    sideEffects: false,
    ...(floorName === 'bench-floor-main'
      ? { main: './dist/schemas/Floor.js' }
      : { exports: { './schemas/Floor': { default: './dist/schemas/Floor.js' }, './package.json': './package.json' } }),
  };
  writeFileSync(join(floorPackage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(floorPackage, 'dist', 'schemas', 'Floor.js'), readFileSync(new URL('./floor-module.mjs', import.meta.url), 'utf8'));
  rmSync(floorLink, { recursive: true, force: true });
  mkdirSync(dirname(floorLink), { recursive: true });
  symlinkSync(relative(dirname(floorLink), floorPackage), floorLink, 'dir');
}

async function runChild(name) {
  const { stdout } = await promisify(execFile)(process.execPath, [child, name, inputsPath], {
    cwd: new URL('.', import.meta.url).pathname,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop());
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = Object.fromEntries(VALIDATORS.map((n) => [n, []]));
const bare = [];
const floor = [];
const floorBare = [];
const floorMain = [];
const rootCold = [];
const standaloneCold = [];
// Cold starts vary by several ms from one process to the next on this machine, so each round also
// runs short cold-start-only processes (the generated entry and the floors, interleaved so that a
// load change hits them alike); the cold-start figures are medians over all of them.
const COLD_SAMPLES = Number(process.env.BENCH_COLD_SAMPLES ?? 5);
const embedkitCold = [];
// The same after Node's loader has already imported another package by name, as in any service
// that imports the validators after its other dependencies.
const embedkitWarm = [];
const floorBareWarm = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order so no validator always runs first (the machine is shared and noisy).
    const order = VALIDATORS.map((_, i) => VALIDATORS[(i + round) % VALIDATORS.length]);
    for (const name of order) results[name].push(await runChild(name));
    bare.push((await runChild('bare')).processToFirstResultMs);
    floor.push((await runChild('floor')).coldStartMs);
    floorBare.push((await runChild('floor-bare')).coldStartMs);
    rootCold.push((await runChild('embedkit-root')).coldStartMs);
    standaloneCold.push((await runChild('ajv-standalone')).coldStartMs);
    for (let i = 0; i < COLD_SAMPLES; i++) {
      embedkitCold.push((await runChild('embedkit-cold')).coldStartMs);
      floorBare.push((await runChild('floor-bare')).coldStartMs);
      floorMain.push((await runChild('floor-bare-main')).coldStartMs);
      rootCold.push((await runChild('embedkit-root')).coldStartMs);
      floor.push((await runChild('floor')).coldStartMs);
      embedkitWarm.push((await runChild('embedkit-warm')).coldStartMs);
      floorBareWarm.push((await runChild('floor-bare-warm')).coldStartMs);
    }
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  // Unlink the floor packages, and the folders made for them if they are empty now.
  for (const floorLink of floorLinks) rmSync(floorLink, { force: true });
  for (const folder of [dirname(floorLinks[0]), dirname(dirname(floorLinks[0]))]) {
    try {
      rmdirSync(folder);
    } catch {
      break;
    }
  }
}

// Every validator must agree on which inputs are valid, and report at least one issue for each
// invalid input.
const expected = [...inputs.valid.map(() => 1), ...inputs.invalid.map(() => 0)];
for (const name of VALIDATORS) {
  const r = results[name][0];
  const disagreements = r.validity.flatMap((ok, i) => (ok === expected[i] ? [] : [i]));
  if (disagreements.length > 0) {
    throw new Error(`${name} disagrees on inputs ${disagreements.slice(0, 5).join(', ')}: ${JSON.stringify([...inputs.valid, ...inputs.invalid][disagreements[0]])}`);
  }
  if (r.issues.some((n) => n < 1)) throw new Error(`${name} reported no issue for an invalid input`);
}

const summary = {};
for (const name of VALIDATORS) {
  const rs = results[name];
  summary[name] = {
    validPerSecond: median(rs.map((r) => r.validPerSecond)),
    invalidPerSecond: median(rs.map((r) => r.invalidPerSecond)),
    coldStartMs: median([...rs.map((r) => r.coldStartMs), ...(name === 'embedkit' ? embedkitCold : [])]),
    processColdStartMs: median(rs.map((r) => r.processToFirstResultMs)) - median(bare),
    issuesOnInvalid: rs[0].issues.reduce((a, b) => a + b, 0),
  };
}
const e = summary.embedkit;
const ratios = {
  validVsZod: e.validPerSecond / summary.zod.validPerSecond,
  invalidVsZod: e.invalidPerSecond / summary.zod.invalidPerSecond,
  validVsAjv: e.validPerSecond / summary.ajv.validPerSecond,
  invalidVsAjv: e.invalidPerSecond / summary.ajv.invalidPerSecond,
};
const met = {
  validVsZod: ratios.validVsZod >= TARGETS.validVsZod,
  invalidVsZod: ratios.invalidVsZod >= TARGETS.invalidVsZod,
  coldStart: e.coldStartMs <= TARGETS.coldStartMs,
};

const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`;
const M = (n) => `${(n / 1e6).toFixed(2)} M`;
const lines = [
  `bench:validators (${new Date().toISOString().slice(0, 10)}, ${machine})`,
  `identity_document metadata; 1,000 inputs (500 valid, 500 with 1-3 errors); median of ${ROUNDS} processes per validator; cold starts of the generated entry, the root entry and the floors: medians of ${ROUNDS * (COLD_SAMPLES + 1)} processes each`,
  '',
  '| validator | valid inputs/s | invalid inputs/s (all issues) | issues reported | cold start: import to first result | process start to first result, minus bare node |',
  '|---|---|---|---|---|---|',
  ...VALIDATORS.map((n) => {
    const s = summary[n];
    const label = {
      embedkit: '@embedkit/validators-2025-04-15/schemas/IdentityDocumentMetadata (generated)',
      ajv: 'Ajv 8.20 compiled at run time + ajv-formats',
      zod: 'Zod 4.6.7, hand-written',
    }[n];
    return `| ${label} | ${M(s.validPerSecond)} | ${M(s.invalidPerSecond)} | ${s.issuesOnInvalid} | ${s.coldStartMs.toFixed(2)} ms | ${s.processColdStartMs.toFixed(1)} ms |`;
  }),
  `| @embedkit/validators-2025-04-15 (root entry, every validator; cold start only) | | | | ${median(rootCold).toFixed(2)} ms | |`,
  '',
  `generated vs Zod: ${ratios.validVsZod.toFixed(2)}x valid (target >= ${TARGETS.validVsZod}x: ${met.validVsZod ? 'met' : 'NOT met'}), ${ratios.invalidVsZod.toFixed(2)}x invalid (target >= ${TARGETS.invalidVsZod}x: ${met.invalidVsZod ? 'met' : 'NOT met'})`,
  `generated vs Ajv: ${ratios.validVsAjv.toFixed(2)}x valid, ${ratios.invalidVsAjv.toFixed(2)}x invalid`,
  `generated cold start (schemas/IdentityDocumentMetadata entry): ${e.coldStartMs.toFixed(2)} ms (target <= ${TARGETS.coldStartMs} ms: ${met.coldStart ? 'met' : 'NOT met'}); root entry: ${median(rootCold).toFixed(2)} ms (not the target)`,
  `import floors: a one-line module by bare package name and subpath, laid out like the validators package ${median(floorBare).toFixed(2)} ms; the same by file path ${median(floor).toFixed(2)} ms; so the generated module itself costs ${(e.coldStartMs - median(floorBare)).toFixed(2)} ms above the bare-name floor (root entry: ${(median(rootCold) - median(floorBare)).toFixed(2)} ms)`,
  `the same one-line module in a package without "exports" (bare name, "main" only): ${median(floorMain).toFixed(2)} ms, so Node's first "exports" resolution in a process costs ${(median(floorBare) - median(floorMain)).toFixed(2)} ms of the floor (including compiling, on first use, the regular expression its resolver checks every export target with)`,
  `after Node's loader has imported another package by name (not the target's measure; a running service's situation): generated entry ${median(embedkitWarm).toFixed(2)} ms, one-line floor package ${median(floorBareWarm).toFixed(2)} ms (medians of ${embedkitWarm.length})`,
  `machine load indicators in this run: bare node start (process start to script) ${median(bare).toFixed(1)} ms; Ajv's standalone code for the same schema, a .cjs file imported by path, ${median(standaloneCold).toFixed(2)} ms to its first result (the anchors list about 3 ms for Ajv standalone without saying how it was loaded)`,
];
console.log(lines.join('\n'));

const out = new URL('../../bench-results/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'validators.json'),
  `${JSON.stringify({ date: new Date().toISOString(), machine, rounds: ROUNDS, summary, ratios, targets: TARGETS, met, bareNodeMs: median(bare), importFloorMs: median(floor), importFloorBareMs: median(floorBare), importFloorNoExportsMs: median(floorMain), rootEntryColdStartMs: median(rootCold), warmLoaderColdStartMs: median(embedkitWarm), warmLoaderFloorMs: median(floorBareWarm), ajvStandaloneColdStartMs: median(standaloneCold) }, null, 2)}\n`,
);
if (!Object.values(met).every(Boolean)) process.exitCode = 1;
