// The local TypeDoc plugin of the embedkit site (loaded by build-site.mjs). TypeDoc's packages
// mode converts each package on its own and merges the results; this plugin makes the merged site
// read well:
//
// 1. Structure. The merged root has no categories (the navigation would fold every `@embedkit/...`
//    module into one "@embedkit" folder): set "Guides", "Runtime", "Sandbox", then one category
//    per API version ("API 2025-04-15": types, validators, signing, client), on the revive event,
//    before TypeDoc's own category plugin (which leaves a reflection alone once it has categories).
//    A package's main `exports` entry is folded into its module; other subpaths are named by their
//    import specifier (`@embedkit/runtime/node`).
// 2. Re-exports. A symbol one package re-exports from another documented package becomes a
//    "Re-exports X" link to its home page instead of a second, link-broken copy.
// 3. openapi-typescript output. `@description` becomes the summary; `@example US` (the spec's
//    example value) is shown as data; `components["schemas"]["X"]` types are shown on their named
//    alias and linked to it elsewhere, instead of being expanded on every page.
// 4. A TypeDoc inconsistency: "View Summary" links to hierarchy entries that the hierarchy page
//    does not render are dropped.
import {
  Application,
  Comment,
  CommentTag,
  Converter,
  DeclarationReflection,
  IndexEvent,
  makeRecursiveVisitor,
  ParameterType,
  ReferenceReflection,
  ReferenceType,
  ReflectionCategory,
  ReflectionKind,
  ReflectionType,
  Renderer,
  SignatureReflection,
} from 'typedoc';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { dataExampleLanguage } from './example-rules.mjs';
import { constraintsOf, deref, loadSpec, schemaAnchor, specVersions } from './site-pages.mjs';

/** The site category of a project document: its frontmatter `category`, "Guides" by default. */
function documentCategory(document) {
  const category = document.frontmatter?.category;
  return typeof category === 'string' && category !== '' ? category : 'Guides';
}

/**
 * Search weights of the project documents: readers search for answers ("retry", "Invalid nonce",
 * "tax_id"), which the guides and generated reference pages give, while a long page scores low in
 * lunr for any one word. The spec's own page would match every field name: it comes last.
 */
function documentBoost(document) {
  if (document.name.startsWith('OpenAPI spec')) return 0.3;
  return documentCategory(document) === 'Contributing' ? 2 : 40;
}

/**
 * The base forms of a document's words, as an extra search field. TypeDoc's search matches
 * `*word*` against the words as written (no stemming), so "migrate" would not find a guide that
 * says "migrating" or "migration". Rough English rules; an extra form that is not a word is harmless.
 */
export function wordForms(text) {
  const forms = new Set();
  for (const word of text.toLowerCase().match(/[a-z]{5,}/g) ?? []) {
    if (word.endsWith('ing')) forms.add(`${word.slice(0, -3)}e`);
    if (/[st]ion$/.test(word)) forms.add(`${word.slice(0, -3)}e`);
    if (word.endsWith('ies')) forms.add(`${word.slice(0, -3)}y`);
    if (word.endsWith('ied')) forms.add(`${word.slice(0, -3)}y`);
  }
  return [...forms].join(' ');
}

/**
 * Search labels: TypeDoc labels a field of an inline object type with its parent's full name,
 * which includes the anonymous type (`TaxIdDocumentVerification.__type.tax_id`). Drop that part.
 */
function cleanSearchLabels(outputDirectory) {
  const file = join(outputDirectory, 'assets', 'search.js');
  const source = readFileSync(file, 'utf8');
  const match = /^window\.searchData = "([^"]*)";\s*$/.exec(source);
  if (!match) throw new Error(`[embedkit] ${file} is not in the expected format (window.searchData = "...")`);
  const data = JSON.parse(inflateSync(Buffer.from(match[1], 'base64')).toString('utf8'));
  for (const row of data.rows) {
    if (typeof row.parent === 'string') row.parent = row.parent.split('.').filter((part) => part !== '__type').join('.') || undefined;
  }
  const packed = deflateSync(Buffer.from(JSON.stringify(data))).toString('base64');
  writeFileSync(file, `window.searchData = "${packed}";`);
}

const FENCED_TS = /^```ts\n([\s\S]*)\n```$/;

