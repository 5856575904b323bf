/** True in development builds only; esbuild replaces it with `false` in the shipped bundle. */
declare const __DEV__: boolean;
/** The widget's version, from package.json. */
declare const __VERSION__: string;

/** `import css from "./styles.css"` gives the minified stylesheet text. */
declare module "*.css" {
  const css: string;
  export default css;
}
