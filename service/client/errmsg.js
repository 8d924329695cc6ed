// errmsg client: explain an error code in the user's language. No dependencies.
//
//   import { configure, explain } from "@errmsg/client";
//   configure({ baseUrl: "https://errors.example.com/" });   // once, in a bundled app
//   const { meaning, resolution, helpUrl, dir } = await explain(40112, { params: { minutes: 5 } });
//
// It reads only files that the service and its static export both serve at the same
// paths (locales.json, errors/<tag>.json, and i18n/<tag>/errors.json for placeholders), so the
// same code works against a CDN. Requests are plain GETs without extra headers (no CORS
// preflight, any static host works); the browser's HTTP cache revalidates them. A whole
// language is fetched once and kept for its Cache-Control max-age; when a refresh fails,
// the last good copy is used and the entry says `stale: true`. The copy is also kept in
// a storage adapter (localStorage in browsers), so a reload during an outage still works.

import { ERROR_CODES } from "./codes.js";

const SOURCE_LANG = "en";
const STORAGE_PREFIX = "errmsg:";

/** Defaults for every call, set by `configure`. */
const settings = { baseUrl: undefined, helpBaseUrl: undefined, fetch: undefined, storage: undefined };

export class ProblemError extends Error {
  constructor(problem, options) {
    super(`${problem.title}: ${problem.detail ?? ""}`, options);
    this.name = "ProblemError";
    this.problem = problem;
    this.status = problem.status;
    this.type = problem.type;
    // A stable name for the failure: the problem type's last segment ("unknown-code",
    // "invalid-parameter", "not-found", …), or the client's own ("network-error", …).
    this.code = String(problem.type).split("/").pop();
  }
}

function clientError(code, title, detail, extra = {}, cause = undefined) {
  const problem = { type: `/problems/${code}`, title, status: 0, detail, ...extra };
  return new ProblemError(problem, cause === undefined ? undefined : { cause });
}

const KNOWN_CODES = new Set(ERROR_CODES);

/** Whether `value` is a code the client's types know: narrows a server's plain number. */
export function isErrorCode(value) {
  return typeof value === "number" ? KNOWN_CODES.has(value) : false;
}

/** Set defaults once: `baseUrl` (the service or the export), `helpBaseUrl` (where relative
 * help links point), `fetch`, `storage` (null: keep nothing between page loads). */
export function configure(options = {}) {
  for (const [name, value] of Object.entries(options)) {
    if (!(name in settings)) throw new TypeError(`configure: unknown option ${name}`);
    settings[name] = value;
  }
  return { ...settings };
}

/** The folder above `client/` when this module is loaded straight from the service or the
 * export (`…/client/errmsg.js` over HTTP); null once bundled into an app. */
