// A fresh Vite + React + TypeScript app using @errmsg/client as the README says.
// The service or export is given in the page's query (?base=…), as an app's config would.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { configure } from "@errmsg/client";
import { App } from "./App.tsx";
import { startI18n } from "./i18n.ts";

const base = new URLSearchParams(location.search).get("base") ?? "https://errors.example.com/";
configure({ baseUrl: base, helpBaseUrl: "https://docs.example.com/" });
startI18n(base);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
