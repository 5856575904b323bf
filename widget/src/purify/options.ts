// DOMPurify's options for the one sanitizer's policies (../markdown.ts): markdown's allow-lists
// and, once KaTeX is here, the math policy's (../math/policy.ts). They come with DOMPurify in the
// purify chunk, which only browsers without the HTML Sanitizer API load; `walk` in markdown.ts
// applies the whole policy again to what DOMPurify leaves.

import { bare } from "../json";
import type { MathPolicy } from "../math/types";
import type { PurifyOptions } from "./types";

const FORBID_TAGS = [
  "base",
  "button",
  "embed",
  "form",
  "iframe",
  "link",
  "math",
  "meta",
  "noscript",
  "object",
  "option",
  "script",
  "select",
  "style",
  "svg",
  "template",
  "textarea",
];
const FORBID_ATTR = ["style", "id", "name", "srcset", "action", "formaction", "xlink:href"];
/** A first filter only; markdown.ts's `checkUrl` has the final word. */
const URI_PATTERN =
  /^(?:(?:https?|mailto):|data:image\/(?:png|jpeg|gif|webp)[;,]|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

/** Markdown's options (its allowed `tags` and `attributes`), or with `math` the math policy's. */
export function options(
  tags: readonly string[],
  attributes: readonly string[],
  math?: MathPolicy,
): PurifyOptions {
  const markdown = bare({
    ALLOWED_TAGS: tags.slice(),
    ALLOWED_ATTR: attributes.slice(),
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOWED_URI_REGEXP: URI_PATTERN,
    ALLOW_ARIA_ATTR: false,
    ALLOW_DATA_ATTR: false,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    ALLOW_SELF_CLOSE_IN_ATTR: false,
    SAFE_FOR_TEMPLATES: false,
    SAFE_FOR_XML: true,
    WHOLE_DOCUMENT: false,
    FORCE_BODY: false,
    IN_PLACE: false,
    KEEP_CONTENT: true,
    SANITIZE_DOM: true,
    SANITIZE_NAMED_PROPS: false,
    USE_PROFILES: false as const,
    PARSER_MEDIA_TYPE: "text/html" as const,
    NAMESPACE: "http://www.w3.org/1999/xhtml",
    RETURN_DOM: true,
    RETURN_DOM_FRAGMENT: true as const,
    RETURN_TRUSTED_TYPE: false,
  });
  if (!math) return markdown;
  return bare({
    ...markdown,
    ALLOWED_TAGS: math.tags.slice(),
    ALLOWED_ATTR: math.attributes.slice(),
    FORBID_TAGS: FORBID_TAGS.filter((tag) => tag !== "math" && tag !== "svg"),
    FORBID_ATTR: math.forbidAttributes.slice(),
    // Not a URL: the math policy reads it, so DOMPurify's URL test of values must not drop it.
    ADD_URI_SAFE_ATTR: ["cb-style"],
  });
}