/**
 * Comments as openapi-typescript writes them into the generated types: the spec's description in
 * a `@description` tag (JSDoc style) becomes the summary, and an `@example` holding the spec's
 * example value (data, not code; see example-rules.mjs) is shown as JSON or text.
 * @param {import('typedoc').Comment} comment
 */
function normalizeComment(comment) {
  const description = comment.getTag('@description');
  if (description) {
    comment.summary = comment.summary.length > 0 ? [...comment.summary, { kind: 'text', text: '\n\n' }, ...description.content] : description.content;
    comment.removeTags('@description');
  }
  for (const tag of comment.blockTags) {
    if (tag.tag !== '@example' || tag.content.length !== 1 || tag.content[0]?.kind !== 'code') continue;
    // A multi-line example on a deeply nested member (the `components` interface) keeps its JSDoc
    // line prefixes (`     *   "verifier": ...`): strip them, and re-indent JSON.
    if (/\n[ \t]*\*/.test(tag.content[0].text)) tag.content[0].text = stripStarPrefixes(tag.content[0].text);
    const match = FENCED_TS.exec(tag.content[0].text);
    const language = match ? dataExampleLanguage(match[1] ?? '') : undefined;
    if (match && language) tag.content = [{ kind: 'code', text: `\`\`\`${language}\n${match[1]}\n\`\`\`` }];
  }
}

/** Removes JSDoc `*` line prefixes left in a fenced example; JSON is pretty-printed again. */
function stripStarPrefixes(fenced) {
  const match = /^(```[^\n]*\n)([\s\S]*)(\n```)$/.exec(fenced);
  if (!match) return fenced;
  const body = (match[2] ?? '').replace(/\n[ \t]*\*(?: |(?=\n|$))?/g, '\n');
  try {
    return `${match[1]}${JSON.stringify(JSON.parse(body), null, 2)}${match[3]}`;
  } catch {
    return `${match[1]}${body}${match[3]}`;
  }
}

/**
 * Pages that only add noise: openapi-typescript's empty `$defs` and `webhooks` (while the spec has
 * none), and the "Re-exports X" rows a package gets for every name it re-exports from another
 * documented package (the client re-exports its types package and the runtime's errors: 84 rows).
 * The references are replaced by one sentence that links each package re-exported from.
 */
function removeNoise(project, modules) {
  const topModuleOf = (reflection) => {
    let current = reflection;
    while (current.parent && current.parent !== project) current = current.parent;
    return current;
  };
  for (const module of modules.values()) {
    for (const child of [...(module.children ?? [])]) {
      if ((child.name === '$defs' || child.name === 'webhooks') && child.kindOf(ReflectionKind.TypeAlias) && child.type?.toString() === 'Record<string, never>') {
        project.removeReflection(child);
        // The revived module's groups still list it: let TypeDoc group the module again.
        delete module.groups;
        delete module.categories;
      }
    }
  }
  for (const module of modules.values()) {
    /** @type {Map<DeclarationReflection, number>} home module -> how many names re-exported from it */
    const from = new Map();
    for (const child of [...(module.children ?? [])]) {
      if (!(child instanceof ReferenceReflection)) continue;
      const target = child.tryGetTargetReflectionDeep();
      const home = target ? topModuleOf(target) : undefined;
      if (!home || home === module) continue;
      from.set(home, (from.get(home) ?? 0) + 1);
      project.removeReflection(child);
    }
    if (from.size === 0) continue;
    delete module.groups;
    delete module.categories;
    const parts = [{ kind: 'text', text: '\n\nAlso re-exports, under the same names: ' }];
    [...from].forEach(([home, count], i) => {
      if (i > 0) parts.push({ kind: 'text', text: i === from.size - 1 ? ' and ' : ', ' });
      parts.push({ kind: 'text', text: `${count} name${count === 1 ? '' : 's'} from ` }, { kind: 'inline-tag', tag: '@link', text: home.name, target: home });
    });
    parts.push({ kind: 'text', text: '.' });
    if (module.comment) module.comment.summary.push(...parts);
  }
}

/**
 * A union of many string literals (262 country codes) is printed one value per line, a page
 * thousands of pixels tall: print such a run of values as wrapping text instead.
 */
