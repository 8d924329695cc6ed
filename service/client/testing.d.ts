// @errmsg/client/testing: an in-memory stand-in for the client, for an app's own tests.
import type { ErrorCode, ErrorEntry, ErrorParams, ExplainOptions, isErrorCode } from "./errmsg.js";

/** What a test says about one code; every field left out takes a plain default (`lang`
 * "en", `dir` from `lang`, `retryable` false, `httpStatus` from the code's first digits). */
export type TestEntry<C extends ErrorCode = ErrorCode> = Partial<Omit<ErrorEntry<C>, "code">> & {
  /** `{{name}}` or `{name}` in `meaning` and `resolution` takes the value passed in `params`. */
  params?: [ErrorParams[C]] extends [never] ? never : ErrorParams[C];
};

/** Codes the test client knows: an entry, or an Error that `explain` rejects with. */
export type TestEntries = { [C in ErrorCode]?: TestEntry<C> | Error };

/** The same calls as the real client, answered from memory, and the calls it received. */
export interface TestClient {
  explain<C extends ErrorCode>(code: C, options?: ExplainOptions<C>): Promise<ErrorEntry<C>>;
  prefetch(options?: Omit<ExplainOptions<ErrorCode>, "params">): Promise<string>;
  isErrorCode: typeof isErrorCode;
  /** Every `explain` call, in order (what the app asked, for assertions). */
  readonly calls: ReadonlyArray<{ code: ErrorCode; options: ExplainOptions<ErrorCode> }>;
}

/** A client that needs no network: `explain` answers from `entries`, keyed by code. */
export declare function createTestClient(entries: TestEntries, defaults?: { lang?: string }): TestClient;
