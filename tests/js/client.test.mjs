// The client (service/client/errmsg.js, installed from its folder) in Node against the
// running service: run by tests/test_client.py with ERRMSG_URL, ERRMSG_URL_NO_CACHE (a
// service whose bundles have max-age 0) and ERRMSG_EXPECT (what the service says itself).
import assert from "node:assert/strict";
import { test } from "node:test";
import { configure, explain, isErrorCode, prefetch, ProblemError } from "@errmsg/client";

const base = process.env.ERRMSG_URL;
const expected = JSON.parse(process.env.ERRMSG_EXPECT);

function counting() {
  const seen = [];
  const fetchFn = async (url, init = {}) => {
    const response = await fetch(url, init);
    seen.push({ url: String(url), headers: init.headers ?? null, status: response.status });
    return response;
  };
  return { seen, fetchFn };
}

test("explains a code in the asked language, with the service's own text", async () => {
  for (const item of expected.plain) {
    const entry = await explain(item.code, { lang: item.ask, baseUrl: base });
    assert.deepEqual(
      { code: entry.code, lang: entry.lang, meaning: entry.meaning, resolution: entry.resolution, helpUrl: entry.helpUrl },
      item.want,
    );
  }
});

test("placeholders render as the service renders them, in every language", async () => {
  for (const item of expected.params) {
    const entry = await explain(item.code, { lang: item.ask, params: item.params, baseUrl: base });
    assert.equal(entry.meaning, item.want.meaning, `${item.code} ${item.ask} ${JSON.stringify(item.params)}`);
    assert.equal(entry.resolution, item.want.resolution);
  }
});

test("navigator.languages picks the language when none is given", async () => {
  Object.defineProperty(globalThis, "navigator", { value: { languages: ["zh-TW", "zh"] }, configurable: true });
  try {
    const entry = await explain(40112, { baseUrl: base });
    assert.equal(entry.lang, "zh-Hant");
  } finally {
    delete globalThis.navigator;
  }
});

test("a bundle is fetched once and kept while fresh", async () => {
  const { seen, fetchFn } = counting();
  await explain(40000, { lang: "de", baseUrl: `${base}/`, fetch: fetchFn });
  await explain(40001, { lang: "de", baseUrl: `${base}/`, fetch: fetchFn });
  await prefetch({ lang: "de", baseUrl: `${base}/`, fetch: fetchFn });
  const bundles = seen.filter((s) => s.url.endsWith("/errors/de.json"));
  assert.ok(bundles.length <= 1, JSON.stringify(seen));
});

test("an expired bundle is fetched again with no request headers (no CORS preflight)", async () => {
  const { seen, fetchFn } = counting();
  const noCache = process.env.ERRMSG_URL_NO_CACHE;
  const first = await explain(40100, { lang: "ja", baseUrl: noCache, fetch: fetchFn });
  const second = await explain(40100, { lang: "ja", baseUrl: noCache, fetch: fetchFn });
  assert.deepEqual(first, second);
  const bundles = seen.filter((s) => s.url.endsWith("/errors/ja.json"));
  assert.equal(bundles.length, 2);
  // Revalidation is the browser's HTTP cache's: the client adds no header at all.
  assert.deepEqual(seen.map((s) => s.headers), seen.map(() => null));
  assert.equal(bundles[1].status, 200);
});

test("during an outage the last good copy answers, marked stale", async () => {
  const noCache = `${process.env.ERRMSG_URL_NO_CACHE}/?outage`; // max-age 0: every call refreshes
  let down = false;
  const flaky = async (url, init) => {
    if (down) throw new TypeError("fetch failed");
    return fetch(url, init);
  };
  const before = await explain(50011, { lang: "fr", baseUrl: noCache, fetch: flaky, params: {} });
  assert.equal(before.stale, false);
  down = true;
  const during = await explain(50011, { lang: "fr", baseUrl: noCache, fetch: flaky });
  assert.deepEqual(during, { ...before, stale: true });
  const withParams = await explain(40112, { lang: "fr", baseUrl: noCache, fetch: flaky, params: { minutes: 3 } })
    .catch((error) => error);
  assert.ok(withParams instanceof ProblemError && withParams.code === "network-error", "no copy of the templates yet");
  down = false;
  assert.equal((await explain(50011, { lang: "fr", baseUrl: noCache, fetch: flaky })).stale, false);
});

