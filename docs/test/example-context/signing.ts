// Free variables of the examples in a generated signing package's TSDoc and README
// (see scripts/examples.mjs). __API_VERSION__ becomes the package's API version.
declare const apiKey: string;
declare const apiSecret: string;
