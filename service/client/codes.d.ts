// Generated from service/errors.toml and the catalogs by `make types`: do not edit.
// The client's own types are in errmsg.d.ts; the response shapes in openapi.d.ts.

/** Every error code the service knows. */
export type ErrorCode =
  | 40000
  | 40001
  | 40002
  | 40003
  | 40004
  | 40005
  | 40007
  | 40008
  | 40010
  | 40020
  | 40021
  | 40030
  | 40100
  | 40101
  | 40102
  | 40103
  | 40110
  | 40111
  | 40112
  | 40113
  | 40114
  | 40130
  | 40132
  | 40300
  | 40301
  | 40302
  | 40303
  | 40304
  | 40305
  | 40307
  | 50000
  | 50004
  | 50005
  | 50011
  | 50100
  | 50103
  | 50104
  | 50105
  | 50106
  | 50107
  | 50108
  | 50110
  | 50120
  | 50121
  | 50123;

/** Codes the vendor's table no longer lists; older APIs still send them. */
export type DeprecatedCode =
  never;

/** The category ids (`category.id` of an entry). */
export type CategoryId =
  | "parameter"
  | "auth"
  | "quota"
  | "system"
  | "knowledge_base";

/** The shipped languages, as BCP 47 tags (pseudo-locales aside). */
export type LanguageTag =
  | "ar"
  | "de"
  | "en"
  | "es"
  | "fr"
  | "ja"
  | "ko"
  | "pt-BR"
  | "ru"
  | "zh-Hans"
  | "zh-Hant";

/** Each code's placeholders: `never` where it takes none. */
export interface ErrorParams {
  40000: never;
  40001: never;
  40002: never;
  40003: never;
  40004: never;
  40005: never;
  40007: never;
  40008: never;
  40010: never;
  40020: never;
  40021: never;
  40030: never;
  40100: never;
  40101: never;
  40102: never;
  40103: never;
  40110: never;
  40111: never;
  40112: { minutes?: number /* count, 1..1440, default 10 */ };
  40113: { seconds?: number /* count, 1..86400, default 60 */ };
  40114: never;
  40130: never;
  40132: never;
  40300: never;
  40301: never;
  40302: never;
  40303: never;
  40304: never;
  40305: never;
  40307: never;
  50000: never;
  50004: never;
  50005: never;
  50011: never;
  50100: never;
  50103: never;
  50104: never;
  50105: never;
  50106: { max_size?: number /* size, 1..1048576, default 100 */ };
  50107: never;
  50108: never;
  50110: never;
  50120: never;
  50121: never;
  50123: never;
}

