// The client's public types (hand-written; the data-derived ones are generated:
// codes.d.ts from the registry, openapi.d.ts from /openapi.json by openapi-typescript).
import type { components } from "./openapi.js";
import type { CategoryId, ErrorCode, ErrorParams } from "./codes.js";

export type { CategoryId, ErrorCode, ErrorParams, ErrorResources, LanguageTag } from "./codes.js";

/** `GET /errors/<code>` as the service sends it. */
export type ApiEntry = components["schemas"]["Entry"];
/** An RFC 9457 problem, as the service sends it. */
export type Problem = components["schemas"]["Problem"];

/** A storage for the kept copies, such as `localStorage` (the default in browsers). */
export interface ErrmsgStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
}

/** What `explain` resolves to. */
export interface ErrorEntry<C extends ErrorCode = ErrorCode> {
  code: C;
  /** The language the entry is in (BCP 47): put it in `lang` of the element that shows it. */
  lang: string;
  /** The text direction of `lang`: put it in `dir` of the element that shows it. */
  dir: "ltr" | "rtl";
  meaning: string;
  resolution: string;
  /** Where the resolution links to, already localized (resolved against `helpBaseUrl` when
   * configured); null when it links nowhere. */
  helpUrl: string | null;
  /** Fields whose text came from another language, and that language ({} when none). */
  fallback: Partial<Record<"meaning" | "resolution", string>>;
  /** Whether the same request may succeed later. */
  retryable: boolean;
  /** The HTTP status the code usually travels with. */
  httpStatus: number;
  category: { id: CategoryId; title: string };
  /** The vendor's table no longer lists the code; older APIs still send it, so it is still explained. */
  deprecated: boolean;
  /** True when the service could not be reached and a kept copy answered. */
  stale: boolean;
}

type ParamsOption<C extends ErrorCode> = [ErrorParams[C]] extends [never]
  ? { params?: never }
  : { params?: ErrorParams[C] };

/** Defaults for every call, set once with `configure`. */
export interface ClientSettings {
  /** The service or the static export. Required in a bundled app; by default only when the
   * module is loaded straight from there (`…/client/errmsg.js`): the folder above `client/`. */
  baseUrl?: string | URL;
  /** Where relative help links point (the documentation site); default: left relative. */
  helpBaseUrl?: string | URL;
  /** An injected `fetch` (tests, server-side rendering); default: the global one. */
  fetch?: typeof globalThis.fetch;
  /** Where copies are kept between page loads; default: `localStorage` in browsers; null: nowhere. */
  storage?: ErrmsgStorage | null;
}

/** Options of `explain`; `params` takes exactly the code's own placeholders, as numbers. */
export type ExplainOptions<C extends ErrorCode> = ParamsOption<C> &
  ClientSettings & {
    /** A language tag, or several in preference order; default: `navigator.languages`. */
    lang?: string | readonly string[];
  };

/** The `code` of errors the client raises: the problem type's last segment. */
export type ClientErrorCode =
  | "unknown-code"
  | "invalid-parameter"
  | "not-configured"
  | "network-error"
  | "http-error"
  | "not-found"
  | "unknown-language"
  | (string & {});

/** A problem the client raises itself, or a host in front of the service sent: any RFC 9457
 * shape (`status` 0 when no answer came: network-error, not-configured). */
export interface OtherProblem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

/** A failure the service, the export's host or the client reported; `problem` is its problem+json. */
export declare class ProblemError extends Error {
  readonly name: "ProblemError";
  readonly problem: Problem | OtherProblem;
  /** The HTTP status; 0 when no answer came (network-error, not-configured). */
  readonly status: number;
  readonly type: string;
  readonly code: ClientErrorCode;
  constructor(problem: Problem | OtherProblem, options?: { cause?: unknown });
}

/** Set the defaults of every later call (for example `baseUrl` in a bundled app). */
export declare function configure(settings: ClientSettings): ClientSettings;

/** Whether `value` is an error code of these types: narrows a number a server sent. */
export declare function isErrorCode(value: unknown): value is ErrorCode;

/** The meaning, resolution, help link and hints of `code` in the user's language. */
export declare function explain<C extends ErrorCode>(code: C, options?: ExplainOptions<C>): Promise<ErrorEntry<C>>;

/** Fetch and keep one language's bundle ahead of time (the same options as `explain`). */
export declare function prefetch(options?: Omit<ExplainOptions<ErrorCode>, "params">): Promise<string>;