const LONG_LITERAL_RUN = /(?:<br\/>\s*<span class="tsd-signature-symbol">\|<\/span> <span class="tsd-signature-type">&quot;[^&<]*&quot;<\/span>){20,}/g;
function compactLongUnions(html) {
  return html.replace(LONG_LITERAL_RUN, (run) => {
    const values = run.replace(/<br\/>\s*/g, ' ').trim();
    return ` <span class="embedkit-long-union">${values}</span>`;
  });
}

/**
 * Field pages that answer questions: each field of a type named after a spec schema gets, from the
 * spec, its description (the field's own, else its schema's), its rules in words (format, length,
 * enum values, pattern) and an example (the field's, its schema's, or the value in the object's
 * example). openapi-typescript writes only a `$ref`'d field's type, so `verified_at` would show as
 * a bare `DateTime`.
 */
function describeFields(typesModule, spec) {
  const schemas = spec.components?.schemas ?? {};
  for (const alias of typesModule.getChildrenByKind(ReflectionKind.TypeAlias)) {
    const schema = schemas[alias.name];
    if (!schema || !(alias.type instanceof ReflectionType)) continue;
    const example = deref(spec, schema)?.example;
    for (const field of alias.type.declaration.children ?? []) {
      const node = schema.properties?.[field.name];
      if (!node) continue;
      const resolved = deref(spec, node) ?? {};
      const comment = field.comment ?? new Comment();
      if (comment.summary.length === 0 && resolved.description) comment.summary = [{ kind: 'text', text: resolved.description.trim() }];
      const rules = constraintsOf(spec, node, undefined);
      if (rules && rules !== resolved.type) comment.summary.push({ kind: 'text', text: `\n\n**Rules:** ${rules}.` });
      const value = example && typeof example === 'object' ? example[field.name] : undefined;
      const shown = value !== undefined ? value : resolved.example;
      if (shown !== undefined && !comment.getTag('@example')) {
        comment.blockTags.push(new CommentTag('@example', [{ kind: 'code', text: `\`\`\`json\n${JSON.stringify(shown, null, 2)}\n\`\`\`` }]));
      }
      field.comment = comment;
    }
  }
}

/**
 * The generated packages' READMEs open with a box for contributors ("This package is generated...
 * run pnpm generate"). Readers of the site install the package; fold that box into a one-line
 * note they can open. (The README text itself is the generator's: emitters/common.ts.)
 */
const GENERATED_BOX = /<blockquote>\s*<p><strong>This package is generated\.<\/strong>([\s\S]*?)<\/p>\s*<\/blockquote>/;
function foldGeneratedBox(html) {
  return html.replace(
    GENERATED_BOX,
    (_, text) => `<details class="embedkit-generated-note"><summary>Generated from the spec: how this package is made</summary><p>${text.trim()}</p></details>`,
  );
}

/** Every reflection below `root` (itself included), by its name path relative to `root`. */
function descendantsByPath(root) {
  const out = new Map();
  const walk = (reflection, path) => {
    out.set(path, reflection);
    reflection.traverse((child) => {
      walk(child, `${path}/${child.name}`);
      return true;
    });
  };
  walk(root, '');
  return out;
}

/** Every reference type in the project, found through each registered reflection's own type fields. */
function allReferenceTypes(project) {
  const found = [];
  const visitor = makeRecursiveVisitor({ reference: (type) => void found.push(type) });
  const visit = (type) => type?.visit(visitor);
  for (const reflection of Object.values(project.reflections)) {
    visit(reflection.type);
    visit(reflection.default);
    if (reflection instanceof DeclarationReflection || reflection instanceof SignatureReflection) {
      visit(reflection.overwrites);
      visit(reflection.inheritedFrom);
      visit(reflection.implementationOf);
    }
    if (reflection instanceof DeclarationReflection) {
      for (const list of [reflection.extendedTypes, reflection.extendedBy, reflection.implementedTypes, reflection.implementedBy]) {
        for (const type of list ?? []) visit(type);
      }
    }
  }
  return found;
}

/**
 * In packages mode each package is converted on its own, so a symbol that one documented package
 * re-exports from another (the generated packages re-export the runtime's `ValidationIssue`,
 * the client re-exports every type of its types package) is documented twice, and the copy's
 * `{@link}`s to its home package's names cannot resolve. Replace each copy with a reference
 * ("Re-exports X") to the original, and point the types that named the copy at the original.
 */
