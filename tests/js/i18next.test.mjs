// i18next + i18next-http-backend, as a front end uses them, against the service at ERRMSG_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import i18next from "i18next";
import HttpBackend from "i18next-http-backend";

const base = process.env.ERRMSG_URL;

async function client(lng) {
  const i18n = i18next.createInstance();
  await i18n.use(HttpBackend).init({
    lng,
    fallbackLng: "en",
    ns: ["errors"],
    defaultNS: "errors",
    backend: { loadPath: `${base}/i18n/{{lng}}/{{ns}}.json` },
  });
  return i18n;
}

// What to expect, read from the catalogs by tests/test_i18next_client.py (a table update
// changes the codes and texts; a language that lags behind it skips its test).
const examples = JSON.parse(process.env.ERRMSG_EXAMPLES);
const { count, size } = examples;

test("Traditional Chinese for zh-TW", { skip: !examples.zhHant && "zh_Hant lags behind the table" }, async () => {
  const i18n = await client("zh-TW");
  const { want, category, title } = examples.zhHant;
  assert.equal(i18n.t(count.key, { count: examples.zhHant.count }), want);
  assert.equal(i18n.t(`categories.${category}`), title);
});

test("Russian plural forms through Intl.PluralRules", { skip: !(examples.ru && examples.ruSize) && "ru lags behind the table" }, async () => {
  const i18n = await client("ru");
  for (const [n, want] of Object.entries(examples.ru)) {
    assert.equal(i18n.t(count.key, { count: Number(n) }), want, `${n}`);
  }
  assert.equal(i18n.t(size.key, { [size.param]: 100 }), examples.ruSize);
});

// Numbers as the service writes them (ru "1 440", es "1.440", ar "1,440"): i18next's own
// `number` format with the options the resources carry, in every shipped language.
async function serviceSays(path) {
  return (await (await fetch(`${base}${path}`)).json()).meaning;
}

test("numbers and sizes read as the service writes them, in every shipped language", async () => {
  const { locales } = await (await fetch(`${base}/locales.json`)).json();
  const shipped = locales.filter((l) => !l.pseudo).map((l) => l.tag);
  assert.ok(shipped.includes("ru") && shipped.includes("ar") && shipped.includes("es"));
  for (const tag of shipped) {
    const i18n = await client(tag);
    for (const n of [1, 5, 1440]) {
      const want = await serviceSays(`/errors/${count.code}?lang=${tag}&${count.param}=${n}`);
      assert.equal(i18n.t(count.key, { count: n }), want, `${tag} ${n}`);
    }
    const sized = await serviceSays(`/errors/${size.code}?lang=${tag}&${size.param}=2048`);
    assert.equal(i18n.t(size.key, { [size.param]: 2048 }), sized, tag);
  }
  // A browser tag whose own digits differ (ar-EG: Arabic-Indic) still reads as the service's ar.
  const arEG = await client("ar-EG");
  const arabic = await serviceSays(`/errors/${count.code}?lang=ar-EG&${count.param}=1440`);
  assert.equal(arEG.t(count.key, { count: 1440 }), arabic);
});