test("a storage adapter keeps the copy for the next page load", async () => {
  const items = new Map();
  const storage = { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
  const noCache = `${process.env.ERRMSG_URL_NO_CACHE}/?storage`;
  const good = await explain(40300, { lang: "ar", baseUrl: noCache, storage });
  assert.ok([...items.keys()].some((key) => key.endsWith("/errors/ar.json")));
  // A fresh page (another module instance) while the service is down:
  const reloaded = await import(`${import.meta.resolve("@errmsg/client")}?reload=${Date.now()}`);
  const down = async () => { throw new TypeError("fetch failed"); };
  const again = await reloaded.explain(40300, { lang: "ar", baseUrl: noCache, storage, fetch: down });
  assert.deepEqual(again, { ...good, stale: true });
  const withoutStorage = await import(`${import.meta.resolve("@errmsg/client")}?again=${Date.now()}`);
  await assert.rejects(withoutStorage.explain(40300, { lang: "ar", baseUrl: noCache, storage: null, fetch: down }), (error) => {
    assert.equal(error.code, "network-error");
    assert.ok(error.cause instanceof TypeError);
    return true;
  });
});

test("entries carry direction, hints and category; help links resolve against helpBaseUrl", async () => {
  const ar = await explain(40300, { lang: "ar", baseUrl: base });
  const api = await (await fetch(`${base}/errors/40300?lang=ar`)).json();
  assert.deepEqual(
    { dir: ar.dir, retryable: ar.retryable, httpStatus: ar.httpStatus, category: ar.category, helpUrl: ar.helpUrl },
    { dir: "rtl", retryable: api.retryable, httpStatus: api.http_status, category: api.category, helpUrl: api.help_url },
  );
  assert.equal(ar.deprecated, api.deprecated);
  assert.equal(typeof ar.deprecated, "boolean");
  assert.equal((await explain(40300, { lang: "de", baseUrl: base })).dir, "ltr");
  const linked = await explain(40300, { lang: "ar", baseUrl: base, helpBaseUrl: "https://docs.example.com/" });
  assert.equal(linked.helpUrl, new URL(api.help_url, "https://docs.example.com/").href);
});

test("configure sets the base once; without it a bundled client says so, with a code", async () => {
  await assert.rejects(explain(40000, { lang: "en" }), (error) => {
    assert.ok(error instanceof ProblemError);
    assert.equal(error.code, "not-configured");
    return true;
  });
  configure({ baseUrl: base, helpBaseUrl: "https://docs.example.com/" });
  try {
    const entry = await explain(40300, { lang: "en" });
    assert.match(entry.helpUrl, /^https:\/\/docs\.example\.com\//);
  } finally {
    configure({ baseUrl: undefined, helpBaseUrl: undefined });
  }
  assert.throws(() => configure({ baseURL: base }), TypeError);
});

test("isErrorCode narrows a server's number", () => {
  assert.equal(isErrorCode(40112), true);
  assert.equal(isErrorCode(40999), false);
  assert.equal(isErrorCode("40112"), false);
});

test("a field the language lacks falls back to English, and says so", async () => {
  const entry = await explain(expected.fallback.code, { lang: expected.fallback.lang, baseUrl: process.env.ERRMSG_URL_NO_CACHE });
  assert.equal(entry.meaning, expected.fallback.meaning);
  assert.deepEqual(entry.fallback, { meaning: "en" });
});

test("problems surface as ProblemError with the service's problem+json", async () => {
  await assert.rejects(explain(99999, { lang: "en", baseUrl: base }), (error) => {
    assert.ok(error instanceof ProblemError);
    assert.equal(error.type, "/problems/unknown-code");
    assert.equal(error.code, "unknown-code");
    assert.equal(error.status, 404);
    return true;
  });
  await assert.rejects(explain(40000, { baseUrl: `${base}/nowhere/` }), (error) => {
    assert.ok(error instanceof ProblemError);
    assert.equal(error.problem.type, "/problems/not-found"); // the service's own problem body
    assert.equal(error.status, 404);
    return true;
  });
  await assert.rejects(explain(40112, { lang: "en", params: { minutes: 2.5 }, baseUrl: base }), (error) => {
    assert.ok(error instanceof ProblemError);
    assert.equal(error.code, "invalid-parameter");
    return true;
  });
});

test("a failed request is not kept: the next call asks again", async () => {
  let calls = 0;
  const flaky = async (url, init) => {
    calls += 1;
    if (calls === 1) throw new TypeError("network down");
    return fetch(url, init);
  };
  const ownCache = `${base}/?flaky`; // a base of its own, so nothing is cached yet
  await assert.rejects(explain(40000, { lang: "ko", baseUrl: ownCache, fetch: flaky }), (error) => {
    assert.equal(error.code, "network-error");
    return true;
  });
  const entry = await explain(40000, { lang: "ko", baseUrl: ownCache, fetch: flaky });
  assert.equal(entry.lang, "ko");
});

test("placeholders need no other document than the language's texts (no openapi.json)", async () => {
  const { seen, fetchFn } = counting();
  const options = { lang: "ru", baseUrl: `${base}/?placeholders`, fetch: fetchFn, storage: null };
  for (const { code, params, meaning } of expected.withoutSpec) {
    assert.equal((await explain(code, { ...options, params })).meaning, meaning);
  }
  const paths = seen.map((s) => new URL(s.url).pathname);
  assert.deepEqual([...new Set(paths)].sort(), ["/errors/ru.json", "/i18n/ru/errors.json", "/locales.json"]);
});
