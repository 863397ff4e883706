/**
 * One setting of a service: the variable that sets it, what it is for, its default (or none when required), whether
 * it is secret, the expected form in words, and a parser that returns undefined for a value it refuses.
 * The chart's values documentation is generated from these tables (STYLE.md §6).
 */
export interface Setting<T> {
  env: string;
  description: string;
  default?: string;
  secret?: boolean;
  expected: string;
  parse: (raw: string) => T | undefined;
}

/** A service's settings table: one {@link Setting} per field of its typed config. */
export type Settings<C> = { [K in keyof C]: Setting<C[K]> };

/**
 * A rule across settings (e.g. "a client certificate needs its key"). It gets the values that parsed (a field that
 * failed is absent) and returns one problem per broken rule, each naming the variables and what to change.
 */
export type SettingsCheck<C> = (values: Partial<C>) => string[];

/**
 * Returns the typed config read from `env`, or throws one error that lists every missing or invalid setting with its
 * variable, what it is for and the expected form, so a misconfigured pod fails at boot, never on first use.
 * Secret values are never echoed. `where` tells the operator where settings come from (e.g. the Helm values key).
 * `checks` add rules across settings; their problems are listed with the others.
 */
export function loadSettings<C>(service: string, settings: Settings<C>, env: NodeJS.ProcessEnv, where = 'environment variables', checks: SettingsCheck<C>[] = []): C {
  const problems: string[] = [];
  const out: Partial<Record<keyof C, unknown>> = {};
  for (const key of Object.keys(settings) as (keyof C)[]) {
    const s = settings[key] as Setting<unknown>;
    const raw = env[s.env] ?? s.default;
    if (raw === undefined || raw === '') {
      problems.push(`${s.env} is required (${s.description}); expected ${s.expected}.`);
      continue;
    }
    const value = s.parse(raw);
    if (value === undefined) {
      problems.push(`${s.env}=${s.secret ? '<redacted>' : JSON.stringify(raw)} is invalid (${s.description}); expected ${s.expected}.`);
      continue;
    }
    out[key] = value;
  }
  for (const check of checks) problems.push(...check(out as Partial<C>));
  if (problems.length > 0) throw new Error(`${service} cannot start; fix these settings (${where}):\n- ${problems.join('\n- ')}`);
  return out as C;
}

/** Parsers for the forms most settings take. */
export const parse = {
  /** A whole number from `min` to `max`. */
  int:
    (min: number, max: number) =>
    (raw: string): number | undefined =>
      /^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max ? Number(raw) : undefined,
  bool: (raw: string): boolean | undefined => (raw === 'true' ? true : raw === 'false' ? false : undefined),
  postgresUrl: (raw: string): string | undefined => (/^postgres(ql)?:\/\/.+/.test(raw) ? raw : undefined),
  /** Comma-separated host:port list. */
  brokers: (raw: string): string[] | undefined => {
    const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
    return list.length > 0 && list.every((b) => /^[^\s:]+:\d+$/.test(b)) ? list : undefined;
  },
  /** A database schema or other SQL identifier: lower-case letters, digits, underscores. */
  identifier: (raw: string): string | undefined => (/^[a-z_][a-z0-9_]{0,62}$/.test(raw) ? raw : undefined),
  /** An http(s) URL without query or fragment; trailing slashes dropped. */
  httpUrl: (raw: string): string | undefined => {
    try {
      const url = new URL(raw);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash ? raw.replace(/\/+$/, '') : undefined;
    } catch {
      return undefined;
    }
  },
  /** A base64 key of exactly `bytes` bytes. */
  base64Key:
    (bytes: number) =>
    (raw: string): Buffer | undefined => {
      const key = Buffer.from(raw, 'base64');
      return key.length === bytes && key.toString('base64').replace(/=+$/, '') === raw.replace(/=+$/, '') ? key : undefined;
    },
  /** A topic suffix: lower-case letters, digits and dashes, or "-" for none (empty). */
  topicSuffix: (raw: string): string | undefined => (raw === '-' ? '' : /^[a-z0-9-]{1,40}$/.test(raw) ? raw : undefined),
};
