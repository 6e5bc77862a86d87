import { readFileSync } from 'node:fs';

/** Name and version of this generator, as written into every emitted file's header. */
export interface GeneratorIdentity {
  readonly name: string;
  readonly version: string;
}

/**
 * Reads the generator's own name and version from its package.json (one level above both
 * `src/` and `dist/`, so this works from source in tests and from the build).
 */
export function readGeneratorIdentity(): GeneratorIdentity {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
  };
  return { name: pkg.name, version: pkg.version };
}
