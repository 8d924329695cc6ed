// The README's React example, grown into what the tests render: an error hint (useErrorHint)
// with lang and dir, its hints, and i18next texts from both namespaces.
import { useEffect, useState } from "react";
import i18next from "i18next";
import { isErrorCode } from "@errmsg/client";
import { useErrorHint } from "@errmsg/client/react";
import { useI18nReady } from "./i18n.ts";

/** What a server sent: a plain number (and, for 40112, minutes). */
export interface Ask {
  code: number;
  minutes?: number;
}

declare global {
  interface Window {
    ask?: (ask: Ask) => void;
  }
}

const first = Number(new URLSearchParams(location.search).get("code") ?? 40112);

export function App() {
  const [ask, setAsk] = useState<Ask>({ code: first, minutes: 5 });
  useEffect(() => {
    window.ask = setAsk;
  }, []);
  const code = isErrorCode(ask.code) ? ask.code : null;
  const params = code === 40112 && ask.minutes ? { minutes: ask.minutes } : undefined;
  const { entry, loading, error, stale } = useErrorHint(code, { params });
  const i18nReady = useI18nReady();
  const state = loading ? "loading" : error ? "error" : entry ? "done" : "idle";
  return (
    <main data-state={state} data-code={entry?.code ?? ""}>
      <h1>{i18next.t("hint")}</h1>
      {entry && (
        <p id="hint" lang={entry.lang} dir={entry.dir}>
          <span id="meaning">{entry.meaning}</span> —{" "}
          {entry.helpUrl ? <a href={entry.helpUrl}>{entry.resolution}</a> : <span>{entry.resolution}</span>}
        </p>
      )}
      <pre id="meta">
        {entry &&
          JSON.stringify({
            lang: entry.lang,
            dir: entry.dir,
            retryable: entry.retryable,
            httpStatus: entry.httpStatus,
            category: entry.category,
            helpUrl: entry.helpUrl,
            stale,
          })}
      </pre>
      {error && <p id="error">{error.code}</p>}
      <p id="i18n" data-ready={i18nReady ? "yes" : "no"}>
        {i18nReady && i18next.t("40112.meaning", { ns: "errors", count: 5 })}
      </p>
    </main>
  );
}
