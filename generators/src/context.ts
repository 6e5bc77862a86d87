import type { GeneratorIdentity } from './version.js';

/**
 * Everything an emitter may depend on besides the model, resolved once and passed explicitly
 * (no module-level state anywhere in the generator).
 */
export interface GeneratorContext {
  /** Written into every header and into each package.json's `embedkit` field. */
  readonly generator: GeneratorIdentity;
  /**
   * Versions of already-published generated packages, by package name. Changesets owns the
   * `version` field of a generated package.json; the generator keeps whatever is on disk and
   * starts new packages at {@link GeneratorContext.initialVersion}.
   */
  readonly packageVersions: Readonly<Record<string, string>>;
  /** Version of a package generated for the first time. */
  readonly initialVersion: string;
  /** Exact pins the generated packages use for their external dependencies. */
  readonly pins: {
    readonly typescript: string;
  };
  /**
   * Set when the packages are generated for a project outside the embedkit repository
   * (`embedkit generate --standalone`): they then depend on the published `@embedkit/runtime`
   * (`^runtimeVersion`) instead of `workspace:*`, and their tsconfigs extend nothing.
   */
  readonly standalone?: { readonly runtimeVersion: string };
}

/** Builds the default context. `packageVersions` comes from disk (see the CLI). */
export function createContext(
  generator: GeneratorIdentity,
  packageVersions: Readonly<Record<string, string>> = {},
  standalone?: { readonly runtimeVersion: string },
): GeneratorContext {
  return { generator, packageVersions, initialVersion: '0.1.0', pins: { typescript: '5.9.3' }, ...(standalone === undefined ? {} : { standalone }) };
}
