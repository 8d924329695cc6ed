// Typed i18next with the app's own namespace, and the client's types: what must fail tsc.
import i18next from "i18next";
import { explain } from "@errmsg/client";

export function typed(): string[] {
  // @ts-expect-error: not a key of the app's namespace
  i18next.t("hnt");
  // @ts-expect-error: the README's typo in an errmsg key
  i18next.t("40112.meening", { ns: "errors" });
  // @ts-expect-error: a server's plain number is not an ErrorCode (narrow it with isErrorCode)
  void explain(Number("40112"));
  // @ts-expect-error: 40112 has no placeholder `minute`
  void explain(40112, { params: { minute: 5 } });
  return [i18next.t("hint"), i18next.t("40112.meaning", { ns: "errors", count: 5 })];
}
