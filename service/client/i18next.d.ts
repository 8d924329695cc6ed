// Typed i18next for the `errors` namespace: import this module once (for example
// `import type {} from "@errmsg/client/i18next"`), and t("40112.meaning", { count })
// checks its key against every code the service knows.
import type { ErrorResources } from "./codes.js";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "errors";
    resources: { errors: ErrorResources };
    strictKeyChecks: true;
  }
}

export type { ErrorResources };
