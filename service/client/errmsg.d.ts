// The client's public types (hand-written; the data-derived ones are generated:
// codes.d.ts from the registry, openapi.d.ts from /openapi.json by openapi-typescript).
import type { components } from "./openapi.js";
import type { ErrorCode, ErrorParams } from "./codes.js";

export type { CategoryId, ErrorCode, ErrorParams, ErrorResources, LanguageTag } from "./codes.js";

/** `GET /errors/<code>` as the service sends it. */
export type ApiEntry = components["schemas"]["Entry"];
/** An RFC 9457 problem, as the service sends it. */
export type Problem = components["schemas"]["Problem"];

/** What `explain` resolves to. */
export interface ErrorEntry<C extends ErrorCode = ErrorCode> {
  code: C;
  /** The language the entry is in (BCP 47). */
  lang: string;
  meaning: string;
  resolution: string;
  /** Where the resolution links to, already localized; null when it links nowhere. */
  helpUrl: string | null;
  /** Fields whose text came from another language, and that language ({} when none). */
  fallback: Partial<Record<"meaning" | "resolution", string>>;
}

type ParamsOption<C extends ErrorCode> = [ErrorParams[C]] extends [never]
  ? { params?: never }
  : { params?: ErrorParams[C] };

/** Options of `explain`; `params` takes exactly the code's own placeholders, as numbers. */
export type ExplainOptions<C extends ErrorCode> = ParamsOption<C> & {
  /** A language tag, or several in preference order; default: `navigator.languages`. */
  lang?: string | readonly string[];
  /** The service or the static export; default: the folder above the module's `client/`. */
  baseUrl?: string | URL;
  /** An injected `fetch` (tests, server-side rendering); default: the global one. */
  fetch?: typeof globalThis.fetch;
};

/** A failure the service (or the export's host) reported; `problem` is its problem+json. */
export declare class ProblemError extends Error {
  readonly name: "ProblemError";
  readonly problem: Problem;
  readonly status: number;
  readonly type: string;
  constructor(problem: Problem);
}

/** The meaning, resolution and help link of `code` in the user's language. */
export declare function explain<C extends ErrorCode>(code: C, options?: ExplainOptions<C>): Promise<ErrorEntry<C>>;

/** Fetch and cache one language's bundle ahead of time (the same options as `explain`). */
export declare function prefetch(options?: Omit<ExplainOptions<ErrorCode>, "params">): Promise<string>;