function linkReExports(project, modules, logger) {
  const topModuleOf = (reflection) => {
    let current = reflection;
    while (current.parent && current.parent !== project) current = current.parent;
    return current;
  };
  /** @type {Map<number, number>} id of a removed copy (or of one of its members) -> id of the original */
  const retarget = new Map();
  for (const [packageName, module] of modules) {
    const exportsOf = (container) => (container.children ?? []).flatMap((child) => (child.kindOf(ReflectionKind.Module) ? exportsOf(child) : [child]));
    for (const copy of exportsOf(module)) {
      if (copy instanceof ReferenceReflection) continue;
      const symbolId = project.getSymbolIdFromReflection(copy);
      if (!symbolId || symbolId.packageName === packageName || !modules.has(symbolId.packageName)) continue;
      const home = modules.get(symbolId.packageName);
      const original = project.getReflectionsFromSymbolId(symbolId).find((r) => r !== copy && topModuleOf(r) === home && !(r instanceof ReferenceReflection));
      if (!original) {
        logger.verbose(`[embedkit] ${packageName} re-exports ${copy.name}, which ${symbolId.packageName} does not document itself: kept as is`);
        continue;
      }
      const originals = descendantsByPath(original);
      for (const [path, member] of descendantsByPath(copy)) {
        const match = originals.get(path);
        if (match) retarget.set(member.id, match.id);
      }
      const parent = copy.parent;
      const name = copy.name;
      project.removeReflection(copy);
      const reference = new ReferenceReflection(name, original, parent);
      project.registerReflection(reference, undefined, undefined);
      parent.addChild(reference);
      delete parent.groups;
      delete parent.categories;
    }
  }
  if (retarget.size === 0) return;
  for (const type of allReferenceTypes(project)) {
    // ReferenceType keeps its resolved target id in `_target` (no public setter).
    const target = retarget.get(type._target);
    if (typeof type._target === 'number' && target !== undefined) type._target = target;
  }
}


/** Follows `components["schemas"]["CountryCode"]` through the reflections to the member's type. */
function resolveIndexedAccess(type, depth = 0) {
  if (!type || depth > 8) return undefined;
  if (type.type === 'indexedAccess') {
    const container = resolveIndexedAccess(type.objectType, depth + 1);
    const key = type.indexType.type === 'literal' ? String(type.indexType.value) : undefined;
    const holder = container instanceof ReflectionType ? container.declaration : container instanceof DeclarationReflection ? container : undefined;
    const member = key === undefined ? undefined : holder?.getChildByName([key]);
    return member?.type;
  }
  if (type.type === 'reference') {
    const target = type.reflection;
    // `SubmitVerificationResponse["result"]`: an alias of an indexed access, followed further.
    return target?.kindOf(ReflectionKind.TypeAlias) ? resolveIndexedAccess(target.type, depth + 1) : target;
  }
  return type;
}

/** Applies `replace` to a type and to the types nested in it; returns the (possibly new) type. */
function mapType(type, replace) {
  if (!type) return type;
  const replaced = replace(type);
  if (replaced !== type) return replaced;
  switch (type.type) {
    case 'union':
    case 'intersection':
      type.types = type.types.map((t) => mapType(t, replace));
      break;
    case 'array':
    case 'optional':
    case 'rest':
      type.elementType = mapType(type.elementType, replace);
      break;
    case 'tuple':
      type.elements = type.elements.map((t) => mapType(t, replace));
      break;
    case 'namedTupleMember':
      type.element = mapType(type.element, replace);
      break;
    case 'typeOperator':
      type.target = mapType(type.target, replace);
      break;
    case 'reference':
      if (type.typeArguments) type.typeArguments = type.typeArguments.map((t) => mapType(t, replace));
      break;
  }
  return type;
}

/**
 * A structural key of a type: its printed form, except that an object literal is keyed by its
 * members (TypeDoc prints every object literal as "Object"). `undefined` for types too small to
 * be worth a link (fewer than three union members, or a type without structure such as `string`).
 */