/** i18next resources of the `errors` namespace, in the source language. */
export interface ErrorResources {
  "categories": {
    "parameter": "Parameter Errors",
    "auth": "Authentication & Permission Errors",
    "quota": "Quota & Rate Limit Errors",
    "system": "System & Service Errors",
    "knowledge_base": "Knowledge Base & File Errors"
  },
  "40000": {
    "category": "parameter",
    "meaning": "Required parameters missing or format invalid",
    "resolution": "Check parameter names and types"
  },
  "40001": {
    "category": "parameter",
    "meaning": "Requested resource (e.g., file, project) validation failed",
    "resolution": "Check resource ID validation"
  },
  "40002": {
    "category": "parameter",
    "meaning": "Parameter cannot be empty",
    "resolution": "Provide required parameter"
  },
  "40003": {
    "category": "parameter",
    "meaning": "Parameter is empty",
    "resolution": "Provide required parameter"
  },
  "40004": {
    "category": "parameter",
    "meaning": "Callback status must be 'success' or 'fail'",
    "resolution": "Check callback parameters"
  },
  "40005": {
    "category": "parameter",
    "meaning": "Callback origin_type not supported",
    "resolution": "Check callback parameters"
  },
  "40007": {
    "category": "parameter",
    "meaning": "Uploaded file type not supported",
    "resolution": "Upload allowed formats only"
  },
  "40008": {
    "category": "parameter",
    "meaning": "Base64 content contains invalid characters",
    "resolution": "Check Base64 string"
  },
  "40010": {
    "category": "parameter",
    "meaning": "User ID exceeds length limit",
    "resolution": "Shorten ID length"
  },
  "40020": {
    "category": "parameter",
    "meaning": "Project ID format invalid",
    "resolution": "Check ID format"
  },
  "40021": {
    "category": "parameter",
    "meaning": "Project does not exist or has been revoked",
    "resolution": "Verify Project ID"
  },
  "40030": {
    "category": "parameter",
    "meaning": "API Key name too long",
    "resolution": "Modify name"
  },
  "40100": {
    "category": "auth",
    "meaning": "Not logged in or session expired",
    "resolution": "Please log in"
  },
  "40101": {
    "category": "auth",
    "meaning": "No permission to operate this resource",
    "resolution": "Verify account permissions"
  },
  "40102": {
    "category": "auth",
    "meaning": "Username or account already exists",
    "resolution": "Use a different username"
  },
  "40103": {
    "category": "auth",
    "meaning": "Specified user does not exist",
    "resolution": "Check username"
  },
  "40110": {
    "category": "auth",
    "meaning": "Verification code expired",
    "resolution": "Request a new one"
  },
  "40111": {
    "category": "auth",
    "meaning": "Verification code error",
    "resolution": "Check and retry"
  },
  "40112": {
    "category": "auth",
    "meaning": "Too many verification code errors, locked for {{count, number(useGrouping: always; numberingSystem: latn)}} min",
    "meaning_one": "Too many verification code errors, locked for {{count, number(useGrouping: always; numberingSystem: latn)}} min",
    "meaning_other": "Too many verification code errors, locked for {{count, number(useGrouping: always; numberingSystem: latn)}} min",
    "resolution": "Retry later"
  },
  "40113": {
    "category": "auth",
    "meaning": "Duplicate verification code requests within {{count, number(useGrouping: always; numberingSystem: latn)}}s",
    "meaning_one": "Duplicate verification code requests within {{count, number(useGrouping: always; numberingSystem: latn)}}s",
    "meaning_other": "Duplicate verification code requests within {{count, number(useGrouping: always; numberingSystem: latn)}}s",
    "resolution": "Retry later"
  },
  "40114": {
    "category": "auth",
    "meaning": "Daily verification code limit exceeded",
    "resolution": "Try again tomorrow"
  },
  "40130": {
    "category": "auth",
    "meaning": "Request missing API Key",
    "resolution": "Add Header"
  },
  "40132": {
    "category": "auth",
    "meaning": "API Key invalid or disabled",
    "resolution": "Check Key status"
  },
  "40300": {
    "category": "quota",
    "meaning": "API call frequency limit exceeded",
    "resolution": "Get more quota",
    "help_url": "/memos_cloud/limit#_4-obtaining-more-quota"
  },
  "40301": {
    "category": "quota",
    "meaning": "Chat Request Token total limit exceeded",
    "resolution": "Get more quota",
    "help_url": "/memos_cloud/limit#_4-obtaining-more-quota"
  },
  "40302": {
    "category": "quota",
    "meaning": "Chat Response Token total limit exceeded",
    "resolution": "Get more quota",
    "help_url": "/memos_cloud/limit#_4-obtaining-more-quota"
  },
  "40303": {
    "category": "quota",
    "meaning": "Single chat length exceeds model limit",
    "resolution": "Reduce input/output length"
  },
  "40304": {
    "category": "quota",
    "meaning": "Account total API call limit reached",
    "resolution": "Get more quota",
    "help_url": "/memos_cloud/limit#_4-obtaining-more-quota"
  },
  "40305": {
    "category": "quota",
    "meaning": "Input content exceeds single Token limit",
    "resolution": "Reduce input"
  },
  "40307": {
    "category": "quota",
    "meaning": "Memory for deletion does not exist",
    "resolution": "Refresh or check ID"
  },
  "50000": {
    "category": "system",
    "meaning": "Internal server error",
    "resolution": "Contact support"
  },
  "50004": {
    "category": "system",
    "meaning": "Memory service temporarily unavailable",
    "resolution": "Retry later"
  },
  "50005": {
    "category": "system",
    "meaning": "Search service temporarily unavailable",
    "resolution": "Retry later"
  },
  "50011": {
    "category": "system",
    "meaning": "SSE connection failed",
    "resolution": "Check network"
  },
  "50100": {
    "category": "knowledge_base",
    "meaning": "File ID does not exist",
    "resolution": "Confirm file is not deleted"
  },
  "50103": {
    "category": "knowledge_base",
    "meaning": "Knowledge base file count limit exceeded",
    "resolution": "Clean up or upgrade"
  },
  "50104": {
    "category": "knowledge_base",
    "meaning": "Single file size limit exceeded",
    "resolution": "Compress file"
  },
  "50105": {
    "category": "knowledge_base",
    "meaning": "Knowledge base total capacity limit exceeded",
    "resolution": "Clean up unneeded documents"
  },
  "50106": {
    "category": "knowledge_base",
    "meaning": "Single file exceeds {{max_size, number(style: unit; unit: megabyte; unitDisplay: narrow; useGrouping: always; numberingSystem: latn)}}",
    "resolution": "Ensure < {{max_size, number(style: unit; unit: megabyte; unitDisplay: narrow; useGrouping: always; numberingSystem: latn)}}"
  },
  "50107": {
    "category": "knowledge_base",
    "meaning": "File format corrupted or mismatch",
    "resolution": "Check file"
  },
  "50108": {
    "category": "knowledge_base",
    "meaning": "Knowledge base capacity reached version limit",
    "resolution": "Clean up unneeded documents"
  },
  "50110": {
    "category": "knowledge_base",
    "meaning": "File does not belong to current knowledge base",
    "resolution": "Check relationship"
  },
  "50120": {
    "category": "knowledge_base",
    "meaning": "Knowledge base ID does not exist",
    "resolution": "Check ID"
  },
  "50121": {
    "category": "knowledge_base",
    "meaning": "Knowledge base count limit exceeded",
    "resolution": "Consider reusing knowledge bases"
  },
  "50123": {
    "category": "knowledge_base",
    "meaning": "Knowledge base does not belong to current project",
    "resolution": "Switch project"
  }
}
