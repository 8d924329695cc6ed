// createTestClient (@errmsg/client/testing): an app's tests need no network. Run by
// tests/test_client.py with a global fetch that fails the test if anything is fetched.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ProblemError } from "@errmsg/client";
import { createTestClient } from "@errmsg/client/testing";

globalThis.fetch = () => {
  throw new Error("the test client fetched something");
};

const client = createTestClient({
  40112: { meaning: "Locked for {{minutes}} min", resolution: "Retry later", retryable: true, params: { minutes: 10 } },
  40300: { meaning: "تم تجاوز الحصة", lang: "ar", category: { id: "quota", title: "Quota" }, deprecated: true },
  50011: new ProblemError({ type: "/problems/network-error", title: "Network error", status: 0, detail: "down" }),
});

test("answers the given entries with the real client's shape, placeholders filled", async () => {
  const entry = await client.explain(40112, { params: { minutes: 1440 } });
  assert.deepEqual(entry, {
    code: 40112, lang: "en", dir: "ltr", meaning: "Locked for 1,440 min", resolution: "Retry later",
    helpUrl: null, fallback: {}, retryable: true, httpStatus: 401,
    category: { id: "system", title: "System & Service Errors" }, stale: false, deprecated: false,
  });
  assert.equal((await client.explain(40112)).meaning, "Locked for 10 min");
  const ar = await client.explain(40300);
  assert.deepEqual([ar.dir, ar.category.id, ar.deprecated], ["rtl", "quota", true]);
});

test("rejects as the real client does: unknown codes, and the Error given for a code", async () => {
  await assert.rejects(client.explain(40000), (e) => e instanceof ProblemError && e.code === "unknown-code" && e.status === 404);
  await assert.rejects(client.explain(50011), (e) => e instanceof ProblemError && e.code === "network-error");
  assert.equal(client.isErrorCode(40112), true);
  assert.deepEqual(client.calls.map((c) => c.code).slice(-2), [40000, 50011]);
});
