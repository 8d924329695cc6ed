// i18next with the app's own namespace (bundled) and errmsg's `errors` (from the service
// or the export, for whatever navigator.language is: zh-TW, pt-PT, …).
import i18next from "i18next";
import HttpBackend from "i18next-http-backend";
import { useEffect, useState } from "react";
import translation from "./locales/en.json";

const ready = { done: false, listeners: new Set<() => void>() };

export function startI18n(base: string): void {
  void i18next
    .use(HttpBackend)
    .init({
      lng: navigator.language,
      fallbackLng: "en",
      ns: ["translation", "errors"],
      defaultNS: "translation",
      partialBundledLanguages: true,
      resources: { en: { translation } },
      backend: { loadPath: `${base.replace(/\/$/, "")}/i18n/{{lng}}/{{ns}}.json` },
    })
    .then(() => {
      ready.done = true;
      ready.listeners.forEach((listener) => listener());
    });
}

export function useI18nReady(): boolean {
  const [done, setDone] = useState(ready.done);
  useEffect(() => {
    const listener = () => setDone(true);
    ready.listeners.add(listener);
    return () => void ready.listeners.delete(listener);
  }, []);
  return done;
}