function defaultBase() {
  const here = import.meta.url;
  if (!/^https?:/.test(here)) return null;
  const { pathname } = new URL(here);
  if (!pathname.endsWith("/client/errmsg.js") || /\/(node_modules|@fs)\//.test(pathname)) return null;
  return new URL("../", here).href;
}

function optionsOf(options) {
  const merged = { ...settings };
  for (const [name, value] of Object.entries(options)) if (value !== undefined) merged[name] = value;
  return merged;
}

function storageOf(options) {
  if (options.storage !== undefined) return options.storage;
  try {
    return globalThis.window !== undefined && globalThis.localStorage ? globalThis.localStorage : null;
  } catch {
    return null; // storage disabled (privacy settings, sandboxed frames)
  }
}

/** base URL → (resource URL → {body, fetchedAt, maxAge, pending}) */
const caches = new Map();

function cacheFor(base) {
  let cache = caches.get(base);
  if (!cache) caches.set(base, (cache = new Map()));
  return cache;
}

function maxAgeOf(response) {
  const found = /(?:^|,)\s*max-age=(\d+)/i.exec(response.headers.get("Cache-Control") ?? "");
  return found ? Number(found[1]) * 1000 : 0;
}

async function problemFrom(response, url) {
  const type = response.headers.get("Content-Type") ?? "";
  if (type.startsWith("application/problem+json")) {
    return new ProblemError(await response.json());
  }
  return clientError("http-error", response.statusText || "HTTP error", `GET ${url} answered ${response.status}`, {
    status: response.status,
  });
}

async function readStored(storage, url) {
  if (!storage) return undefined;
  try {
    const text = await storage.getItem(STORAGE_PREFIX + url);
    const kept = text ? JSON.parse(text) : undefined;
    return kept && "body" in kept ? kept : undefined;
  } catch {
    return undefined;
  }
}

async function store(storage, url, kept) {
  if (!storage) return;
  try {
    await storage.setItem(STORAGE_PREFIX + url, JSON.stringify({ body: kept.body, fetchedAt: kept.fetchedAt, maxAge: kept.maxAge }));
  } catch {
    // full or refused: the copy in memory still serves this page
  }
}

const isFresh = (kept) => Date.now() - kept.fetchedAt < kept.maxAge;

/** A JSON resource as `{ body, stale }`: from memory (or storage) while fresh, else
 * fetched; when that fails, the last good copy with `stale: true`. */
function load(options, base, path) {
  const cache = cacheFor(base);
  const url = new URL(path, base).href;
  const kept = cache.get(url);
  if (kept?.pending) return kept.pending;
  if (kept && isFresh(kept)) return Promise.resolve({ body: kept.body, stale: false });
  const doFetch = options.fetch ?? globalThis.fetch;
  const storage = storageOf(options);
  const pending = (async () => {
    const last = kept ?? (await readStored(storage, url));
    if (last && !kept && isFresh(last)) {
      cache.set(url, last);
      return { body: last.body, stale: false };
    }
    try {
      let response;
      try {
        response = await doFetch(url);
      } catch (error) {
        throw clientError("network-error", "Network error", `GET ${url} failed: ${error?.message ?? error}`, {}, error);
      }
      if (!response.ok) throw await problemFrom(response, url);
      const fresh = { body: await response.json(), fetchedAt: Date.now(), maxAge: maxAgeOf(response) };
      cache.set(url, fresh);
      store(storage, url, fresh);
      return { body: fresh.body, stale: false };
    } catch (error) {
      if (last) {
        cache.set(url, last); // the next call tries the network again
        return { body: last.body, stale: true };
      }
      cache.delete(url);
      throw error;
    }
  })();
  cache.set(url, { ...(kept ?? {}), pending });
  return pending;
}

function baseOf(options) {
  const given = options.baseUrl ?? defaultBase();
  if (given == null) {
    throw clientError(
      "not-configured",
      "No service configured",
      "Call configure({ baseUrl }) with the service's or the static export's URL (a bundled app cannot find it itself).",
    );
  }
  const base = new URL(given, globalThis.location?.href).href;
  return base.endsWith("/") ? base : `${base}/`;
}

function wantedLanguages(options) {
  if (options.lang) return [].concat(options.lang);
  const nav = globalThis.navigator;
  return nav?.languages?.length ? [...nav.languages] : nav?.language ? [nav.language] : [];
}

function maximized(tag) {
  try {
    return new Intl.Locale(tag).maximize();
  } catch {
    return null;
  }
}

/** The shipped locale for the wanted tags: exact, then same language and script (zh-TW →
 * zh-Hant, pt-PT → pt-BR), then the service's default. An exact tag may name a language
 * that is only served on request (a pseudo-locale); negotiation picks negotiable ones. */
function pickLanguage(wanted, listing) {
  const byLower = new Map(listing.locales.map((l) => [l.tag.toLowerCase(), l]));
  for (const tag of wanted) {
    const exact = byLower.get(String(tag).toLowerCase());
    if (exact) return exact;
    const want = maximized(tag);
    if (!want) continue;
    const candidates = listing.locales.filter((l) => l.negotiable && !l.pseudo);
    const sameScript = candidates.filter((l) => {
      const have = maximized(l.tag);
      return have && have.language === want.language && have.script === want.script;
    });
    if (sameScript.length) {
      return sameScript.find((l) => maximized(l.tag).region === want.region) ?? sameScript[0];
    }
  }
  return byLower.get(listing.default.toLowerCase()) ?? { tag: listing.default };
}

const indexes = new WeakMap();

function entryOf(bundle, code) {
  let index = indexes.get(bundle);
  if (!index) indexes.set(bundle, (index = new Map(bundle.errors.map((e) => [e.code, e]))));
  return index.get(Number(code));
}

/** `{{name, number(style: unit; unit: megabyte)}}` in an i18next text: the name, and the
 * `Intl.NumberFormat` options the service put there so that it reads as the service writes it. */
const PLACEHOLDER = /\{\{(\w+)(?:,\s*([^}]*))?\}\}/g;

