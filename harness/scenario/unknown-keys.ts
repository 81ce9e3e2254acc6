import type { z } from 'zod';

/** zod v4's own description of a schema: what the walk below needs of it. */
interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
}
const defOf = (s: z.ZodType): SchemaDef => (s as unknown as { _zod: { def: SchemaDef } })._zod.def;

const forbidden = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Keys of `value` that `schema` does not know, at any depth, as field paths. zod's plain objects
 * strip unknown keys silently, so `--set steps=[{"rate":5,"duraton":"1m"}]` would run with the
 * default duration; this names "steps.0.duraton" instead. (zod has no option to make every
 * nested object strict after the fact, hence the walk.)
 */
export function unknownKeys(schema: z.ZodType, value: unknown, path: string[] = []): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return def.innerType ? unknownKeys(def.innerType, value, path) : [];
    case 'pipe':
      return def.in ? unknownKeys(def.in, value, path) : [];
    case 'array':
      return Array.isArray(value) && def.element
        ? value.flatMap((v, i) => unknownKeys(def.element!, v, [...path, String(i)]))
        : [];
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
      const shape = def.shape ?? {};
      return Object.keys(value).flatMap((k) =>
        !Object.hasOwn(shape, k) || forbidden.has(k)
          ? [[...path, k].join('.')]
          : unknownKeys(shape[k]!, (value as Record<string, unknown>)[k], [...path, k]),
      );
    }
    default:
      return [];
  }
}
