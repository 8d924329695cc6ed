// Typed i18next without an app namespace: the package's augmentation (README).
import i18next from "i18next";
import type {} from "@errmsg/client/i18next";

export const ok: string = i18next.t("40112.meaning", { count: 5 });
// @ts-expect-error: the README's typo fails tsc
export const typo = i18next.t("40112.meening");
