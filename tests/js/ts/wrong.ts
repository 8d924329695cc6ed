// What tsc must refuse. Each refused line says which diagnostic it expects.
// Written against these codes of the registry: 40000 40112 40300 50106.
import i18next from "i18next";
import { explain } from "@errmsg/client";
import type { ErrorEntry } from "@errmsg/client";
import type {} from "@errmsg/client/i18next";
import { createTestClient } from "@errmsg/client/testing";

await explain(40999); // expect TS2345: not an error code
await explain(40000, { params: { minutes: 5 } }); // expect TS2322: 40000 takes no placeholder
await explain(40112, { params: { minute: 5 } }); // expect TS2561: a placeholder 40112 does not have
await explain(40112, { params: { minutes: "5" } }); // expect TS2322: placeholders are numbers
const entry: ErrorEntry = { code: 40000, lang: "en", meaning: "m", resolution: "r" }; // expect TS2740: dir, helpUrl, fallback, hints and stale missing
i18next.t("40112.meening"); // expect TS2345: no such key
i18next.t("40112.meaning"); // expect TS2345: the text needs `count` (the API's `minutes`)
i18next.t("50106.meaning", { max_size: "100 MB" }); // expect TS2769: a size is a number, formatted by i18next
const { dir } = await explain(40300);
const direction: "auto" = dir; // expect TS2322: dir is "ltr" | "rtl"
const fromServer: number = 40112;
await explain(fromServer); // expect TS2345: a plain number is not an ErrorCode (narrow it with isErrorCode)
createTestClient({ 40999: { meaning: "m" } }); // expect TS2353: the test client knows only real codes
createTestClient({ 40112: { params: { minute: 5 } } }); // expect TS2561: nor placeholders a code does not have
export { entry, direction };