function numberOptions(format) {
  const options = {};
  const found = /^number\((.*)\)$/.exec((format ?? "").trim());
  for (const pair of found ? found[1].split(";") : []) {
    const [key, ...rest] = pair.split(":");
    if (key.trim()) options[key.trim()] = rest.join(":").trim();
  }
  return options;
}

function render(template, lang, values) {
  return template.replace(PLACEHOLDER, (whole, name, format) =>
    values[name] === undefined ? whole : new Intl.NumberFormat(lang, numberOptions(format)).format(values[name]),
  );
}

/** The placeholder i18next calls `count` (40112's `minutes`): the entry's one placeholder
 * that its texts do not name. */
function countedName(item, entry) {
  const named = new Set();
  for (const text of Object.values(item)) {
    if (typeof text === "string") for (const found of text.matchAll(PLACEHOLDER)) named.add(found[1]);
  }
  return named.has("count") ? Object.keys(entry.params).find((name) => !named.has(name)) : undefined;
}

async function withParams(options, base, tag, entry, params) {
  for (const [name, value] of Object.entries(params)) {
    if (!(name in entry.params) || !Number.isInteger(value)) {
      throw clientError("invalid-parameter", "Invalid parameter", `${name}=${value} is not a whole-number placeholder of ${entry.code}`, {
        status: 400,
        invalid_params: [name],
      });
    }
  }
  // The i18next texts carry the plural forms and each placeholder's number format.
  const templates = await load(options, base, `i18n/${tag}/errors.json`);
  const item = templates.body[String(entry.code)] ?? {};
  const values = { ...entry.params, ...params };
  const counted = countedName(item, entry);
  if (counted) values.count = values[counted];
  const texts = { stale: templates.stale };
  for (const field of ["meaning", "resolution"]) {
    let template = item[field];
    if (counted) template = item[`${field}_${new Intl.PluralRules(tag).select(values.count)}`] ?? template;
    texts[field] = template ? render(template, tag, values) : undefined;
  }
  return texts;
}

async function bundleFor(options) {
  const base = baseOf(options);
  const listing = await load(options, base, "locales.json");
  const locale = pickLanguage(wantedLanguages(options), listing.body);
  const bundle = await load(options, base, `errors/${locale.tag}.json`);
  return { base, locale, bundle: bundle.body, stale: listing.stale || bundle.stale };
}

/** Fetch and keep one language's bundle ahead of time; resolves to its tag. */
export async function prefetch(options = {}) {
  return (await bundleFor(optionsOf(options))).locale.tag;
}

function helpLink(url, options) {
  if (!url || !options.helpBaseUrl) return url ?? null;
  return new URL(url, new URL(options.helpBaseUrl, globalThis.location?.href)).href;
}

/** The meaning, resolution, help link and hints of `code` in the user's language. */
export async function explain(code, options = {}) {
  options = optionsOf(options);
  const { base, locale, bundle, stale } = await bundleFor(options);
  const entry = entryOf(bundle, code);
  if (!entry) {
    throw clientError("unknown-code", "Unknown error code", `There is no error code ${code}.`, {
      status: 404,
      code: String(code),
    });
  }
  const tag = locale.tag;
  const fallback = { ...entry.fallback };
  delete fallback.category;
  let { meaning, resolution } = entry;
  let wasStale = stale;
  if (options.params && Object.keys(options.params).length) {
    const texts = await withParams(options, base, tag, entry, options.params);
    ({ meaning, resolution } = texts);
    wasStale ||= texts.stale;
  }
  if (!meaning || !resolution) {
    // A field the language lacks: the source language's text, said in `fallback`.
    const english = tag === SOURCE_LANG ? entry : await explain(code, { ...options, lang: SOURCE_LANG });
    if (!meaning) [meaning, fallback.meaning] = [english.meaning, SOURCE_LANG];
    if (!resolution) [resolution, fallback.resolution] = [english.resolution, SOURCE_LANG];
    wasStale ||= Boolean(english.stale);
  }
  const explained = {
    code: entry.code,
    lang: bundle.lang,
    dir: entry.dir ?? locale.direction ?? "ltr",
    meaning,
    resolution,
    helpUrl: helpLink(entry.help_url, options),
    fallback,
    retryable: entry.retryable,
    httpStatus: entry.http_status,
    category: { id: entry.category.id, title: entry.category.title },
    stale: wasStale,
    deprecated: entry.deprecated === true,
  };
  return explained;
}
