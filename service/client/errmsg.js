// errmsg client: explain an error code in the user's language. No dependencies.
//
//   import { explain } from "https://errors.example.com/client/errmsg.js";
//   const { meaning, resolution, helpUrl } = await explain(40112, { params: { minutes: 5 } });
//
// It reads only files that the service and its static export both serve at the same
// paths (locales.json, errors/<tag>.json, i18n/<tag>/errors.json, openapi.json), so the
// same code works against a CDN. Whole-language bundles are fetched once, kept, and
// revalidated with If-None-Match once their Cache-Control max-age has passed.

const DEFAULT_BASE = new URL("../", import.meta.url);
const SOURCE_LANG = "en";

export class ProblemError extends Error {
  constructor(problem) {
    super(`${problem.title}: ${problem.detail ?? ""}`);
    this.name = "ProblemError";
    this.problem = problem;
    this.status = problem.status;
    this.type = problem.type;
  }
}

/** base URL → (resource URL → {etag, body, fetchedAt, maxAge, pending}) */
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
  return new ProblemError({
    type: "about:blank",
    title: response.statusText || "HTTP error",
    status: response.status,
    detail: `GET ${url} answered ${response.status}`,
  });
}

/** A JSON resource, from memory while fresh, else (re)validated with If-None-Match.
 * A failed revalidation keeps the last good copy for the next call. */
function load(options, base, path) {
  const cache = cacheFor(base);
  const url = new URL(path, base).href;
  const kept = cache.get(url);
  if (kept?.pending) return kept.pending;
  if (kept && Date.now() - kept.fetchedAt < kept.maxAge) return Promise.resolve(kept.body);
  const doFetch = options.fetch ?? globalThis.fetch;
  const restore = () => (kept ? cache.set(url, kept) : cache.delete(url));
  const pending = (async () => {
    const headers = kept?.etag ? { "If-None-Match": kept.etag } : {};
    let response;
    try {
      response = await doFetch(url, { headers });
    } catch (error) {
      restore();
      throw error;
    }
    if (response.status === 304 && kept) {
      cache.set(url, { ...kept, fetchedAt: Date.now(), maxAge: maxAgeOf(response) });
      return kept.body;
    }
    if (!response.ok) {
      restore();
      throw await problemFrom(response, url);
    }
    const body = await response.json();
    const etag = response.headers.get("ETag");
    cache.set(url, { etag, body, fetchedAt: Date.now(), maxAge: maxAgeOf(response) });
    return body;
  })();
  cache.set(url, { ...(kept ?? {}), pending });
  return pending;
}

function baseOf(options) {
  const base = new URL(options.baseUrl ?? DEFAULT_BASE, DEFAULT_BASE).href;
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

/** The shipped tag for the wanted ones: exact, then same language and script (zh-TW →
 * zh-Hant, pt-PT → pt-BR), then the service's default. An exact tag may name a language
 * that is only served on request (a pseudo-locale); negotiation picks negotiable ones. */
function pickLanguage(wanted, listing) {
  const byLower = new Map(listing.locales.map((l) => [l.tag.toLowerCase(), l]));
  for (const tag of wanted) {
    const exact = byLower.get(String(tag).toLowerCase());
    if (exact) return exact.tag;
    const want = maximized(tag);
    if (!want) continue;
    const candidates = listing.locales.filter((l) => l.negotiable && !l.pseudo);
    const sameScript = candidates.filter((l) => {
      const have = maximized(l.tag);
      return have && have.language === want.language && have.script === want.script;
    });
    if (sameScript.length) {
      const sameRegion = sameScript.find((l) => maximized(l.tag).region === want.region);
      return (sameRegion ?? sameScript[0]).tag;
    }
  }
  return listing.default;
}

const indexes = new WeakMap();

function entryOf(bundle, code) {
  let index = indexes.get(bundle);
  if (!index) indexes.set(bundle, (index = new Map(bundle.errors.map((e) => [e.code, e]))));
  return index.get(Number(code));
}

/** Placeholder kinds and units, from the OpenAPI document's x-errmsg-* extensions. */
async function paramKinds(options, base) {
  const document = await load(options, base, "openapi.json");
  const kinds = {};
  for (const p of document.paths["/errors/{code}"].get.parameters) {
    if (p["x-errmsg-kind"]) kinds[p.name] = { kind: p["x-errmsg-kind"], unit: p["x-errmsg-unit"] };
  }
  return kinds;
}

function render(template, lang, values, kinds) {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name) => {
    const key = name === "count" ? values.countName : name;
    const value = values[key];
    if (value === undefined) return whole;
    const spec = kinds[key];
    if (spec?.kind === "size" && spec.unit) {
      const unit = spec.unit.replace(/^digital-/, "");
      // As the service: the source language's narrow form ("100MB"), else CLDR short ("100 Mo").
      const unitDisplay = lang === SOURCE_LANG ? "narrow" : "short";
      return new Intl.NumberFormat(lang, { style: "unit", unit, unitDisplay }).format(value);
    }
    return new Intl.NumberFormat(lang).format(value);
  });
}

