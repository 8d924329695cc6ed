// @errmsg/client/react: the client as a React hook (React 18 or 19 is a peer dependency).
import type { ErrorCode, ErrorEntry, ExplainOptions, ProblemError, explain } from "./errmsg.js";

/** What `useErrorHint` returns: the entry once explained, or why not. */
export interface ErrorHint<C extends ErrorCode = ErrorCode> {
  /** The explained entry; null while loading, on error, or when `code` is null. */
  entry: ErrorEntry<C> | null;
  loading: boolean;
  /** Why the code could not be explained (a `ProblemError`, with `code`). */
  error: ProblemError | null;
  /** The entry is a kept copy: the service could not be reached for a fresher one. */
  stale: boolean;
}

/** Explain `code` for a component; re-run (and the previous run ignored) when `code` or the
 * options change. A null or undefined code asks nothing (`isErrorCode` narrows a number). */
export declare function useErrorHint<C extends ErrorCode>(
  code: C | null | undefined,
  options?: ExplainOptions<C> & {
    /** Who answers (default: the real client); `createTestClient(…)` in an app's tests. The
     * same client for the component's life: a new one is not a reason to ask again. */
    client?: { explain: typeof explain };
  },
): ErrorHint<C>;
