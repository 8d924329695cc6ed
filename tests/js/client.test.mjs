// The client (service/client/errmsg.js, installed from its folder) in Node against the
// running service: run by tests/test_client.py with ERRMSG_URL, ERRMSG_URL_NO_CACHE (a
// service whose bundles have max-age 0) and ERRMSG_EXPECT (what the service says itself).
import assert from "node:assert/strict";
import { test } from "node:test";
import { explain, prefetch, ProblemError } from "@errmsg/client";

const base = process.env.ERRMSG_URL;
const expected = JSON.parse(process.env.ERRMSG_EXPECT);

function counting() {
  const seen = [];
  const fetchFn = async (url, init = {}) => {
    const response = await fetch(url, init);
    seen.push({ url: String(url), ifNoneMatch: init.headers?.["If-None-Match"] ?? null, status: response.status });
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

test("a stale bundle is revalidated with If-None-Match and kept on 304", async () => {
  const { seen, fetchFn } = counting();
  const noCache = process.env.ERRMSG_URL_NO_CACHE;
  const first = await explain(40100, { lang: "ja", baseUrl: noCache, fetch: fetchFn });
  const second = await explain(40100, { lang: "ja", baseUrl: noCache, fetch: fetchFn });
  assert.deepEqual(first, second);
  const bundles = seen.filter((s) => s.url.endsWith("/errors/ja.json"));
  assert.equal(bundles.length, 2);
  assert.equal(bundles[0].ifNoneMatch, null);
  assert.match(bundles[1].ifNoneMatch, /^"[0-9a-f]{32}/);
  assert.equal(bundles[1].status, 304);
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
    assert.equal(error.status, 404);
    return true;
  });
  await assert.rejects(explain(40000, { baseUrl: `${base}/nowhere/` }), (error) => {
    assert.ok(error instanceof ProblemError);
    assert.equal(error.problem.type, "/problems/not-found"); // the service's own problem body
    assert.equal(error.status, 404);
    return true;
  });
  await assert.rejects(explain(40112, { lang: "en", params: { minutes: 2.5 }, baseUrl: base }), ProblemError);
});

test("a failed request is not kept: the next call asks again", async () => {
  let calls = 0;
  const flaky = async (url, init) => {
    calls += 1;
    if (calls === 1) throw new TypeError("network down");
    return fetch(url, init);
  };
  const ownCache = `${base}/?flaky`; // a base of its own, so nothing is cached yet
  await assert.rejects(explain(40000, { lang: "ko", baseUrl: ownCache, fetch: flaky }), TypeError);
  const entry = await explain(40000, { lang: "ko", baseUrl: ownCache, fetch: flaky });
  assert.equal(entry.lang, "ko");
});