async function withParams(options, base, tag, entry, params) {
  const [templates, kinds] = await Promise.all([
    load(options, base, `i18n/${tag}/errors.json`),
    paramKinds(options, base),
  ]);
  const item = templates[String(entry.code)];
  const values = { ...entry.params };
  for (const [name, value] of Object.entries(params)) {
    if (!(name in entry.params) || !Number.isInteger(value)) {
      throw new ProblemError({
        type: "/problems/invalid-parameter",
        title: "Invalid parameter",
        status: 400,
        detail: `${name}=${value} is not a whole-number placeholder of ${entry.code}`,
        invalid_params: [name],
      });
    }
    values[name] = value;
  }
  values.countName = Object.keys(entry.params).find((n) => kinds[n]?.kind === "count");
  const texts = {};
  for (const field of ["meaning", "resolution"]) {
    let template = item?.[field];
    if (values.countName && item) {
      const category = new Intl.PluralRules(tag).select(values[values.countName]);
      template = item[`${field}_${category}`] ?? template;
    }
    texts[field] = template ? render(template, tag, values, kinds) : undefined;
  }
  return texts;
}

async function bundleFor(options) {
  const base = baseOf(options);
  const listing = await load(options, base, "locales.json");
  const tag = pickLanguage(wantedLanguages(options), listing);
  return { base, tag, bundle: await load(options, base, `errors/${tag}.json`) };
}

/** Fetch and cache one language's bundle ahead of time; resolves to its tag. */
export async function prefetch(options = {}) {
  return (await bundleFor(options)).tag;
}

/** The meaning, resolution and help link of `code` in the user's language. */
export async function explain(code, options = {}) {
  const { base, tag, bundle } = await bundleFor(options);
  const entry = entryOf(bundle, code);
  if (!entry) {
    throw new ProblemError({
      type: "/problems/unknown-code",
      title: "Unknown error code",
      status: 404,
      detail: `There is no error code ${code}.`,
      code: String(code),
    });
  }
  const fallback = { ...entry.fallback };
  delete fallback.category;
  let { meaning, resolution } = entry;
  if (options.params && Object.keys(options.params).length) {
    const texts = await withParams(options, base, tag, entry, options.params);
    meaning = texts.meaning;
    resolution = texts.resolution;
  }
  if (!meaning || !resolution) {
    // A field the language lacks: the source language's text, said in `fallback`.
    const english = tag === SOURCE_LANG ? entry : await explain(code, { ...options, lang: SOURCE_LANG });
    if (!meaning) [meaning, fallback.meaning] = [english.meaning, SOURCE_LANG];
    if (!resolution) [resolution, fallback.resolution] = [english.resolution, SOURCE_LANG];
  }
  return { code: entry.code, lang: bundle.lang, meaning, resolution, helpUrl: entry.help_url, fallback };
}
