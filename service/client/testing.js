// @errmsg/client/testing: an in-memory stand-in for the client, for an app's own tests.
//
//   import { createTestClient } from "@errmsg/client/testing";
//   const client = createTestClient({ 40112: { meaning: "Locked for {{minutes}} min", retryable: true } });
//   await client.explain(40112, { params: { minutes: 5 } });   // no network, no configure()
//   render(<ErrorHint code={40112} client={client} />);          // useErrorHint(code, { client })
//
// It answers with the entries it was given (the fields left out take plain defaults), and
// rejects as the real client does: a ProblemError with code "unknown-code" for a code it
// was not given, or the Error given for a code (to test an app's failure path).

import { isErrorCode, ProblemError } from "./errmsg.js";

const RTL = /^(ar|arc|ckb|dv|fa|he|ps|sd|ug|ur|yi)(-|$)/i;

function unknown(code) {
  const problem = { type: "/problems/unknown-code", title: "Unknown error code", status: 404, detail: `There is no error code ${code}.`, code: String(code) };
  return new ProblemError(problem);
}

/** A client whose `explain` answers from `entries` ({ code: entry or Error }) in memory. */
export function createTestClient(entries, defaults = {}) {
  const table = new Map(Object.entries(entries).map(([code, entry]) => [Number(code), entry]));
  const calls = [];

  async function explain(code, options = {}) {
    calls.push({ code, options });
    const given = table.get(Number(code));
    if (given instanceof Error) throw given;
    if (!given) throw unknown(code);
    const lang = given.lang ?? options.lang?.toString().split(",")[0] ?? defaults.lang ?? "en";
    const values = { ...(given.params ?? {}), ...(options.params ?? {}) };
    const fill = (text) =>
      text.replace(/\{\{?(\w+)(?:,[^}]*)?\}?\}/g, (whole, name) =>
        values[name] === undefined ? whole : new Intl.NumberFormat(lang).format(values[name]),
      );
    const entry = {
      code: Number(code),
      lang,
      dir: given.dir ?? (RTL.test(lang) ? "rtl" : "ltr"),
      meaning: fill(given.meaning ?? `Error ${code}`),
      resolution: fill(given.resolution ?? ""),
      helpUrl: given.helpUrl ?? null,
      fallback: given.fallback ?? {},
      retryable: given.retryable ?? false,
      httpStatus: given.httpStatus ?? Math.floor(Number(code) / 100),
      category: given.category ?? { id: "system", title: "System & Service Errors" },
      stale: given.stale ?? false,
      deprecated: given.deprecated ?? false,
    };
    return entry;
  }

  return {
    explain,
    prefetch: async (options = {}) => options.lang?.toString().split(",")[0] ?? defaults.lang ?? "en",
    isErrorCode,
    calls,
  };
}
