/** True in development builds only; esbuild replaces it with `false` in the shipped bundle. */
declare const __DEV__: boolean;
/** The widget's version, from package.json. */
declare const __VERSION__: string;
/** A hash of the code the core lends the panel (shell/lent.ts and what it bundles): its key. */
declare const __LIB__: string;

/** `import css from "./panel.css"` gives the minified stylesheet text. */
declare module "*.css" {
  const css: string;
  export default css;
}