function structuralKey(type, keyOfAlias = new Map(), depth = 0) {
  if (!type || depth > 12) return undefined;
  // A link to an alias (made by linkAliasedTypes) stands for the alias's structure, so keys do not
  // change while inline types are being replaced by links.
  const inner = (t) => (t?.type === 'reference' && keyOfAlias.get(t.reflection)) || structuralKey(t, keyOfAlias, depth + 1) || t?.toString();
  if (type instanceof ReflectionType) {
    const members = (type.declaration.children ?? []).map((c) => `${c.name}${c.flags.isOptional ? '?' : ''}:${inner(c.type)}`);
    const signatures = (type.declaration.signatures ?? []).map((sig) => sig.toString());
    if (members.length === 0 && signatures.length === 0) return undefined;
    return `{${[...members, ...signatures].join(';')}}`;
  }
  if (type.type === 'union') return type.types.length >= 3 || type.types.some((t) => t instanceof ReflectionType) ? type.types.map(inner).join('|') : undefined;
  if (type.type === 'intersection') return type.types.map(inner).join('&');
  return undefined;
}

/**
 * openapi-typescript writes every reference to a schema as `components["schemas"]["X"]`, which
 * TypeDoc resolves to the whole type wherever it is used: the 262 country codes would be printed
 * on every page that mentions a country, and each named alias (`IdentityDocumentMetadata`) would
 * only show `components["schemas"]["IdentityDocumentMetadata"]`. Within one API version:
 * - each alias of `components["schemas"]["X"]` shows the type itself (its fields or its values);
 * - wherever that same type appears inline, it is shown as a link to the alias.
 */
function linkAliasedTypes(project, moduleGroups) {
  for (const group of moduleGroups) {
    const under = new Set(group);
    const inGroup = (reflection) => {
      let current = reflection;
      while (current.parent && current.parent !== project) current = current.parent;
      return under.has(current);
    };
    /** @type {Map<string, DeclarationReflection | null>} structural key -> alias (null when ambiguous) */
    const aliases = new Map();
    /** @type {Map<DeclarationReflection, string>} */
    const keyOfAlias = new Map();
    const adopted = [];
    for (const module of group) {
      for (const alias of module.getChildrenByKind(ReflectionKind.TypeAlias)) {
        if (alias.type?.type !== 'indexedAccess') continue;
        const resolved = resolveIndexedAccess(alias.type);
        const key = structuralKey(resolved);
        if (!key) continue;
        adopted.push({ alias, resolved, key });
        keyOfAlias.set(alias, key);
      }
    }
    // Shortest (most general) name first: `SubmitVerificationResult` before `...FromUrlsResult`.
    adopted.sort((a, b) => a.alias.name.length - b.alias.name.length || (a.alias.name < b.alias.name ? -1 : 1));
    /** @type {Map<string, Set<unknown>>} key -> the distinct resolved types that have it */
    const sources = new Map();
    for (const { alias, resolved, key } of adopted) {
      if (!sources.has(key)) sources.set(key, new Set());
      sources.get(key).add(resolved);
      if (!aliases.has(key)) aliases.set(key, alias);
    }
    // A key shared by different schemas (not just several aliases of one) is ambiguous: no links.
    for (const [key, types] of sources) if (types.size > 1) aliases.set(key, null);
    // The alias's page shows the type itself; an object literal moves under the alias (so its
    // fields' anchors are on the alias's page), as if the alias had been declared with it. Two
    // aliases of the very same schema (`SubmitVerificationResult`, `SubmitVerificationFromUrlsResult`)
    // cannot both own it: the second shows a link to the first.
    const owner = new Map();
    for (const { alias, resolved } of adopted) {
      const first = owner.get(resolved);
      if (first) {
        alias.type = ReferenceType.createResolvedReference(first.name, first, project);
        continue;
      }
      owner.set(resolved, alias);
      if (resolved instanceof ReflectionType) resolved.declaration.parent = alias;
      alias.type = resolved;
    }
    if (aliases.size === 0) continue;
    const replace = (type) => {
      const key = structuralKey(type, keyOfAlias);
      const alias = key === undefined ? undefined : aliases.get(key);
      return alias ? ReferenceType.createResolvedReference(alias.name, alias, project) : type;
    };
    for (const reflection of Object.values(project.reflections)) {
      if (!inGroup(reflection) || !reflection.type) continue;
      if (reflection.kindOf(ReflectionKind.TypeAlias) && keyOfAlias.has(reflection)) {
        // An alias keeps its own type; only the types inside it become links.
        if (reflection.type.type === 'union' || reflection.type.type === 'intersection') {
          reflection.type.types = reflection.type.types.map((t) => mapType(t, replace));
        }
        continue;
      }
      reflection.type = mapType(reflection.type, replace);
    }
  }
}


