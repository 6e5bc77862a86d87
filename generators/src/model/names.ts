/**
 * Naming rules shared by the model and the emitters.
 *
 * @module
 */

/** `submitVerification` / `submit_verification` / `submit-verification` -> `SubmitVerification`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** `repos/get-content` / `Get_Content` -> `reposGetContent` / `getContent`. */
export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal === '' ? '' : pascal[0]!.toLowerCase() + pascal.slice(1);
}

/** A naive English singular, good enough for resource groups: `verifications` -> `verification`. */
export function singular(word: string): string {
  if (/ies$/.test(word)) return word.replace(/ies$/, 'y');
  if (/(ss|x|ch|sh)es$/.test(word)) return word.replace(/es$/, '');
  if (/s$/.test(word) && !/ss$/.test(word)) return word.replace(/s$/, '');
  return word;
}

/** True for a name usable as a TypeScript identifier. */
export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

/** The generated package names of an API version. */
export interface PackageNames {
  readonly types: string;
  readonly validators: string;
  readonly signing: string;
  readonly client: string;
}

/** The four artifacts, in dependency order, with their folder names. */
export const ARTIFACTS = ['types', 'validators', 'signing', 'client'] as const;
export type Artifact = (typeof ARTIFACTS)[number];

/** The artifacts generated for a spec: the signing package only where `x-embed-signature` declares signing. */
export function artifactsOf(model: { readonly signature?: unknown }): readonly Artifact[] {
  return model.signature === undefined ? ARTIFACTS.filter((a) => a !== 'signing') : ARTIFACTS;
}

/** `@embedkit/<artifact>-<apiVersion>` for each artifact. */
export function packageNames(apiVersion: string): PackageNames {
  return {
    types: `@embedkit/types-${apiVersion}`,
    validators: `@embedkit/validators-${apiVersion}`,
    signing: `@embedkit/signing-${apiVersion}`,
    client: `@embedkit/client-${apiVersion}`,
  };
}

/** The validator function names the validators package exports for a named schema. */
export function validatorNames(schemaName: string): { validate: string; is: string; schema: string } {
  return { validate: `validate${schemaName}`, is: `is${schemaName}`, schema: `${schemaName}Schema` };
}

/**
 * Names the generated validators modules declare besides the per-schema exports: the type
 * namespace `T`. Helpers live in the package's `support` module and are named so that no
 * `validateX`, `isX` or `XSchema` can equal one (checked by the validators emitter's tests).
 */
export const RESERVED_VALIDATOR_NAMES: readonly string[] = ['T'];

/** Names the types package declares besides the schemas; a schema may not take them. */
export const RESERVED_TYPE_NAMES: readonly string[] = ['FileInput', 'paths', 'components', 'operations', 'webhooks', '$defs'];
