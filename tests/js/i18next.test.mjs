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

test("Traditional Chinese for zh-TW", async () => {
  const i18n = await client("zh-TW");
  assert.equal(i18n.t("40112.meaning", { count: 10 }), "驗證碼錯誤次數過多，已鎖定 10 分鐘");
  assert.equal(i18n.t("categories.auth"), "驗證與權限錯誤");
});

test("Russian plural forms through Intl.PluralRules", async () => {
  const i18n = await client("ru");
  const prefix = "Слишком много неверных кодов подтверждения, доступ заблокирован на ";
  assert.equal(i18n.t("40112.meaning", { count: 1 }), prefix + "1 минуту");
  assert.equal(i18n.t("40112.meaning", { count: 3 }), prefix + "3 минуты");
  assert.equal(i18n.t("40112.meaning", { count: 5 }), prefix + "5 минут");
  assert.equal(i18n.t("40112.meaning", { count: 21 }), prefix + "21 минуту");
  assert.equal(i18n.t("50106.meaning", { max_size: 100 }), "Размер файла превышает 100 МБ");
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
    for (const minutes of [1, 5, 1440]) {
      const want = await serviceSays(`/errors/40112?lang=${tag}&minutes=${minutes}`);
      assert.equal(i18n.t("40112.meaning", { count: minutes }), want, `${tag} ${minutes}`);
    }
    const size = await serviceSays(`/errors/50106?lang=${tag}&max_size=2048`);
    assert.equal(i18n.t("50106.meaning", { max_size: 2048 }), size, tag);
  }
  // A browser tag whose own digits differ (ar-EG: Arabic-Indic) still reads as the service's ar.
  const arEG = await client("ar-EG");
  assert.equal(arEG.t("40112.meaning", { count: 1440 }), await serviceSays("/errors/40112?lang=ar-EG&minutes=1440"));
  const ru = await client("ru");
  assert.match(ru.t("40112.meaning", { count: 1440 }), /на 1\u00a0440 минут$/);
});
