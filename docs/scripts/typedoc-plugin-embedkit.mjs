// A local TypeDoc plugin that gives the merged site (entryPointStrategy "packages") its structure:
// "Guides", "Runtime", "Sandbox", then one category per API version ("API 2025-04-15") holding
// that version's types, validators, signing and client packages, in that order.
//
// In packages mode TypeDoc merges one project per package under a root project that has no
// categories, and the navigation would then fold every `@embedkit/...` module into a single
// "@embedkit" folder. This plugin sets the root categories itself, on the revive event, before
// TypeDoc's own category plugin (which leaves a reflection alone once it has categories).
import { Application, ParameterType, ReflectionCategory, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.options.addDeclaration({
    name: 'embedkitCategories',
    help: '[embedkit] Ordered site categories: [{ "title": string, "description"?: string, "packages": string[] }]. Every project document goes to "Guides".',
    type: ParameterType.Mixed,
    defaultValue: [],
  });

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
      const placed = new Set();
      const categories = [];

      const guides = new ReflectionCategory('Guides');
      guides.description = [{ kind: 'text', text: 'How to use embedkit, step by step.' }];
      guides.children.push(...(project.documents ?? []));
      if (guides.children.length > 0) categories.push(guides);

      for (const { title, description, packages } of wanted) {
        if (title === 'Guides') continue;
        const category = new ReflectionCategory(title);
        if (description) category.description = [{ kind: 'text', text: description }];
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
