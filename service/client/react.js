// @errmsg/client/react: the client as a React hook.
//
//   const { entry, loading, error, stale } = useErrorHint(res.code, { params: { minutes: 5 } });
//
// The answer for a code that is no longer asked for is dropped: when `code` (or the
// language, placeholders or base) changes, the previous request is cancelled.
// `options.client` (createTestClient from @errmsg/client/testing) answers instead of the
// network, in an app's tests.

import { useEffect, useState } from "react";
import { explain } from "./errmsg.js";

const IDLE = { entry: null, loading: false, error: null, stale: false };

export function useErrorHint(code, options = {}) {
  const { lang, params, baseUrl, helpBaseUrl, fetch, storage, client } = options;
  const key = JSON.stringify([code ?? null, lang ?? null, params ?? null, String(baseUrl ?? ""), String(helpBaseUrl ?? "")]);
  const [state, setState] = useState(() => ({ ...IDLE, loading: code != null, key }));
  useEffect(() => {
    if (code == null) {
      setState({ ...IDLE, key });
      return undefined;
    }
    let cancelled = false;
    setState({ ...IDLE, loading: true, key });
    (client ?? { explain }).explain(code, { lang, params, baseUrl, helpBaseUrl, fetch, storage }).then(
      (entry) => cancelled || setState({ entry, loading: false, error: null, stale: entry.stale, key }),
      (error) => cancelled || setState({ ...IDLE, error, key }),
    );
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the options
  }, [key]);
  // During the render that follows a change of code, never the previous code's entry.
  const current = state.key === key ? state : { ...IDLE, loading: code != null };
  return { entry: current.entry, loading: current.loading, error: current.error, stale: current.stale };
}
