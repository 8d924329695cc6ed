// A typed front end using the client and typed i18next: compiles under tsc --strict.
// Written against these codes of the registry: 40000 40112 40113 40300 50011 50106.
import i18next from "i18next";
import { configure, explain, isErrorCode, prefetch, ProblemError } from "@errmsg/client";
import type { ErrorCode, ErrorEntry, ExplainOptions, LanguageTag } from "@errmsg/client";
import type {} from "@errmsg/client/i18next";
import { createTestClient } from "@errmsg/client/testing";
import type { TestClient } from "@errmsg/client/testing";

configure({ baseUrl: "https://errors.example.com/", helpBaseUrl: "https://docs.example.com/", storage: null });

export async function fromServer(body: { code: number }): Promise<string> {
  if (!isErrorCode(body.code)) return "unknown";
  const { meaning, dir, retryable, httpStatus, category, stale, deprecated } = await explain(body.code);
  return [meaning, dir, retryable, httpStatus, category.id, category.title, stale, deprecated ?? false].join();
}

export async function messages(code: ErrorCode): Promise<string[]> {
  await prefetch({ lang: navigator.languages });
  const locked: ErrorEntry<40112> = await explain(40112, { lang: "zh-Hans", params: { minutes: 5 } });
  const plain = await explain(40000, { lang: ["fr-CA", "en"] });
  const size = await explain(50106, { params: { max_size: 200 }, baseUrl: "https://cdn.example.com/errmsg/" });
  const options: ExplainOptions<40113> = { params: { seconds: 30 }, fetch: globalThis.fetch };
  const wait = await explain(40113, options);
  const tag: LanguageTag = "zh-Hant";
  try {
    await explain(code, { lang: tag });
  } catch (error) {
    if (error instanceof ProblemError) return [error.problem.title, String(error.status), error.type, error.code];
  }
  const fallbackFrom: string | undefined = plain.fallback.meaning;
  return [
    locked.meaning,
    plain.resolution,
    size.helpUrl ?? "",
    wait.meaning,
    fallbackFrom ?? "",
    i18next.t("40112.meaning", { count: 5 }),
    i18next.t("categories.auth"),
    i18next.t("40300.help_url"),
  ];
}

// An app's test: the in-memory client, typed as the real one.
export async function inTests(): Promise<string> {
  const client: TestClient = createTestClient({
    40112: { meaning: "Locked for {{minutes}} min", params: { minutes: 10 }, retryable: true },
    50011: new ProblemError({ type: "/problems/network-error", title: "Network error", status: 0, detail: "" }),
  });
  const entry: ErrorEntry<40112> = await client.explain(40112, { params: { minutes: 5 } });
  return entry.meaning + String(client.calls.length);
}
