// Free variables of the examples in a generated validators package's TSDoc and README
// (see scripts/examples.mjs). __API_VERSION__ becomes the package's API version.
/** A JSON text received from somewhere. */
declare const text: string;
/** A value of unknown shape. */
declare const input: unknown;
