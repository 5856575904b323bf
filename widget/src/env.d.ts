/** True in development builds only; esbuild replaces it with `false` in the shipped bundle. */
declare const __DEV__: boolean;
/** The widget's version, from package.json. */
declare const __VERSION__: string;
/** The build of the widget's sources (a hash): the key of the modules the core lends the panel. */
declare const __LIB__: string;

/** `import css from "./panel.css"` gives the minified stylesheet text. */
declare module "*.css" {
  const css: string;
  export default css;
}
