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
  assert.equal(i18n.t("50106.meaning", { max_size: "100 МБ" }), "Размер файла превышает 100 МБ");
});
