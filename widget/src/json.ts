// JSON that survives a hostile host page.
//
// `JSON.stringify` calls a `toJSON` found on any object's prototype chain, and pages that load
// Prototype.js-style libraries patch `Array.prototype.toJSON`, which turns arrays into strings.
// So request bodies are encoded here, walking only own data: objects through `Object.keys`,
// arrays by index. Primitives still go through `JSON.stringify`, which never looks up
// `toJSON` on a primitive.

export type Json = null | boolean | number | string | readonly Json[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: Json;
}

export function encodeJson(value: Json): string {
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value === "number") return isFinite(value) ? String(value) : "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value as readonly Json[];
    let out = "";
    for (let i = 0; i < items.length; i++) out += (i ? "," : "") + encodeJson(items[i] ?? null);
    return "[" + out + "]";
  }
  const object = value as JsonObject;
  const keys = Object.keys(object);
  let out = "";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    out += (i ? "," : "") + JSON.stringify(key) + ":" + encodeJson(object[key] ?? null);
  }
  return "{" + out + "}";
}

/** Parses JSON text; `undefined` when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads an own property (of an object or function) only, so a polluted prototype never answers. */
export function own(value: unknown, key: string): unknown {
  if (!value || (typeof value !== "object" && typeof value !== "function")) return undefined;
  return Object.prototype.hasOwnProperty.call(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

export function ownString(value: unknown, key: string): string | undefined {
  const found = own(value, key);
  return typeof found === "string" ? found : undefined;
}

/** A prototype-free object with exactly the given entries. */
export function bare<T extends object>(fields: T): T {
  const out = Object.create(null) as T;
  const keys = Object.keys(fields) as (keyof T)[];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as keyof T;
    out[key] = fields[key];
  }
  return out;
}