/**
 * The entries the hierarchy page (hierarchy.html) renders: TypeDoc's own rule, the trees rooted
 * at a class or interface that has subtypes and no documented base type.
 */
function hierarchyPageIds(project) {
  const roots = project.getReflectionsByKind(ReflectionKind.ClassOrInterface).filter((refl) => {
    if (!refl.implementedBy && !refl.extendedBy) return false;
    const bases = [...(refl.implementedTypes ?? []), ...(refl.extendedTypes ?? [])];
    return bases.every((type) => !type.visit({ reference: (ref) => ref.reflection !== undefined }));
  });
  const ids = new Set();
  const seen = new Set();
  const walk = (reflection) => {
    if (seen.has(reflection)) return;
    seen.add(reflection);
    ids.add(reflection.getFullName());
    for (const sub of [...(reflection.implementedBy ?? []), ...(reflection.extendedBy ?? [])]) {
      if (sub.reflection) walk(sub.reflection);
    }
  };
  for (const root of roots) walk(root);
  return ids;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.options.addDeclaration({
    name: 'embedkitCategories',
    help: '[embedkit] Ordered site categories: [{ "title": string, "description"?: string, "packages": string[] }]. Every project document goes to "Guides".',
    type: ParameterType.Mixed,
    defaultValue: [],
  });

  // Each package is converted on its own before the merge: normalize its comments then.
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const reflection of Object.values(context.project.reflections)) {
      if (reflection.comment) normalizeComment(reflection.comment);
    }
  });

  // TypeDoc links "Hierarchy (View Summary)" to hierarchy.html#<name> whenever a type has a linked
  // base type, but the hierarchy page only lists trees rooted at a class or interface: an
  // interface extending a type alias (`NodeFetch extends FetchLike`) gets a link to an entry that
  // does not exist. Drop exactly those links.
  let hierarchyIds = new Set();
  app.renderer.on(Renderer.EVENT_BEGIN, (event) => {
    hierarchyIds = hierarchyPageIds(event.project);
  });
  app.renderer.on(Renderer.EVENT_END_PAGE, (page) => {
    if (!page.contents?.includes('hierarchy.html#')) return;
    page.contents = page.contents.replace(/ \(<a href="[^"]*hierarchy\.html#([^"]+)">[^<]*<\/a>\)/g, (link, id) => (hierarchyIds.has(id) ? link : ''));
  });

  // The generated packages end their TSDoc with "See: The spec, `#/components/schemas/X`." Link
  // that to the schema's section on the version's spec page (a generated project document).
  /** @type {Map<string, string>} API version -> site URL of its spec page */
  let specPages = new Map();
  app.renderer.on(Renderer.EVENT_BEGIN, (event) => {
    specPages = new Map();
    for (const document of event.project.documents ?? []) {
      const version = /^OpenAPI spec \((.+)\)$/.exec(document.name)?.[1];
      if (version) specPages.set(version, app.renderer.router.getFullUrl(document));
    }
  });
  app.renderer.on(Renderer.EVENT_END_PAGE, (page) => {
    if (page.contents?.includes('&quot;</span><br/>')) page.contents = compactLongUnions(page.contents);
    if (page.contents?.includes('<strong>This package is generated.</strong>')) page.contents = foldGeneratedBox(page.contents);
  });
  app.renderer.on(Renderer.EVENT_END_PAGE, (page) => {
    if (!page.contents?.includes('The spec, <code>#/components/schemas/')) return;
    const version = /-(\d{4}-\d{2}-\d{2})/.exec(page.url)?.[1];
    const target = version ? specPages.get(version) : undefined;
    if (!target) return;
    const href = posix.relative(posix.dirname(page.url), target);
    page.contents = page.contents.replace(
      /The spec, <code>#\/components\/schemas\/([A-Za-z0-9_.-]+)<\/code>/g,
      (_, name) => `<a href="${href}#${schemaAnchor(name)}">The spec, <code>#/components/schemas/${name}</code></a>`,
    );
  });

  app.renderer.on(IndexEvent.PREPARE_INDEX, (event) => {
    event.searchFieldWeights.wordForms = 1;
    // A word in a section heading ("How the client retries") says more than one in the text.
    event.searchFieldWeights.headings = 5;
    event.searchResults.forEach((reflection, i) => {
      if (!reflection.isDocument()) return;
      const text = reflection.content.map((part) => part.text).join('');
      const headings = (text.match(/^#{1,4} .+$/gm) ?? []).map((line) => line.replace(/^#+ /, '')).join('\n');
      event.searchFields[i] = { ...event.searchFields[i], wordForms: wordForms(text), headings };
    });
  });

  // Synchronous: TypeDoc does not wait for an END listener's promise.
  app.renderer.on(Renderer.EVENT_END, (event) => cleanSearchLabels(event.outputDirectory));

  app.on(
    Application.EVENT_PROJECT_REVIVE,
    (project) => {
      /** @type {{ title: string, description?: string, packages: string[] }[]} */
      const wanted = app.options.getValue('embedkitCategories');
      if (!Array.isArray(wanted) || wanted.length === 0) {
        app.logger.error('[embedkit] embedkitCategories is empty: the site would have no structure.');
        return;
      }
      const modules = new Map((project.children ?? []).map((child) => [child.name, child]));
      // A package with several `exports` subpaths (`.`, `./node`) becomes one sub-module per
      // subpath, named "" and "node". Fold the main entry point into the package module, so its
      // exports are the package's own (and `{@link "@embedkit/runtime".computeApiSign}` resolves),
      // and name the other sub-modules by their import specifier (`@embedkit/runtime/node`).
      for (const [packageName, module] of modules) {
        const subModules = (module.children ?? []).filter((child) => child.kindOf(ReflectionKind.Module));
        const main = subModules.find((child) => child.name === '' || child.name === 'index');
        if (main) {
          if (!module.hasComment() && main.comment) module.comment = main.comment;
          project.mergeReflections(main, module);
        }
        for (const child of subModules) {
          if (child !== main) child.name = `${packageName}/${child.name}`;
        }
      }
      linkReExports(project, modules, app.logger);
      removeNoise(project, modules);
      linkAliasedTypes(
        project,
        wanted.filter((c) => c.title.startsWith('API ')).map((c) => c.packages.map((name) => modules.get(name)).filter(Boolean)),
      );
      // After linkAliasedTypes: each schema's alias now holds its fields.
      for (const { version, specPath } of specVersions()) {
        const typesModule = modules.get(`@embedkit/types-${version}`);
        if (typesModule) describeFields(typesModule, loadSpec(specPath));
      }

      const placed = new Set();
      const categories = [];

      const documents = project.documents ?? [];
      for (const document of documents) document.relevanceBoost = documentBoost(document);
      const documentsIn = (title) => documents.filter((d) => documentCategory(d) === title);
      const guides = new ReflectionCategory('Guides');
      guides.description = [{ kind: 'text', text: 'How to use embedkit, step by step.' }];
      guides.children.push(...documentsIn('Guides'));
      if (guides.children.length > 0) categories.push(guides);

      for (const { title, description, packages } of wanted) {
        if (title === 'Guides' || title === 'Contributing') continue;
        const category = new ReflectionCategory(title);
        if (description) category.description = [{ kind: 'text', text: description }];
        // An API version's reference pages (operations, verification types, the spec, migration
        // notes) come first in its category, before its packages.
        category.children.push(...documentsIn(title));
        for (const name of packages) {
          const module = modules.get(name);
          if (!module) {
            app.logger.error(`[embedkit] Package ${name} (category ${title}) is not in the converted project.`);
            continue;
          }
          category.children.push(module);
          placed.add(name);
        }
        if (category.children.length > 0) categories.push(category);
      }
      const contributing = new ReflectionCategory('Contributing');
      contributing.description = [{ kind: 'text', text: 'For people working on embedkit itself.' }];
      contributing.children.push(...documentsIn('Contributing'));
      if (contributing.children.length > 0) categories.push(contributing);
      const known = new Set(categories.map((c) => c.title));
      for (const document of documents) {
        if (!known.has(documentCategory(document))) app.logger.error(`[embedkit] Document "${document.name}" names an unknown category "${documentCategory(document)}".`);
      }
      for (const name of modules.keys()) {
        if (!placed.has(name)) app.logger.error(`[embedkit] Module ${name} belongs to no site category.`);
      }
      project.categories = categories;
    },
    // After TypeDoc's @mergeModuleWith handling (10000); before its category (0), group (-100)
    // and link resolution (-300) revive handlers.
    100,
  );
}
